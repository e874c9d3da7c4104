package io.streamkit.relay.srt;

/**
 * The packet position flag (PP) of a data packet: where the packet sits in its message. Live
 * streaming sends every packet as {@link #SOLO}.
 */
public enum SrtPacketPosition {
    /** {@code 0b00}: a middle packet of a multi-packet message. */
    MIDDLE(0),
    /** {@code 0b01}: the last packet of a multi-packet message. */
    LAST(1),
    /** {@code 0b10}: the first packet of a multi-packet message. */
    FIRST(2),
    /** {@code 0b11}: a message that fits one packet. */
    SOLO(3);

    private static final SrtPacketPosition[] BY_BITS = values();
    private final int bits;

    SrtPacketPosition(int bits) {
        this.bits = bits;
    }

    /** @return the two-bit wire value */
    public int bits() {
        return bits;
    }

    /**
     * @param bits a two-bit wire value
     * @return the position it encodes
     */
    public static SrtPacketPosition fromBits(int bits) {
        return BY_BITS[bits & 3];
    }
}
