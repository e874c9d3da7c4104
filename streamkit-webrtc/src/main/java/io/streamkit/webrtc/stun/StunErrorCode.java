package io.streamkit.webrtc.stun;

import java.util.Objects;

/**
 * The value of an ERROR-CODE attribute
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-14.8">RFC 8489 section 14.8</a>): a code from
 * 300 to 699 and a reason phrase.
 *
 * @param code the error code, 300 to 699 (for example 401 Unauthorized, 487 Role Conflict)
 * @param reason the reason phrase, at most 127 characters and 763 bytes of UTF-8
 */
public record StunErrorCode(int code, String reason) {
    /** 400 Bad Request: the request was malformed. */
    public static final int BAD_REQUEST = 400;
    /** 401 Unauthorized: the request did not carry the correct credentials. */
    public static final int UNAUTHORIZED = 401;
    /** 420 Unknown Attribute: the request had comprehension-required attributes we do not know. */
    public static final int UNKNOWN_ATTRIBUTE = 420;
    /**
     * 487 Role Conflict (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7.3.1.1">RFC 8445
     * section 7.3.1.1</a>).
     */
    public static final int ROLE_CONFLICT = 487;

    /** The longest reason phrase in bytes. */
    public static final int MAX_REASON_BYTES = 763;

    /** Checks the code range and the reason length. */
    public StunErrorCode {
        Objects.requireNonNull(reason, "reason");
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("STUN error code must be 300 to 699, got " + code);
        }
        if (reason.length() > 127 || StunAttribute.utf8Length(reason) > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("STUN reason phrase longer than 127 characters or 763 bytes");
        }
    }
}
