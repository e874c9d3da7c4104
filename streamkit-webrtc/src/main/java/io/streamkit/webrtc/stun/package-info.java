/**
 * STUN (<a href="https://www.rfc-editor.org/rfc/rfc8489">RFC 8489</a>) messages with
 * MESSAGE-INTEGRITY and FINGERPRINT, and the ICE-lite agent of the SFU
 * (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-2.5">RFC 8445 section 2.5</a>).
 *
 * <p>The media plane shares one UDP port between all peers: {@link io.streamkit.webrtc.stun.PacketDemux}
 * tells STUN, DTLS and RTP/RTCP apart by their first byte
 * (<a href="https://www.rfc-editor.org/rfc/rfc7983">RFC 7983</a>);
 * {@link io.streamkit.webrtc.stun.StunMessage#localUfragOf} routes a STUN datagram to its session by
 * the local username fragment; that session's {@link io.streamkit.webrtc.stun.IceLiteAgent} answers the
 * check, tells which source addresses are valid for DTLS and RTP, which one is selected, and when
 * consent (<a href="https://www.rfc-editor.org/rfc/rfc7675">RFC 7675</a>) has expired.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5769">RFC 5769, the test vectors</a>
 */
package io.streamkit.webrtc.stun;
