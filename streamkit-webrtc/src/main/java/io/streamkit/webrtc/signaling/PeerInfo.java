package io.streamkit.webrtc.signaling;

import java.util.Objects;

/**
 * A participant of a room as the other participants see it.
 *
 * @param peerId the server-generated id, unique in the hub
 * @param userId the user id given at join (or returned by the {@link PeerAuthenticator})
 * @param state its media state
 * @param connected whether its signaling connection is open; a participant whose connection
 *     dropped stays in the room for the reconnect grace period
 */
public record PeerInfo(String peerId, String userId, MediaState state, boolean connected) {
    /** Validates the fields. */
    public PeerInfo {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(state, "state");
    }
}
