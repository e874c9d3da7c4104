package io.streamkit.relay.audience;

import java.util.Objects;

/**
 * A registered user as others see it. Holds no secret.
 *
 * @param userId stable identifier, unique in the {@link UserRegistry}
 * @param username display name (1 to 32 characters)
 * @param role streamer or viewer
 * @param streamKey the key of the stream a streamer owns; {@code null} for a viewer
 */
public record AudienceUser(String userId, String username, AudienceRole role, String streamKey) {
    /** Checks the fields. */
    public AudienceUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        if ((role == AudienceRole.STREAMER) != (streamKey != null)) {
            throw new IllegalArgumentException("a streamer has a stream key and a viewer has none");
        }
    }
}
