package io.streamkit.relay.control.auth;

import java.util.Arrays;

/**
 * Base32 with the RFC 4648 alphabet ({@code A-Z}, {@code 2-7}), the text form of TOTP secrets in
 * authenticator apps and {@code otpauth://} URIs.
 *
 * <p>{@link #encode(byte[])} writes upper case without padding, as {@code otpauth://} URIs
 * expect; {@link #encodePadded(byte[])} pads with {@code =} to a multiple of eight symbols.
 * {@link #decode(CharSequence)} is lenient where people are (either case, white space between
 * groups, padding or none) and strict where a mistake would change the secret: it refuses foreign
 * characters, impossible lengths and non-zero unused bits, so each byte string has exactly one
 * accepted spelling up to case, spacing and padding.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4648#section-6">RFC 4648, section 6 (Base32)</a>
 */
public final class Base32 {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
            VALUES[Character.toLowerCase(ALPHABET[i])] = i;
        }
    }

    private Base32() {
    }

    /**
     * @param data bytes to encode
     * @return upper-case Base32 without padding
     */
    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out.append(ALPHABET[(buffer >>> bits) & 0x1f]);
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 0x1f]);
        }
        return out.toString();
    }

    /**
     * @param data bytes to encode
     * @return upper-case Base32 padded with {@code =} to a multiple of eight symbols
     */
    public static String encodePadded(byte[] data) {
        StringBuilder out = new StringBuilder(encode(data));
        while (out.length() % 8 != 0) {
            out.append('=');
        }
        return out.toString();
    }

    /**
     * Decodes Base32 text. Upper and lower case are accepted, white space is skipped, and
     * {@code =} padding may be present at the end or left out.
     *
     * @param text Base32 text
     * @return the decoded bytes
     * @throws IllegalArgumentException naming the position of a character outside the alphabet,
     *         padding before the end, a length that cannot encode whole bytes, or non-zero unused
     *         bits in the last symbol; the message does not repeat the text
     */
    public static byte[] decode(CharSequence text) {
        int n = text.length();
        byte[] out = new byte[n * 5 / 8];
        int written = 0;
        int symbols = 0;
        int buffer = 0;
        int bits = 0;
        boolean padding = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (c == '=') {
                padding = true;
                continue;
            }
            int value = c < VALUES.length ? VALUES[c] : -1;
            if (value < 0) {
                throw new IllegalArgumentException("invalid Base32 character at index " + i);
            }
            if (padding) {
                throw new IllegalArgumentException("Base32 character after padding '=' at index " + i);
            }
            symbols++;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[written++] = (byte) (buffer >>> bits);
                buffer &= (1 << bits) - 1;
            }
        }
        int rest = symbols % 8;
        if (rest == 1 || rest == 3 || rest == 6) {
            throw new IllegalArgumentException("Base32 text of " + symbols + " symbols does not encode whole bytes");
        }
        if (buffer != 0) {
            throw new IllegalArgumentException("non-canonical Base32: the unused bits of the last symbol are not zero");
        }
        return written == out.length ? out : Arrays.copyOf(out, written);
    }
}
