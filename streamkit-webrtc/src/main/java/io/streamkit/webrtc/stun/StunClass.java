package io.streamkit.webrtc.stun;

/**
 * The class of a STUN message, the two C bits of the message type
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-5">RFC 8489 section 5</a>).
 */
public enum StunClass {
    /** A request (C1C0 = 0b00). */
    REQUEST(0b00),
    /** An indication (C1C0 = 0b01). */
    INDICATION(0b01),
    /** A success response (C1C0 = 0b10). */
    SUCCESS_RESPONSE(0b10),
    /** An error response (C1C0 = 0b11). */
    ERROR_RESPONSE(0b11);

    private static final StunClass[] BY_BITS = values();

    private final int bits;

    StunClass(int bits) {
        this.bits = bits;
    }

    /** @return the two class bits, C1 as bit 1 and C0 as bit 0 */
    public int bits() {
        return bits;
    }

    /**
     * @param bits the two class bits, 0 to 3
     * @return the class they designate
     */
    public static StunClass ofBits(int bits) {
        if (bits < 0 || bits > 3) {
            throw new IllegalArgumentException("STUN class bits must be 0 to 3, got " + bits);
        }
        return BY_BITS[bits];
    }

    /** @return whether this is a success or an error response */
    public boolean isResponse() {
        return this == SUCCESS_RESPONSE || this == ERROR_RESPONSE;
    }
}
