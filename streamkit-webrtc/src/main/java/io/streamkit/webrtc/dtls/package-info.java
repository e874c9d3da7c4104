/**
 * DTLS 1.2 with the use_srtp extension (<a href="https://www.rfc-editor.org/rfc/rfc5764">RFC 5764</a>)
 * on BouncyCastle, the certificate and its fingerprint for the SDP, and SRTP keying material export.
 */
package io.streamkit.webrtc.dtls;
