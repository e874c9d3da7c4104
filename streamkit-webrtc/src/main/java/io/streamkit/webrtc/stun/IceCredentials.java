package io.streamkit.webrtc.stun;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Random;

/**
 * An ICE username fragment and password (<a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.4">RFC
 * 8839 section 5.4</a>): {@code ice-ufrag} of 4 to 256 and {@code ice-pwd} of 22 to 256 characters from
 * the ice-char set (letters, digits, {@code +} and {@code /}).
 *
 * <p>The password is the short-term credential of STUN connectivity checks: the key of their
 * MESSAGE-INTEGRITY is its bytes. {@link #toString()} does not show it.
 *
 * @param ufrag the username fragment
 * @param password the password
 */
public record IceCredentials(String ufrag, String password) {
    /** The length of the username fragments {@link #random()} makes. */
    public static final int RANDOM_UFRAG_LENGTH = 8;
    /** The length of the passwords {@link #random()} makes: 24 characters, 144 bits. */
    public static final int RANDOM_PASSWORD_LENGTH = 24;

    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Checks the lengths and the characters. */
    public IceCredentials {
        check("ice-ufrag", ufrag, 4);
        check("ice-pwd", password, 22);
    }

    private static void check(String what, String value, int min) {
        Objects.requireNonNull(value, what);
        if (value.length() < min || value.length() > 256) {
            throw new IllegalArgumentException(
                    what + " must have " + min + " to 256 characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (ICE_CHARS.indexOf(value.charAt(i)) < 0) {
                throw new IllegalArgumentException(String.format(
                        "%s has character U+%04X at index %d, outside the ice-char set (letters, digits, + and /)",
                        what, (int) value.charAt(i), i));
            }
        }
    }

    /** @return fresh credentials: an 8-character ufrag and a 24-character password from a SecureRandom */
    public static IceCredentials random() {
        return random(RANDOM);
    }

    /**
     * @param random the source of randomness; use a {@link SecureRandom} outside tests
     * @return fresh credentials: an 8-character ufrag and a 24-character password
     */
    public static IceCredentials random(Random random) {
        return new IceCredentials(randomIceChars(random, RANDOM_UFRAG_LENGTH),
                randomIceChars(random, RANDOM_PASSWORD_LENGTH));
    }

    private static String randomIceChars(Random random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            // 64 symbols: every one equally likely
            chars[i] = ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length()));
        }
        return new String(chars);
    }

    /** @return the password's bytes, the MESSAGE-INTEGRITY key of checks sent to the holder */
    public byte[] passwordBytes() {
        return password.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the ufrag and a masked password */
    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", password=***]";
    }
}
