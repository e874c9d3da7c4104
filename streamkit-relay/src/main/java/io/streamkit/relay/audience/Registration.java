package io.streamkit.relay.audience;

import java.util.Objects;

/**
 * What registering returns: the public identity and the secrets that go only to its owner.
 *
 * @param user the public identity
 * @param token secret that resumes this identity on a new connection
 *        ({@code USER_REGISTER {token}}), for example after a page reload
 * @param publishSecret for a streamer, the secret the encoder adds to its publish URL
 *        ({@code rtmp://host/live/{streamKey}?secret=...}); {@code null} for a viewer
 */
public record Registration(AudienceUser user, String token, String publishSecret) {
    /** Checks the fields. */
    public Registration {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(token, "token");
        if ((user.role() == AudienceRole.STREAMER) != (publishSecret != null)) {
            throw new IllegalArgumentException("a streamer has a publish secret and a viewer has none");
        }
    }
}
