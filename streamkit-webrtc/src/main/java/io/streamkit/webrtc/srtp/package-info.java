/**
 * SRTP and SRTCP (<a href="https://www.rfc-editor.org/rfc/rfc3711">RFC 3711</a>
 * AES_CM_128_HMAC_SHA1_80, <a href="https://www.rfc-editor.org/rfc/rfc7714">RFC 7714</a>
 * AEAD_AES_128_GCM) on the JDK's cryptography, with replay protection.
 */
package io.streamkit.webrtc.srtp;
