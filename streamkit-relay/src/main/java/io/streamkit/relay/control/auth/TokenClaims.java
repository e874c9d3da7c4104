package io.streamkit.relay.control.auth;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What a signed token says. Times are kept to whole seconds (they travel as Unix seconds), so
 * the constructor truncates them.
 *
 * <p>{@code subject} and {@code sessionId} are 1 to {@value #MAX_ID_LENGTH} printable ASCII
 * characters other than space and {@code |}: a user id and a session id as the store makes them.
 *
 * @param subject the user id
 * @param role the user's role when the token was issued; a refresh should read the current role
 *        from the store rather than trust this one
 * @param type access or refresh
 * @param sessionId the login session the token belongs to; the caller checks that it still
 *        exists (logout, revocation)
 * @param generation the session's refresh generation when the token was issued; a refresh token
 *        whose generation is not the session's current one has already been used
 * @param issuedAt when the token was issued
 * @param expiresAt first instant at which the token is no longer valid, after {@code issuedAt}
 */
public record TokenClaims(String subject, Role role, TokenType type, String sessionId, long generation,
        Instant issuedAt, Instant expiresAt) {
    /** Longest subject or session id. */
    public static final int MAX_ID_LENGTH = 128;

    /** Validates the fields and truncates the times to seconds. */
    public TokenClaims {
        checkId(subject, "subject");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(type, "type");
        checkId(sessionId, "sessionId");
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative, got " + generation);
        }
        issuedAt = Objects.requireNonNull(issuedAt, "issuedAt").truncatedTo(ChronoUnit.SECONDS);
        expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.SECONDS);
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("expiresAt " + expiresAt + " must be after issuedAt " + issuedAt);
        }
    }

    private static void checkId(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(name + " must be 1 to " + MAX_ID_LENGTH + " characters, got " + value
                    .length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c > '~' || c == '|') {
                throw new IllegalArgumentException(name + " may contain only printable ASCII other than space and"
                        + " '|', found a forbidden character at index " + i);
            }
        }
    }
}
