/**
 * The SFU: {@link io.streamkit.webrtc.sfu.SfuServer} joins the signaling hub to a media plane on
 * one UDP port. Each participant's publisher and subscriber PeerConnections end in a transport
 * (ICE-lite, <a href="https://www.rfc-editor.org/rfc/rfc8445#section-2.5">RFC 8445 section 2.5</a>;
 * DTLS-SRTP, <a href="https://www.rfc-editor.org/rfc/rfc5764">RFC 5764</a>); RTP from publishers is
 * forwarded to every other participant without decoding, with SSRC, payload type and header
 * extension ids mapped per subscriber; NACKs are answered from a packet cache (RTX,
 * <a href="https://www.rfc-editor.org/rfc/rfc4588">RFC 4588</a>), PLI/FIR are relayed with throttling
 * (<a href="https://www.rfc-editor.org/rfc/rfc4585">RFC 4585</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc5104">RFC 5104</a>), and the audio level
 * (<a href="https://www.rfc-editor.org/rfc/rfc6464">RFC 6464</a>) drives the {@code speaking} flag.
 *
 * <p>Threading: all forwarding state lives on one media event loop, which owns the UDP channel;
 * signaling calls are handed to it. DTLS handshakes run on a dedicated executor.
 */
package io.streamkit.webrtc.sfu;
