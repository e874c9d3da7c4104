package io.streamkit.relay.srt;

/**
 * SRT packet timestamps: 32-bit unsigned microseconds since the connection started, wrapping
 * about every 71.6 minutes. Held in an {@code int} with the wire's bit pattern.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-3">draft-sharabayko-srt, Packet Structure</a>
 */
public final class SrtTimestamp {
    /** The number of distinct timestamps, {@code 2^32}; the wrap period in microseconds. */
    public static final long PERIOD = 1L << 32;

    private SrtTimestamp() {
    }

    /**
     * @param micros microseconds since the connection started (any non-negative value)
     * @return the 32-bit wire timestamp
     */
    public static int of(long micros) {
        return (int) micros;
    }

    /**
     * @param timestamp a wire timestamp
     * @return its unsigned value in {@code [0, 2^32)}
     */
    public static long toUnsigned(int timestamp) {
        return Integer.toUnsignedLong(timestamp);
    }

    /**
     * @param a a wire timestamp
     * @param b a wire timestamp
     * @return the signed circular distance {@code a - b} in microseconds, in {@code [-2^31, 2^31)}
     */
    public static int diff(int a, int b) {
        return a - b;
    }

    /**
     * @param a a wire timestamp
     * @param b a wire timestamp
     * @return whether {@code a} is earlier than {@code b} (within half the wrap period)
     */
    public static boolean isBefore(int a, int b) {
        return diff(a, b) < 0;
    }

    /**
     * Extends a wire timestamp to 64 bits: the value congruent to {@code timestamp} modulo
     * {@code 2^32} that is nearest to {@code reference}.
     *
     * @param timestamp a wire timestamp
     * @param reference a recent 64-bit timestamp of the same clock, such as the last unwrapped one
     * @return the unwrapped timestamp in microseconds
     */
    public static long unwrap(int timestamp, long reference) {
        return reference + diff(timestamp, (int) reference);
    }
}
