package io.streamkit.webrtc.stun;

import io.streamkit.api.CodecException;

/**
 * A STUN message (<a href="https://www.rfc-editor.org/rfc/rfc8489">RFC 8489</a>) could not be
 * decoded: the message says what is wrong and where (bad magic cookie, a length that is not a
 * multiple of four, an attribute overrunning the message, a FINGERPRINT mismatch, ...).
 */
public class StunException extends CodecException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the bytes, specific enough to act on */
    public StunException(String message) {
        super(message);
    }
}
