/**
 * SDP (<a href="https://www.rfc-editor.org/rfc/rfc8866">RFC 8866</a>) parsing and writing, and the
 * offer/answer rules of WebRTC (<a href="https://www.rfc-editor.org/rfc/rfc8829">JSEP, RFC 8829</a>):
 * BUNDLE, rtcp-mux, mid, rid/simulcast, extmap, rtcp-fb.
 */
package io.streamkit.webrtc.sdp;
