package io.streamkit.relay.control.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies the control plane's compact signed tokens.
 *
 * <p>A token is {@code base64url(payload) "." base64url(HMAC-SHA256(key, base64url(payload)))},
 * both parts unpadded. The payload is one line of text, fields separated by {@code |}:
 * {@code 1|type|subject|role|sessionId|generation|issuedAt|expiresAt}, the leading {@code 1}
 * being the format version and the times Unix seconds. The payload is readable by anyone holding
 * the token; it carries ids, not secrets.
 *
 * <p>{@link #issue} makes a pair: an access token valid for {@link #accessTtl()} (15 minutes by
 * default) and a refresh token valid for {@link #refreshTtl()} (7 days by default), both naming
 * the login session and its refresh generation. Refresh tokens rotate: to refresh, the caller
 * {@linkplain #verify verifies} the refresh token, loads the session by id, refuses the request
 * (and should end the session) when the session is gone or its generation differs from the
 * token's, since that token was already used, and otherwise increments the stored generation and
 * issues a new pair with it. The session id likewise lets the caller refuse access tokens of a
 * session that has been logged out.
 *
 * <p>{@link #verify(String, TokenType)} checks, in this order, the shape, the signature (in
 * constant time), the payload, the type and the expiry, and throws a {@link TokenException} whose
 * {@link TokenException.Reason} names the first failure. The {@link Clock} is injectable for
 * tests.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2104">RFC 2104 (HMAC)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4648#section-5">RFC 4648, section 5 (base64url)</a>
 */
public final class TokenSigner {
    /** Shortest signing key accepted: 256 bits, the output size of SHA-256. */
    public static final int MIN_KEY_BYTES = 32;
    /** Lifetime of access tokens unless configured. */
    public static final Duration DEFAULT_ACCESS_TTL = Duration.ofMinutes(15);
    /** Lifetime of refresh tokens unless configured. */
    public static final Duration DEFAULT_REFRESH_TTL = Duration.ofDays(7);
    /** Longest token {@link #verify} reads; anything longer is malformed. */
    public static final int MAX_TOKEN_LENGTH = 1024;

    private static final String MAC = "HmacSHA256";
    private static final String VERSION = "1";
    private static final int SIGNATURE_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;
    private final Duration accessTtl;
    private final Duration refreshTtl;

    private TokenSigner(Builder b) {
        this.key = new SecretKeySpec(b.key, MAC);
        this.clock = b.clock;
        this.accessTtl = b.accessTtl;
        this.refreshTtl = b.refreshTtl;
    }

    /**
     * @param key the signing key, at least {@value #MIN_KEY_BYTES} bytes (see {@link #newKey()});
     *        copied
     * @return a builder with the default lifetimes and the system clock
     * @throws IllegalArgumentException when the key is too short
     */
    public static Builder builder(byte[] key) {
        return new Builder(key);
    }

    /** @return a new random {@value #MIN_KEY_BYTES}-byte signing key */
    public static byte[] newKey() {
        byte[] key = new byte[MIN_KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** @return the lifetime of access tokens */
    public Duration accessTtl() {
        return accessTtl;
    }

    /** @return the lifetime of refresh tokens */
    public Duration refreshTtl() {
        return refreshTtl;
    }

    /** @return the clock that stamps and checks tokens */
    public Clock clock() {
        return clock;
    }

    /**
     * Issues an access token and a refresh token, both stamped with the clock's current second.
     *
     * @param subject the user id
     * @param role the user's role
     * @param sessionId the login session
     * @param generation the session's current refresh generation, not negative
     * @return the pair
     * @throws IllegalArgumentException when a field is not valid in a token (see
     *         {@link TokenClaims})
     */
    public Tokens issue(String subject, Role role, String sessionId, long generation) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        TokenClaims access = new TokenClaims(subject, role, TokenType.ACCESS, sessionId, generation, now, now.plus(
                accessTtl));
        TokenClaims refresh = new TokenClaims(subject, role, TokenType.REFRESH, sessionId, generation, now, now.plus(
                refreshTtl));
        return new Tokens(sign(access), access.expiresAt(), sign(refresh), refresh.expiresAt());
    }

    /**
     * Signs arbitrary claims, for callers that need a single token or other lifetimes.
     *
     * @param claims what the token says
     * @return the token
     */
    public String sign(TokenClaims claims) {
        String payload = String.join("|", VERSION, claims.type().name(), claims.subject(), claims.role().name(),
                claims.sessionId(), Long.toString(claims.generation()), Long.toString(claims.issuedAt()
                        .getEpochSecond()),
                Long.toString(claims.expiresAt().getEpochSecond()));
        String body = ENCODER.encodeToString(payload.getBytes(StandardCharsets.US_ASCII));
        return body + '.' + ENCODER.encodeToString(mac(body));
    }

    /**
     * Verifies a token and returns its claims.
     *
     * @param token the token as received, e.g. from an {@code Authorization: Bearer} header
     * @param expected the type the caller accepts here
     * @return the claims, from a token that this key signed, of the expected type, not expired
     * @throws TokenException {@link TokenException.Reason#MALFORMED MALFORMED},
     *         {@link TokenException.Reason#BAD_SIGNATURE BAD_SIGNATURE},
     *         {@link TokenException.Reason#WRONG_TYPE WRONG_TYPE} or
     *         {@link TokenException.Reason#EXPIRED EXPIRED}
     */
    public TokenClaims verify(String token, TokenType expected) {
        Objects.requireNonNull(expected, "expected");
        if (token == null || token.isEmpty()) {
            throw malformed("token is empty");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw malformed("token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.') || dot == token.length() - 1) {
            throw malformed("token must be two non-empty parts separated by one '.'");
        }
        String body = token.substring(0, dot);
        String signaturePart = token.substring(dot + 1);
        byte[] signature = decode(signaturePart, "signature");
        if (signature.length != SIGNATURE_BYTES) {
            throw malformed("token signature must be " + SIGNATURE_BYTES + " bytes, got " + signature.length);
        }
        // Every signature must have one spelling: a different last character that decodes to the
        // same bytes would otherwise be a second valid token.
        if (!ENCODER.encodeToString(signature).equals(signaturePart)) {
            throw malformed("token signature is not in canonical base64url");
        }
        if (!MessageDigest.isEqual(mac(body), signature)) {
            throw new TokenException(TokenException.Reason.BAD_SIGNATURE, "token signature does not match");
        }
        TokenClaims claims = parse(new String(decode(body, "payload"), StandardCharsets.US_ASCII));
        if (claims.type() != expected) {
            throw new TokenException(TokenException.Reason.WRONG_TYPE, "expected " + article(expected) + " token, got "
                    + article(claims.type()) + " token");
        }
        Instant now = clock.instant();
        if (!now.isBefore(claims.expiresAt())) {
            throw new TokenException(TokenException.Reason.EXPIRED,
                    claims.type().name().toLowerCase(Locale.ROOT) + " token expired at " + claims.expiresAt());
        }
        return claims;
    }

    private static String article(TokenType type) {
        return (type == TokenType.ACCESS ? "an " : "a ") + type.name();
    }

    private static TokenClaims parse(String payload) {
        String[] f = payload.split("\\|", -1);
        if (f.length != 8) {
            throw malformed("token payload must have 8 fields, got " + f.length);
        }
        if (!f[0].equals(VERSION)) {
            throw malformed("unsupported token format version");
        }
        try {
            TokenType type = constant(TokenType.class, f[1], "type");
            Role role = constant(Role.class, f[3], "role");
            long generation = number(f[5], "generation");
            Instant issuedAt = Instant.ofEpochSecond(number(f[6], "issuedAt"));
            Instant expiresAt = Instant.ofEpochSecond(number(f[7], "expiresAt"));
            return new TokenClaims(f[2], role, type, f[4], generation, issuedAt, expiresAt);
        } catch (DateTimeException e) {
            throw malformed("token time is out of range");
        } catch (IllegalArgumentException e) {
            throw malformed("token payload is invalid: " + e.getMessage());
        }
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String name, String field) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + field);
    }

    private static long number(String text, String field) {
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(field + " is not a non-negative number");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " is out of range");
        }
    }

    private static byte[] decode(String part, String what) {
        try {
            return DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw malformed("token " + what + " is not base64url");
        }
    }

    private static TokenException malformed(String message) {
        return new TokenException(TokenException.Reason.MALFORMED, message);
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(MAC + " is not available", e);
        }
    }

    /** Settings of a {@link TokenSigner}. */
    public static final class Builder {
        private final byte[] key;
        private Clock clock = Clock.systemUTC();
        private Duration accessTtl = DEFAULT_ACCESS_TTL;
        private Duration refreshTtl = DEFAULT_REFRESH_TTL;

        private Builder(byte[] key) {
            Objects.requireNonNull(key, "key");
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("token signing key must be at least " + MIN_KEY_BYTES
                        + " bytes, got " + key.length);
            }
            this.key = key.clone();
        }

        /**
         * @param clock the source of the current time, {@link Clock#systemUTC()} by default
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param ttl lifetime of access tokens, at least one second; 15 minutes by default
         * @return this builder
         */
        public Builder accessTtl(Duration ttl) {
            this.accessTtl = checkTtl(ttl, "access");
            return this;
        }

        /**
         * @param ttl lifetime of refresh tokens, at least one second; 7 days by default
         * @return this builder
         */
        public Builder refreshTtl(Duration ttl) {
            this.refreshTtl = checkTtl(ttl, "refresh");
            return this;
        }

        private static Duration checkTtl(Duration ttl, String which) {
            Objects.requireNonNull(ttl, which + "Ttl");
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException(which + " token lifetime must be at least 1 s, got " + ttl);
            }
            return ttl.truncatedTo(ChronoUnit.SECONDS);
        }

        /** @return a signer with these settings */
        public TokenSigner build() {
            return new TokenSigner(this);
        }
    }
}
