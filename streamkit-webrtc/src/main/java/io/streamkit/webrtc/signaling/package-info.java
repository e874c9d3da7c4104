/**
 * The SFU signaling protocol: JSON messages over a WebSocket, rooms and peers.
 */
package io.streamkit.webrtc.signaling;
