package io.streamkit.relay.audience;

import java.util.Optional;

/**
 * Where users live. The default, {@link #inMemory()}, keeps them for the life of the
 * {@link Audience}; implement this interface to keep them in the host's database or to map its own
 * accounts. Implementations must be thread-safe and fast (called on network threads).
 */
public interface UserRegistry {

    /**
     * Creates a user with fresh secrets. Stream keys, tokens and publish secrets must be
     * unguessable (at least 128 random bits) and URL-safe.
     *
     * @param username the display name, already checked for length and characters
     * @param role streamer or viewer
     * @return the new user and its secrets
     * @throws AudienceException {@link AudienceException.Code#USERNAME_TAKEN} when the name is used
     */
    Registration register(String username, AudienceRole role);

    /**
     * @param token a resume token
     * @return its user, when the token is known
     */
    Optional<AudienceUser> byToken(String token);

    /**
     * @param streamKey a stream key
     * @return the streamer who owns it
     */
    Optional<AudienceUser> byStreamKey(String streamKey);

    /**
     * Checks a publish secret in constant time.
     *
     * @param streamKey the stream
     * @param secret what the encoder sent
     * @return whether it is the owner's publish secret
     */
    boolean checkPublishSecret(String streamKey, String secret);

    /** @return a registry in memory: names unique ignoring case, secrets from {@code SecureRandom} */
    static UserRegistry inMemory() {
        return new InMemoryUserRegistry();
    }
}
