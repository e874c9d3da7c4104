package io.streamkit.relay.audience;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@link UserRegistry#inMemory()}. */
final class InMemoryUserRegistry implements UserRegistry {
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong nextId = new AtomicLong();
    private final Map<String, AudienceUser> byName = new ConcurrentHashMap<>();
    private final Map<String, AudienceUser> byToken = new ConcurrentHashMap<>();
    private final Map<String, AudienceUser> byKey = new ConcurrentHashMap<>();
    private final Map<String, byte[]> secretByKey = new ConcurrentHashMap<>();

    @Override
    public Registration register(String username, AudienceRole role) {
        String name = username.toLowerCase(Locale.ROOT);
        String id = "u" + nextId.incrementAndGet();
        String key = role == AudienceRole.STREAMER ? secret() : null;
        AudienceUser user = new AudienceUser(id, username, role, key);
        if (byName.putIfAbsent(name, user) != null) {
            throw new AudienceException(AudienceException.Code.USERNAME_TAKEN, "username",
                    "the username '" + username + "' is taken");
        }
        String token = secret();
        byToken.put(token, user);
        String publishSecret = null;
        if (key != null) {
            publishSecret = secret();
            secretByKey.put(key, publishSecret.getBytes(StandardCharsets.US_ASCII));
            byKey.put(key, user);
        }
        return new Registration(user, token, publishSecret);
    }

    private String secret() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public Optional<AudienceUser> byToken(String token) {
        return Optional.ofNullable(byToken.get(token));
    }

    @Override
    public Optional<AudienceUser> byStreamKey(String streamKey) {
        return Optional.ofNullable(byKey.get(streamKey));
    }

    @Override
    public boolean checkPublishSecret(String streamKey, String secret) {
        byte[] expected = secretByKey.get(streamKey);
        return expected != null && secret != null
                && MessageDigest.isEqual(expected, secret.getBytes(StandardCharsets.UTF_8));
    }
}
