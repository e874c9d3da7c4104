package io.streamkit.relay.control.auth;

import io.streamkit.api.StreamKitException;
import java.util.Objects;

/**
 * A token that {@link TokenSigner#verify(String, TokenType)} refuses. The {@link #reason()} says
 * why; the message explains it without repeating the token.
 */
public final class TokenException extends StreamKitException {
    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason {
        /** Not a token of this format: wrong shape, bad Base64, bad fields, too long. */
        MALFORMED,
        /** The signature does not match: tampered with, or signed with another key. */
        BAD_SIGNATURE,
        /** A valid token of the other {@link TokenType}. */
        WRONG_TYPE,
        /** A valid token past its expiry. */
        EXPIRED
    }

    /** Why the token was refused. */
    private final Reason reason;

    /**
     * @param reason why the token was refused
     * @param message a precise explanation that does not contain the token
     */
    public TokenException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why the token was refused */
    public Reason reason() {
        return reason;
    }
}
