/**
 * SRTP and SRTCP on the JDK's cryptography: AES_CM_128_HMAC_SHA1_80 and _32
 * (<a href="https://www.rfc-editor.org/rfc/rfc3711">RFC 3711</a>), AEAD_AES_128_GCM and
 * AEAD_AES_256_GCM (<a href="https://www.rfc-editor.org/rfc/rfc7714">RFC 7714</a>), keyed from
 * DTLS-SRTP (<a href="https://www.rfc-editor.org/rfc/rfc5764">RFC 5764</a>), with per-SSRC
 * rollover counters and replay windows.
 *
 * <p>Start from {@link io.streamkit.webrtc.srtp.SrtpKeyingMaterial#fromDtlsExport} and
 * {@link io.streamkit.webrtc.srtp.SrtpSession#create}; packets are Netty buffers protected and
 * unprotected in place.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3711#section-3.3">RFC 3711 §3.3 (SRTP processing)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7714#section-9">RFC 7714 §9 (SRTCP with AEAD)</a>
 */
package io.streamkit.webrtc.srtp;
