package io.streamkit.relay.srt;

/**
 * The two-bit KK field: which stream encrypting key a data packet was encrypted with, or which
 * keys a Key Material message carries.
 */
public enum SrtKeyFlag {
    /** {@code 0b00}: not encrypted. */
    NONE(0),
    /** {@code 0b01}: the even key. */
    EVEN(1),
    /** {@code 0b10}: the odd key. */
    ODD(2),
    /** {@code 0b11}: both keys (Key Material messages only, never a data packet). */
    BOTH(3);

    private static final SrtKeyFlag[] BY_BITS = values();
    private final int bits;

    SrtKeyFlag(int bits) {
        this.bits = bits;
    }

    /** @return the two-bit wire value */
    public int bits() {
        return bits;
    }

    /**
     * @param bits a two-bit wire value
     * @return the flag it encodes
     */
    public static SrtKeyFlag fromBits(int bits) {
        return BY_BITS[bits & 3];
    }

    /** @return whether the even key is included */
    public boolean hasEven() {
        return (bits & 1) != 0;
    }

    /** @return whether the odd key is included */
    public boolean hasOdd() {
        return (bits & 2) != 0;
    }
}
