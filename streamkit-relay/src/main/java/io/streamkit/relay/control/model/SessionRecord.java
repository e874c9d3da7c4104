package io.streamkit.relay.control.model;

import java.time.Instant;

/**
 * A login session, the server-side half of a refresh token. Each refresh rotates the token: the
 * {@code generation} goes up and an older refresh token of the same session is refused.
 *
 * @param id session identifier carried in the tokens
 * @param userId the user logged in
 * @param generation refresh generation
 * @param remote address the session was opened from
 * @param createdAt login time
 * @param expiresAt end of the session unless refreshed
 */
public record SessionRecord(String id, String userId, long generation, String remote, Instant createdAt,
        Instant expiresAt) {
}
