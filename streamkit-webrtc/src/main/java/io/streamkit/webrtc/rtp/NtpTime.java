package io.streamkit.webrtc.rtp;

/**
 * Conversions of the 64-bit NTP timestamps RTCP carries (seconds since 1900-01-01 in the high 32
 * bits, fraction of a second in the low 32) and of their "compact" middle 32 bits used by LSR and
 * DLSR (1/65536 s units).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-4">RFC 3550 §4</a>
 */
public final class NtpTime {
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    public static final long UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private NtpTime() {
    }

    /**
     * @param unixNanos nanoseconds since 1970-01-01 UTC (non-negative)
     * @return the 64-bit NTP timestamp (fraction rounded down)
     */
    public static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS_PER_SECOND) + UNIX_EPOCH_OFFSET_SECONDS;
        long fraction = (Math.floorMod(unixNanos, NANOS_PER_SECOND) << 32) / NANOS_PER_SECOND;
        return (seconds << 32) | fraction;
    }

    /**
     * @param ntp a 64-bit NTP timestamp of era 0 (before 2036)
     * @return nanoseconds since 1970-01-01 UTC (fraction rounded down)
     */
    public static long toUnixNanos(long ntp) {
        long seconds = (ntp >>> 32) - UNIX_EPOCH_OFFSET_SECONDS;
        long nanos = ((ntp & 0xFFFFFFFFL) * NANOS_PER_SECOND) >>> 32;
        return seconds * NANOS_PER_SECOND + nanos;
    }

    /**
     * @param ntp a 64-bit NTP timestamp
     * @return its middle 32 bits, the form LSR uses
     */
    public static long compact(long ntp) {
        return (ntp >>> 16) & 0xFFFFFFFFL;
    }

    /**
     * @param nanos a duration in nanoseconds (non-negative)
     * @return the duration in 1/65536 s units (DLSR's unit), saturated at 2^32 - 1
     */
    public static long nanosToCompact(long nanos) {
        long whole = nanos / NANOS_PER_SECOND;
        long units = (whole << 16) + ((nanos % NANOS_PER_SECOND) << 16) / NANOS_PER_SECOND;
        return whole >= 65_536 ? 0xFFFFFFFFL : Math.min(units, 0xFFFFFFFFL);
    }

    /**
     * @param compact a duration in 1/65536 s units
     * @return the duration in nanoseconds
     */
    public static long compactToNanos(long compact) {
        return (compact * NANOS_PER_SECOND) >>> 16;
    }
}
