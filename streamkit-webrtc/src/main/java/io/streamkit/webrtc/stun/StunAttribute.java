package io.streamkit.webrtc.stun;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One attribute of a STUN message
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-14">RFC 8489 section 14</a>): a 16-bit type and
 * a value of up to 65535 bytes, padded on the wire to a multiple of four bytes.
 *
 * <p>Immutable. A decoded attribute keeps the padding bytes it was received with (RFC 8489 lets
 * senders fill them with anything, and MESSAGE-INTEGRITY covers them), so that a decoded message
 * re-encodes to the exact bytes received; attributes made with {@link #of} are padded with zeros.
 * Attributes whose type this package does not know are kept as they are.
 */
public final class StunAttribute {
    /** MAPPED-ADDRESS (RFC 8489 section 14.1). */
    public static final int MAPPED_ADDRESS = 0x0001;
    /** USERNAME (RFC 8489 section 14.3). */
    public static final int USERNAME = 0x0006;
    /** MESSAGE-INTEGRITY, HMAC-SHA1 (RFC 8489 section 14.5). */
    public static final int MESSAGE_INTEGRITY = 0x0008;
    /** ERROR-CODE (RFC 8489 section 14.8). */
    public static final int ERROR_CODE = 0x0009;
    /** UNKNOWN-ATTRIBUTES (RFC 8489 section 14.13). */
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    /** REALM (RFC 8489 section 14.9). */
    public static final int REALM = 0x0014;
    /** NONCE (RFC 8489 section 14.10). */
    public static final int NONCE = 0x0015;
    /** MESSAGE-INTEGRITY-SHA256 (RFC 8489 section 14.6). */
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    /** XOR-MAPPED-ADDRESS (RFC 8489 section 14.2). */
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** PRIORITY (RFC 8445 section 16.1). */
    public static final int PRIORITY = 0x0024;
    /** USE-CANDIDATE (RFC 8445 section 16.1). */
    public static final int USE_CANDIDATE = 0x0025;
    /** SOFTWARE (RFC 8489 section 14.14). */
    public static final int SOFTWARE = 0x8022;
    /** FINGERPRINT (RFC 8489 section 14.7). */
    public static final int FINGERPRINT = 0x8028;
    /** ICE-CONTROLLED (RFC 8445 section 16.1). */
    public static final int ICE_CONTROLLED = 0x8029;
    /** ICE-CONTROLLING (RFC 8445 section 16.1). */
    public static final int ICE_CONTROLLING = 0x802A;

    /** The longest USERNAME value in bytes (RFC 8489 section 14.3). */
    public static final int MAX_USERNAME_BYTES = 513;
    /** The longest SOFTWARE value in bytes (RFC 8489 section 14.14). */
    public static final int MAX_SOFTWARE_BYTES = 763;
    /** The largest value length the 16-bit length field can express. */
    public static final int MAX_VALUE_LENGTH = 0xFFFF;

    private final int type;
    private final byte[] buf;
    private final int offset;
    private final int length;
    private final int paddedLength;

    /** A view of {@code length} value bytes at {@code offset}, followed by their padding. */
    StunAttribute(int type, byte[] buf, int offset, int length, int paddedLength) {
        this.type = type;
        this.buf = buf;
        this.offset = offset;
        this.length = length;
        this.paddedLength = paddedLength;
    }

    /**
     * @param type the attribute type, 0 to 0xFFFF
     * @param value the value, at most 65535 bytes; copied
     * @return the attribute, zero-padded on the wire
     */
    public static StunAttribute of(int type, byte[] value) {
        checkType(type);
        if (value.length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("STUN attribute value of " + value.length + " bytes exceeds 65535");
        }
        int padded = padded(value.length);
        byte[] copy = Arrays.copyOf(value, padded);
        return new StunAttribute(type, copy, 0, value.length, padded);
    }

    /** @return the attribute type */
    public int type() {
        return type;
    }

    /** @return the value length in bytes, without padding */
    public int length() {
        return length;
    }

    /** @return a copy of the value, without padding */
    public byte[] value() {
        return Arrays.copyOfRange(buf, offset, offset + length);
    }

    /** @return the value decoded as UTF-8 (malformed sequences become U+FFFD) */
    public String valueAsString() {
        return new String(buf, offset, length, StandardCharsets.UTF_8);
    }

    /**
     * @return whether a receiver that does not know this type must reject the message: types
     *     0x0000 to 0x7FFF (RFC 8489 section 14)
     */
    public boolean isComprehensionRequired() {
        return isComprehensionRequired(type);
    }

    /**
     * @param type an attribute type
     * @return whether the type is in the comprehension-required range 0x0000 to 0x7FFF
     */
    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }

    /**
     * @param type an attribute type
     * @return whether this package interprets attributes of that type
     */
    public static boolean isKnown(int type) {
        switch (type) {
            case MAPPED_ADDRESS, USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, UNKNOWN_ATTRIBUTES, REALM, NONCE,
                    MESSAGE_INTEGRITY_SHA256, XOR_MAPPED_ADDRESS, PRIORITY, USE_CANDIDATE, SOFTWARE, FINGERPRINT,
                    ICE_CONTROLLED, ICE_CONTROLLING :
                return true;
            default :
                return false;
        }
    }

    /**
     * @param type an attribute type
     * @return its registered name for the types this package knows, else {@code 0x} and four hex digits
     */
    public static String name(int type) {
        return switch (type) {
            case MAPPED_ADDRESS -> "MAPPED-ADDRESS";
            case USERNAME -> "USERNAME";
            case MESSAGE_INTEGRITY -> "MESSAGE-INTEGRITY";
            case ERROR_CODE -> "ERROR-CODE";
            case UNKNOWN_ATTRIBUTES -> "UNKNOWN-ATTRIBUTES";
            case REALM -> "REALM";
            case NONCE -> "NONCE";
            case MESSAGE_INTEGRITY_SHA256 -> "MESSAGE-INTEGRITY-SHA256";
            case XOR_MAPPED_ADDRESS -> "XOR-MAPPED-ADDRESS";
            case PRIORITY -> "PRIORITY";
            case USE_CANDIDATE -> "USE-CANDIDATE";
            case SOFTWARE -> "SOFTWARE";
            case FINGERPRINT -> "FINGERPRINT";
            case ICE_CONTROLLED -> "ICE-CONTROLLED";
            case ICE_CONTROLLING -> "ICE-CONTROLLING";
            default -> String.format("0x%04x", type);
        };
    }

    // --- package-private access for the codec ----------------------------------------------------

    int paddedLength() {
        return paddedLength;
    }

    /** @return the value and padding bytes: the buffer holding them and where they start */
    byte[] buffer() {
        return buf;
    }

    int offset() {
        return offset;
    }

    int u8(int index) {
        return buf[offset + index] & 0xFF;
    }

    int u16(int index) {
        return StunMessage.u16(buf, offset + index);
    }

    long u32(int index) {
        return StunMessage.i32(buf, offset + index) & 0xFFFFFFFFL;
    }

    long i64(int index) {
        return ((long) StunMessage.i32(buf, offset + index) << 32) | u32(index + 4);
    }

    boolean valueEquals(byte[] expected) {
        return Arrays.equals(buf, offset, offset + length, expected, 0, expected.length);
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }

    static void checkType(int type) {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("STUN attribute type must be 0 to 0xFFFF, got " + type);
        }
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Checks the value of an attribute whose type this package interprets, so that the typed
     * accessors of {@link StunMessage} never fail on a decoded message.
     */
    static void validate(int type, byte[] buf, int off, int len, int position) throws StunException {
        switch (type) {
            case MAPPED_ADDRESS, XOR_MAPPED_ADDRESS -> {
                int family = len >= 2 ? buf[off + 1] & 0xFF : -1;
                if (!(family == 0x01 && len == 8) && !(family == 0x02 && len == 20)) {
                    throw new StunException(String.format(
                            "%s at offset %d: %d bytes with address family %d is neither IPv4 (family 1, 8 bytes)"
                                    + " nor IPv6 (family 2, 20 bytes)",
                            name(type), position, len, family));
                }
            }
            case USERNAME -> requireAtMost(type, len, MAX_USERNAME_BYTES, position);
            case SOFTWARE, REALM, NONCE -> requireAtMost(type, len, MAX_SOFTWARE_BYTES, position);
            case MESSAGE_INTEGRITY -> requireExactly(type, len, 20, position);
            case MESSAGE_INTEGRITY_SHA256 -> {
                if (len < 16 || len > 32 || len % 4 != 0) {
                    throw new StunException(String.format(
                            "MESSAGE-INTEGRITY-SHA256 at offset %d has %d bytes, expected 16 to 32 in steps of 4",
                            position, len));
                }
            }
            case FINGERPRINT, PRIORITY -> requireExactly(type, len, 4, position);
            case USE_CANDIDATE -> requireExactly(type, len, 0, position);
            case ICE_CONTROLLED, ICE_CONTROLLING -> requireExactly(type, len, 8, position);
            case ERROR_CODE -> {
                if (len < 4 || len > 4 + StunErrorCode.MAX_REASON_BYTES) {
                    throw new StunException(String.format(
                            "ERROR-CODE at offset %d has %d bytes, expected 4 to %d", position, len,
                            4 + StunErrorCode.MAX_REASON_BYTES));
                }
                int errorClass = buf[off + 2] & 0x07;
                int number = buf[off + 3] & 0xFF;
                if (errorClass < 3 || errorClass > 6 || number > 99) {
                    throw new StunException(String.format(
                            "ERROR-CODE at offset %d: class %d and number %d do not make a code from 300 to 699",
                            position, errorClass, number));
                }
            }
            case UNKNOWN_ATTRIBUTES -> {
                if (len % 2 != 0) {
                    throw new StunException(String.format(
                            "UNKNOWN-ATTRIBUTES at offset %d has an odd length %d", position, len));
                }
            }
            default -> {
                // kept as is
            }
        }
    }

    private static void requireExactly(int type, int len, int expected, int position) throws StunException {
        if (len != expected) {
            throw new StunException(String.format("%s at offset %d has %d bytes, expected %d", name(type), position,
                    len, expected));
        }
    }

    private static void requireAtMost(int type, int len, int max, int position) throws StunException {
        if (len > max) {
            throw new StunException(String.format("%s at offset %d has %d bytes, more than the %d allowed",
                    name(type), position, len, max));
        }
    }

    /** Equal when type, value and padding bytes are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StunAttribute a && a.type == type && a.length == length && a.paddedLength == paddedLength
                && Arrays.equals(buf, offset, offset + paddedLength, a.buf, a.offset, a.offset + a.paddedLength);
    }

    @Override
    public int hashCode() {
        int h = 31 * type + length;
        for (int i = 0; i < paddedLength; i++) {
            h = 31 * h + buf[offset + i];
        }
        return h;
    }

    @Override
    public String toString() {
        return name(type) + "(" + length + " bytes)";
    }
}
