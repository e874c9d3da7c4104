package io.streamkit.webrtc.rtp;

import io.streamkit.api.CodecException;

/**
 * An RTP packet is malformed: the message names the field and the value that broke the layout of
 * <a href="https://www.rfc-editor.org/rfc/rfc3550#section-5.1">RFC 3550 §5.1</a> or
 * <a href="https://www.rfc-editor.org/rfc/rfc8285">RFC 8285</a>.
 */
public class RtpException extends CodecException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the packet, specific enough to act on */
    public RtpException(String message) {
        super(message);
    }
}
