/**
 * STUN (<a href="https://www.rfc-editor.org/rfc/rfc8489">RFC 8489</a>) messages with
 * MESSAGE-INTEGRITY and FINGERPRINT, and the ICE-lite agent of the SFU
 * (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-2.5">RFC 8445 section 2.5</a>).
 */
package io.streamkit.webrtc.stun;
