package io.streamkit.relay.audience;

import java.net.SocketAddress;

/**
 * Decides whether a WebSocket client may connect to an {@link AudienceServer}, from the
 * {@code access_token} query parameter of its upgrade request (the host's own session token, for
 * example). Called on a network thread: answer fast, never block. A refused client gets HTTP 401.
 */
@FunctionalInterface
public interface AudienceAuthenticator {
    /** Lets everyone connect. */
    AudienceAuthenticator ALLOW_ALL = (token, remote) -> true;

    /**
     * @param accessToken the {@code access_token} query parameter, or {@code null}
     * @param remote the client's address
     * @return whether it may connect
     */
    boolean allow(String accessToken, SocketAddress remote);
}
