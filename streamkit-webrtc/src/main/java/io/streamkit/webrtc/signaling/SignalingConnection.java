package io.streamkit.webrtc.signaling;

import java.net.SocketAddress;

/**
 * The transport side of one client's signaling channel, implemented by the WebSocket server
 * ({@link SignalingServer}) or by an integrator who carries the protocol over another channel.
 * Implementations must be thread-safe: the hub sends from whichever thread made the change, and
 * messages sent by one thread must arrive in the order they were sent.
 */
public interface SignalingConnection {

    /**
     * Sends one protocol message. Must not block; a closed connection drops it silently.
     *
     * @param json a JSON object
     */
    void send(String json);

    /**
     * Closes the connection.
     *
     * @param code a WebSocket close code (RFC 6455 section 7.4)
     * @param reason a short reason
     */
    void close(int code, String reason);

    /** @return the client's address, for logs; may be {@code null} */
    default SocketAddress remoteAddress() {
        return null;
    }
}
