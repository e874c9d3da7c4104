/**
 * A Java participant of a StreamKit SFU room, built on libwebrtc through webrtc-java:
 * {@link io.streamkit.webrtc.client.SfuParticipant} speaks the signaling protocol of
 * {@link io.streamkit.webrtc.signaling.SignalingHub} over a WebSocket, publishes generated video
 * (and optionally audio) on its publisher PeerConnection and counts the decoded frames of every
 * other participant on its subscriber PeerConnection.
 *
 * <p>Media negotiation follows JSEP
 * (<a href="https://www.rfc-editor.org/rfc/rfc8829">RFC 8829</a>); the signaling transport is a
 * WebSocket (<a href="https://www.rfc-editor.org/rfc/rfc6455">RFC 6455</a>).
 *
 * <p>webrtc-java loads its native library on first use; on Linux it needs {@code libpulse0 libx11-6
 * libxfixes3 libxrandr2 libxcomposite1 libudev1 libdbus-1-3}. The participant uses a headless audio
 * device module, so it runs without sound hardware or a display.
 */
package io.streamkit.webrtc.client;
