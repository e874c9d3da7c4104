/**
 * RTP and RTCP packets (<a href="https://www.rfc-editor.org/rfc/rfc3550">RFC 3550</a>), header
 * extensions (<a href="https://www.rfc-editor.org/rfc/rfc8285">RFC 8285</a>) and feedback messages
 * (<a href="https://www.rfc-editor.org/rfc/rfc4585">RFC 4585</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc5104">RFC 5104</a>).
 */
package io.streamkit.webrtc.rtp;
