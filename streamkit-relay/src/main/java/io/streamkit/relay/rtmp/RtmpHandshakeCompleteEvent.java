package io.streamkit.relay.rtmp;

/**
 * User event fired by {@link RtmpServerHandshakeHandler} and {@link RtmpClientHandshakeHandler} once the handshake
 * is over, just before they remove themselves; any bytes that followed the handshake reach the next handler right
 * after this event.
 *
 * @param digest whether the peer used the Flash "complex" handshake with HMAC-SHA256 digests (always false on the
 *            client side, which uses the simple handshake)
 * @param peerVersion the 4-byte version field of the peer's C1 or S1 (0 for a simple handshake; for example
 *            0x80000702 for Flash Player 10.0.32, or FFmpeg's 0x09007C02)
 */
public record RtmpHandshakeCompleteEvent(boolean digest, long peerVersion) {
}
