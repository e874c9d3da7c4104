package io.streamkit.relay.control.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (TOTP) for two-factor login, as produced by authenticator apps.
 *
 * <p>A code is the RFC 4226 HOTP value of the shared secret and the current <em>time step</em>,
 * the number of whole {@link #step() steps} (30 s by default) since the Unix epoch. Defaults are
 * those every authenticator app understands: HMAC-SHA1, six digits, 30 s; SHA-256, SHA-512 and
 * eight digits can be chosen through the {@link Builder}.
 *
 * <p>{@link #verify(byte[], CharSequence, long)} accepts a code from the current step or up to
 * {@link #window()} steps before or after it (one by default), to absorb clock drift and typing
 * time. It refuses a code whose step is not later than the last step accepted for the account, so
 * that an intercepted code cannot be used twice; the caller stores the step it returns.
 *
 * <p>Instances are immutable and thread-safe; the {@link Clock} is injectable for tests.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6238">RFC 6238 (TOTP)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4226">RFC 4226 (HOTP)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2104">RFC 2104 (HMAC)</a>
 * @see <a href="https://github.com/google/google-authenticator/wiki/Key-Uri-Format">Key URI
 *      format</a>
 */
public final class Totp {
    /** Length of the secrets {@link #newSecret()} makes: 160 bits, as RFC 4226 recommends. */
    public static final int SECRET_BYTES = 20;
    /** Shortest secret accepted: 128 bits, the minimum of RFC 4226, section 4 (R6). */
    public static final int MIN_SECRET_BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Totp DEFAULTS = new Builder().build();

    /** The HMAC hash function. */
    public enum Algorithm {
        /** HMAC-SHA1, the default and the only one all authenticator apps support. */
        SHA1("HmacSHA1"),
        /** HMAC-SHA256. */
        SHA256("HmacSHA256"),
        /** HMAC-SHA512. */
        SHA512("HmacSHA512");

        private final String macName;

        Algorithm(String macName) {
            this.macName = macName;
        }

        /** @return the JCA name of the MAC, e.g. {@code HmacSHA1} */
        public String macName() {
            return macName;
        }
    }

    private final Algorithm algorithm;
    private final int digits;
    private final Duration step;
    private final long stepSeconds;
    private final int window;
    private final Clock clock;
    private final int modulus;

    private Totp(Builder b) {
        this.algorithm = b.algorithm;
        this.digits = b.digits;
        this.step = b.step;
        this.stepSeconds = b.step.getSeconds();
        this.window = b.window;
        this.clock = b.clock;
        this.modulus = digits == 6 ? 1_000_000 : 100_000_000;
    }

    /** @return HMAC-SHA1, six digits, 30 s steps, a window of one step, the system clock */
    public static Totp defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the {@link #defaults()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from this instance's settings */
    public Builder toBuilder() {
        return new Builder().algorithm(algorithm).digits(digits).step(step).window(window).clock(clock);
    }

    /** @return the HMAC hash function */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** @return the number of digits of a code, 6 or 8 */
    public int digits() {
        return digits;
    }

    /** @return the length of a time step */
    public Duration step() {
        return step;
    }

    /** @return how many steps before and after the current one a code may come from */
    public int window() {
        return window;
    }

    /** @return the clock that gives the current time */
    public Clock clock() {
        return clock;
    }

    /** @return a new random {@value #SECRET_BYTES}-byte secret; store it, show it Base32-encoded */
    public static byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /**
     * @param time an instant, not before the Unix epoch
     * @return the time step {@code time} falls in
     */
    public long timeStep(Instant time) {
        if (time.getEpochSecond() < 0) {
            throw new IllegalArgumentException("TOTP is not defined before the Unix epoch");
        }
        return time.getEpochSecond() / stepSeconds;
    }

    /** @return the time step of the clock's current time */
    public long currentTimeStep() {
        return timeStep(clock.instant());
    }

    /**
     * @param secret the shared secret, at least {@value #MIN_SECRET_BYTES} bytes
     * @param timeStep a time step, not negative
     * @return the code for that step, zero-padded to {@link #digits()} digits
     */
    public String generate(byte[] secret, long timeStep) {
        checkSecret(secret);
        if (timeStep < 0) {
            throw new IllegalArgumentException("time step must not be negative, got " + timeStep);
        }
        return format(hotp(mac(secret), timeStep));
    }

    /**
     * @param secret the shared secret, at least {@value #MIN_SECRET_BYTES} bytes
     * @param time an instant, not before the Unix epoch
     * @return the code valid at {@code time}
     */
    public String generateAt(byte[] secret, Instant time) {
        return generate(secret, timeStep(time));
    }

    /**
     * Verifies a code typed by the user. The code may contain spaces (apps show {@code 123 456}).
     * Every step of the window is computed and compared in constant time, so the answer takes as
     * long whichever step matches.
     *
     * @param secret the account's secret, at least {@value #MIN_SECRET_BYTES} bytes
     * @param code the code offered
     * @param lastUsedStep the last step accepted for this account, or {@code -1} (or 0) when none;
     *        a code from this step or an earlier one is refused as a replay
     * @return the accepted time step, to be stored as the new {@code lastUsedStep}; empty when the
     *         code is malformed, wrong, outside the window or replayed
     */
    public OptionalLong verify(byte[] secret, CharSequence code, long lastUsedStep) {
        checkSecret(secret);
        byte[] offered = normalize(code);
        if (offered == null) {
            return OptionalLong.empty();
        }
        Mac mac = mac(secret);
        long current = currentTimeStep();
        long accepted = -1;
        for (long s = current - window; s <= current + window; s++) {
            if (s < 0) {
                continue;
            }
            boolean match = MessageDigest.isEqual(format(hotp(mac, s)).getBytes(StandardCharsets.US_ASCII), offered);
            if (match && s > lastUsedStep && s > accepted) {
                accepted = s;
            }
        }
        return accepted < 0 ? OptionalLong.empty() : OptionalLong.of(accepted);
    }

    /**
     * Builds the {@code otpauth://} URI an authenticator app reads from a QR code:
     * {@code otpauth://totp/Issuer:account?secret=...&issuer=Issuer}, followed by
     * {@code algorithm}, {@code digits} and {@code period} when they differ from the defaults.
     * Issuer and account are percent-encoded as UTF-8.
     *
     * @param issuer the service name the app shows, not blank, without {@code :}
     * @param account the user's login, not blank, without {@code :}
     * @param secret the account's secret
     * @return the provisioning URI; it contains the secret, so treat it like a password
     */
    public String provisioningUri(String issuer, String account, byte[] secret) {
        checkLabel(issuer, "issuer");
        checkLabel(account, "account");
        checkSecret(secret);
        StringBuilder uri = new StringBuilder("otpauth://totp/").append(percentEncode(issuer)).append(':').append(
                percentEncode(account)).append("?secret=").append(Base32.encode(secret)).append("&issuer=").append(
                        percentEncode(issuer));
        if (algorithm != Algorithm.SHA1) {
            uri.append("&algorithm=").append(algorithm.name());
        }
        if (digits != 6) {
            uri.append("&digits=").append(digits);
        }
        if (stepSeconds != 30) {
            uri.append("&period=").append(stepSeconds);
        }
        return uri.toString();
    }

    private String format(int value) {
        String s = Integer.toString(value % modulus);
        return "0".repeat(digits - s.length()) + s;
    }

    private byte[] normalize(CharSequence code) {
        if (code == null || code.length() > 2 * digits) {
            return null;
        }
        byte[] out = new byte[digits];
        int n = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '9' || n == digits) {
                return null;
            }
            out[n++] = (byte) c;
        }
        return n == digits ? out : null;
    }

    private Mac mac(byte[] secret) {
        try {
            Mac mac = Mac.getInstance(algorithm.macName());
            mac.init(new SecretKeySpec(secret, algorithm.macName()));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.macName() + " is not available", e);
        }
    }

    /** RFC 4226, section 5.3: HMAC of the 8-byte big-endian counter, then dynamic truncation. */
    private static int hotp(Mac mac, long counter) {
        byte[] h = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(counter).array());
        int offset = h[h.length - 1] & 0x0f;
        return (h[offset] & 0x7f) << 24 | (h[offset + 1] & 0xff) << 16 | (h[offset + 2] & 0xff) << 8
                | (h[offset + 3] & 0xff);
    }

    private static void checkSecret(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("TOTP secret must be at least " + MIN_SECRET_BYTES + " bytes, got "
                    + secret.length);
        }
    }

    private static void checkLabel(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.indexOf(':') >= 0) {
            throw new IllegalArgumentException(name + " must not contain ':'");
        }
    }

    /** Percent-encodes all but RFC 3986 unreserved characters and {@code @}. */
    private static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~@".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character
                        .toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Settings of a {@link Totp}; starts from the {@link Totp#defaults()}. */
    public static final class Builder {
        private Algorithm algorithm = Algorithm.SHA1;
        private int digits = 6;
        private Duration step = Duration.ofSeconds(30);
        private int window = 1;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param algorithm the HMAC hash function, {@link Algorithm#SHA1} by default
         * @return this builder
         */
        public Builder algorithm(Algorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /**
         * @param digits 6 (the default) or 8
         * @return this builder
         * @throws IllegalArgumentException for any other count
         */
        public Builder digits(int digits) {
            if (digits != 6 && digits != 8) {
                throw new IllegalArgumentException("TOTP digits must be 6 or 8, got " + digits);
            }
            this.digits = digits;
            return this;
        }

        /**
         * @param step length of a time step, whole seconds from 1 s to 10 min; 30 s by default
         * @return this builder
         * @throws IllegalArgumentException when out of range or not whole seconds
         */
        public Builder step(Duration step) {
            Objects.requireNonNull(step, "step");
            if (step.getNano() != 0 || step.getSeconds() < 1 || step.getSeconds() > 600) {
                throw new IllegalArgumentException("TOTP step must be whole seconds from 1 s to 10 min, got " + step);
            }
            this.step = step;
            return this;
        }

        /**
         * @param window steps accepted before and after the current one, 0 to 10; 1 by default
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder window(int window) {
            if (window < 0 || window > 10) {
                throw new IllegalArgumentException("TOTP window must be 0 to 10 steps, got " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * @param clock the source of the current time, {@link Clock#systemUTC()} by default
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @return a {@link Totp} with these settings */
        public Totp build() {
            return new Totp(this);
        }
    }
}
