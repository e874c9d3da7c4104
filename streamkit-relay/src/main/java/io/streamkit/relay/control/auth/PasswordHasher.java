package io.streamkit.relay.control.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes and verifies passwords with PBKDF2-HMAC-SHA256 and enforces the password policy.
 *
 * <p>A hash is stored as self-describing text, {@code pbkdf2-sha256$<iterations>$<salt>$<hash>},
 * salt and hash in unpadded standard Base64: a random 16-byte salt per password and a 32-byte
 * derived key. Because the iteration count travels with the hash, it can be raised later: hashes
 * made with fewer iterations still verify, and {@link #needsRehash(String)} tells the caller to
 * store a fresh hash after the next successful login.
 *
 * <p>Passwords are normalized to Unicode NFC before hashing, so that the same password typed as
 * composed or decomposed characters matches. Verification compares in constant time. Nothing here
 * logs or echoes a password; exception messages name lengths and formats only.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8018#section-5.2">RFC 8018, section 5.2
 *      (PBKDF2)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2104">RFC 2104 (HMAC)</a>
 */
public final class PasswordHasher {
    /** Iterations when none are given: the OWASP figure for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 310_000;
    /** Fewest characters (Unicode code points) a password must have. */
    public static final int MIN_LENGTH = 10;
    /** Most characters (Unicode code points) a password may have. */
    public static final int MAX_LENGTH = 256;

    static final String SCHEME = "pbkdf2-sha256";
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    /** Bound on a stored iteration count, so that a corrupt hash cannot stall a login thread. */
    static final int MAX_ITERATIONS = 100_000_000;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private final int iterations;
    /** Hash of a random password, verified against when the account does not exist. */
    private volatile String dummy;

    /** Creates a hasher with {@value #DEFAULT_ITERATIONS} iterations. */
    public PasswordHasher() {
        this(DEFAULT_ITERATIONS);
    }

    /**
     * @param iterations PBKDF2 iterations for new hashes, 1 to 100,000,000; production code keeps
     *        the default, tests may use fewer
     * @throws IllegalArgumentException when out of range
     */
    public PasswordHasher(int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be between 1 and " + MAX_ITERATIONS + ", got "
                    + iterations);
        }
        this.iterations = iterations;
    }

    /** @return the iteration count of new hashes */
    public int iterations() {
        return iterations;
    }

    /**
     * Checks a new password against the policy: {@value #MIN_LENGTH} to {@value #MAX_LENGTH}
     * characters, counted as Unicode code points after NFC normalization.
     *
     * @param password the proposed password
     * @throws IllegalArgumentException with a message fit for the user when the password is
     *         missing, too short or too long; the message never contains the password
     */
    public static void checkPolicy(CharSequence password) {
        if (password == null || password.length() == 0) {
            throw new IllegalArgumentException("password is required");
        }
        String normalized = Normalizer.normalize(password, Normalizer.Form.NFC);
        int length = normalized.codePointCount(0, normalized.length());
        if (length < MIN_LENGTH) {
            throw new IllegalArgumentException("password must be at least " + MIN_LENGTH + " characters long, got "
                    + length);
        }
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("password must be at most " + MAX_LENGTH + " characters long, got "
                    + length);
        }
    }

    /**
     * Hashes a password with a fresh random salt. This method does not apply the policy; call
     * {@link #checkPolicy(CharSequence)} first when the user chooses a new password.
     *
     * @param password the password
     * @return the encoded hash, {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}
     */
    public String hash(CharSequence password) {
        if (password == null) {
            throw new NullPointerException("password");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] derived = derive(password, salt, iterations, HASH_BYTES);
        return SCHEME + '$' + iterations + '$' + B64.encodeToString(salt) + '$' + B64.encodeToString(derived);
    }

    /**
     * Verifies a password against a stored hash in constant time.
     *
     * <p>When {@code encoded} is {@code null} (no such account), the password is hashed anyway
     * against an internal dummy hash and {@code false} is returned, so that a login for an unknown
     * account takes as long as one for a known account.
     *
     * @param password the password offered
     * @param encoded the stored hash, or {@code null} when there is none
     * @return whether the password matches
     * @throws IllegalArgumentException when {@code encoded} is not a hash in this format
     */
    public boolean verify(CharSequence password, String encoded) {
        if (password == null) {
            throw new NullPointerException("password");
        }
        if (encoded == null) {
            Parsed parsed = parse(dummyHash());
            derive(password, parsed.salt(), parsed.iterations(), parsed.hash().length);
            return false;
        }
        Parsed parsed = parse(encoded);
        byte[] derived = derive(password, parsed.salt(), parsed.iterations(), parsed.hash().length);
        return MessageDigest.isEqual(derived, parsed.hash());
    }

    /**
     * Tells whether a stored hash was made with fewer iterations than this hasher uses; if so, the
     * caller should hash the password again after a successful {@link #verify} and store the
     * result.
     *
     * @param encoded the stored hash
     * @return whether the hash should be replaced
     * @throws IllegalArgumentException when {@code encoded} is not a hash in this format
     */
    public boolean needsRehash(String encoded) {
        return parse(encoded).iterations() < iterations;
    }

    private String dummyHash() {
        String d = dummy;
        if (d == null) {
            byte[] random = new byte[24];
            RANDOM.nextBytes(random);
            d = hash(B64.encodeToString(random));
            dummy = d;
        }
        return d;
    }

    /** The fields of an encoded hash. */
    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String encoded) {
        if (encoded == null) {
            throw new NullPointerException("encoded");
        }
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("malformed password hash: expected 4 fields separated by '$', got "
                    + parts.length);
        }
        if (!parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("unsupported password hash scheme, expected " + SCHEME);
        }
        int iterations = parseIterations(parts[1]);
        byte[] salt = decode(parts[2], "salt");
        byte[] hash = decode(parts[3], "hash");
        if (salt.length == 0) {
            throw new IllegalArgumentException("malformed password hash: salt is empty");
        }
        if (hash.length < 16 || hash.length > 64) {
            throw new IllegalArgumentException("malformed password hash: hash of " + hash.length
                    + " bytes, 16 to 64 are required");
        }
        return new Parsed(iterations, salt, hash);
    }

    private static int parseIterations(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("malformed password hash: iteration count is not a number");
        }
        int value = Integer.parseInt(text);
        if (value < 1 || value > MAX_ITERATIONS) {
            throw new IllegalArgumentException("malformed password hash: iteration count " + value
                    + " is not between 1 and " + MAX_ITERATIONS);
        }
        return value;
    }

    private static byte[] decode(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed password hash: " + field + " is not Base64", e);
        }
    }

    private static byte[] derive(CharSequence password, byte[] salt, int iterations, int bytes) {
        char[] chars = Normalizer.normalize(password, Normalizer.Form.NFC).toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
