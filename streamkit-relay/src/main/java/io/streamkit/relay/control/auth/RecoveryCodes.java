package io.streamkit.relay.control.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One-time recovery codes that let a user log in when the authenticator is lost.
 *
 * <p>A code looks like {@code 7kmq-x3vd-a9ph}: twelve symbols from a 31-character alphabet of
 * lower-case letters and digits without the easily confused {@code 0 o 1 l i}, about 59 bits of
 * entropy, drawn from {@link SecureRandom}. The user sees the codes once; the server stores only
 * their SHA-256 hashes (a slow hash is not needed for random codes of this strength) and removes a
 * hash when its code is used.
 *
 * <p>Codes are compared after normalization: case, spaces and hyphens do not matter.
 *
 * @see <a href="https://csrc.nist.gov/pubs/fips/180-4/upd1/final">FIPS 180-4 (SHA-256)</a>
 */
public final class RecoveryCodes {
    /** How many codes {@link #generate()} makes. */
    public static final int DEFAULT_COUNT = 10;
    /** Most codes one call may make. */
    public static final int MAX_COUNT = 100;

    static final String ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
    static final int GROUPS = 3;
    static final int GROUP_LENGTH = 4;
    private static final int SYMBOLS = GROUPS * GROUP_LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryCodes() {
    }

    /**
     * A fresh set of codes: show {@link #codes()} to the user once, store {@link #hashes()}.
     * {@link #toString()} leaves the codes out.
     *
     * @param codes the codes in display form, {@code xxxx-xxxx-xxxx}
     * @param hashes their hashes, in the same order
     */
    public record Issued(List<String> codes, List<String> hashes) {
        /** Copies the lists and checks that they match in length. */
        public Issued {
            codes = List.copyOf(codes);
            hashes = List.copyOf(hashes);
            if (codes.size() != hashes.size()) {
                throw new IllegalArgumentException(codes.size() + " codes but " + hashes.size() + " hashes");
            }
        }

        @Override
        public String toString() {
            return "Issued[" + codes.size() + " codes]";
        }
    }

    /** @return {@value #DEFAULT_COUNT} new codes */
    public static Issued generate() {
        return generate(DEFAULT_COUNT);
    }

    /**
     * @param count how many codes, 1 to {@value #MAX_COUNT}
     * @return that many distinct new codes
     * @throws IllegalArgumentException when {@code count} is out of range
     */
    public static Issued generate(int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("recovery code count must be 1 to " + MAX_COUNT + ", got " + count);
        }
        Set<String> codes = new LinkedHashSet<>();
        while (codes.size() < count) {
            StringBuilder code = new StringBuilder(SYMBOLS + GROUPS - 1);
            for (int i = 0; i < SYMBOLS; i++) {
                if (i > 0 && i % GROUP_LENGTH == 0) {
                    code.append('-');
                }
                code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            codes.add(code.toString());
        }
        List<String> hashes = new ArrayList<>(count);
        for (String code : codes) {
            hashes.add(hash(code));
        }
        return new Issued(List.copyOf(codes), hashes);
    }

    /**
     * @param code a recovery code; case, spaces and hyphens are ignored
     * @return its stored form, the lower-case hex SHA-256 of the normalized code
     * @throws IllegalArgumentException when {@code code} is not in the format of a recovery code
     */
    public static String hash(CharSequence code) {
        String normalized = normalize(code);
        if (normalized == null) {
            throw new IllegalArgumentException("not a recovery code: expected " + SYMBOLS
                    + " letters and digits in groups like xxxx-xxxx-xxxx");
        }
        return sha256Hex(normalized);
    }

    /**
     * Verifies a code and consumes it. Every stored hash is compared, in constant time, whatever
     * matches.
     *
     * @param storedHashes the hashes of the account's unused codes
     * @param code the code offered
     * @return the hashes to store from now on (without the one that matched), or empty when the
     *         code is malformed or matches none
     */
    public static Optional<List<String>> consume(List<String> storedHashes, CharSequence code) {
        String normalized = normalize(code);
        if (normalized == null) {
            return Optional.empty();
        }
        byte[] offered = sha256Hex(normalized).getBytes(StandardCharsets.US_ASCII);
        int matched = -1;
        for (int i = 0; i < storedHashes.size(); i++) {
            byte[] stored = storedHashes.get(i).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(stored, offered) && matched < 0) {
                matched = i;
            }
        }
        if (matched < 0) {
            return Optional.empty();
        }
        List<String> remaining = new ArrayList<>(storedHashes);
        remaining.remove(matched);
        return Optional.of(List.copyOf(remaining));
    }

    /** @return the code's symbols in lower case, or {@code null} when it cannot be a code */
    private static String normalize(CharSequence code) {
        if (code == null || code.length() > 4 * SYMBOLS) {
            return null;
        }
        StringBuilder out = new StringBuilder(SYMBOLS);
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '-' || c == ' ') {
                continue;
            }
            char lower = Character.toLowerCase(c);
            if (c > 0x7f || ALPHABET.indexOf(lower) < 0 || out.length() == SYMBOLS) {
                return null;
            }
            out.append(lower);
        }
        return out.length() == SYMBOLS ? out.toString() : null;
    }

    private static String sha256Hex(String normalized) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
