package io.streamkit.webrtc.signaling;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SPI: decides who may join a room. Called once per {@code join} with the token the client
 * presented (the {@code token} field of {@code join}, or the {@code token} query parameter of the
 * WebSocket URL). It may complete asynchronously (a database or an identity provider); the join
 * waits. The default, {@link #ALLOW_ALL}, trusts the client's {@code userId}.
 */
@FunctionalInterface
public interface PeerAuthenticator {

    /** Accepts everyone under the user id they claim. */
    PeerAuthenticator ALLOW_ALL = request -> CompletableFuture.completedFuture(request.claimedUserId());

    /**
     * @param request what the client presented
     * @return a stage completed with the user id the peer is known by, or completed exceptionally
     *     with a {@link SignalingException} (code {@link SignalingException#UNAUTHORIZED}) to refuse;
     *     any other failure also refuses, with a generic message
     */
    CompletionStage<String> authenticate(JoinRequest request);

    /**
     * What a client presented when joining.
     *
     * @param roomId the room it asks for
     * @param claimedUserId the {@code userId} it sent
     * @param token its token, or {@code null} when it sent none
     * @param remoteAddress its address, or {@code null} when unknown
     */
    record JoinRequest(String roomId, String claimedUserId, String token, SocketAddress remoteAddress) {
    }
}
