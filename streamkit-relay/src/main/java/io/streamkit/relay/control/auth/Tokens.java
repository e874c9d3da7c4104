package io.streamkit.relay.control.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * An access token and a refresh token issued together by {@link TokenSigner#issue}. Hand both to
 * the client; {@link #toString()} leaves the tokens out so that the pair can be logged safely.
 *
 * @param accessToken the access token, for the {@code Authorization: Bearer} header
 * @param accessExpiresAt when the access token expires
 * @param refreshToken the refresh token, to obtain the next pair
 * @param refreshExpiresAt when the refresh token expires
 */
public record Tokens(String accessToken, Instant accessExpiresAt, String refreshToken, Instant refreshExpiresAt) {

    /** Checks that no field is {@code null}. */
    public Tokens {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(accessExpiresAt, "accessExpiresAt");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(refreshExpiresAt, "refreshExpiresAt");
    }

    @Override
    public String toString() {
        return "Tokens[accessExpiresAt=" + accessExpiresAt + ", refreshExpiresAt=" + refreshExpiresAt + "]";
    }
}
