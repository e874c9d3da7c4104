package io.streamkit.webrtc.rtp;

import io.streamkit.api.CodecException;

/**
 * An RTCP packet or compound packet is malformed: the message names the packet type and the field
 * that broke the layout of <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6">RFC 3550
 * §6</a>, <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6">RFC 4585 §6</a> or
 * <a href="https://www.rfc-editor.org/rfc/rfc5104#section-4.3">RFC 5104 §4.3</a>.
 */
public class RtcpException extends CodecException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the packet, specific enough to act on */
    public RtcpException(String message) {
        super(message);
    }
}
