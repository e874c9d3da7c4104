package io.streamkit.webrtc.rtp;

/**
 * Round-trip time from the report blocks a peer sends back: RTT = A − LSR − DLSR, where A is the
 * arrival time of the report on the same NTP clock that stamped the SR (in compact 1/65536 s
 * units). Keeps the latest sample and a smoothed value (weight 1/8 for a new sample). Not
 * thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550 §6.4.1 (figure 2)</a>
 */
public final class RttEstimator {
    private long latest = -1;
    private long smoothed = -1;

    /** Creates an estimator with no sample. */
    public RttEstimator() {
    }

    /**
     * @param arrivalCompact arrival time of the report block, {@link NtpTime#compact(long)} of the
     *        local NTP clock that also stamped the SRs
     * @param lastSenderReport the block's LSR
     * @param delaySinceLastSenderReport the block's DLSR
     * @return the round-trip time in nanoseconds, or -1 if the block refers to no SR (LSR 0) or the
     *         arithmetic gives a negative time
     */
    public static long rttNanos(long arrivalCompact, long lastSenderReport, long delaySinceLastSenderReport) {
        if (lastSenderReport == 0) {
            return -1;
        }
        long rtt = (arrivalCompact - lastSenderReport - delaySinceLastSenderReport) & 0xFFFFFFFFL;
        if (rtt >= 0x80000000L) {
            return -1;
        }
        return NtpTime.compactToNanos(rtt);
    }

    /**
     * Takes a sample from a report block about one of our streams.
     *
     * @param block the report block
     * @param arrivalNtp the 64-bit local NTP time at which it arrived
     * @return the sample in nanoseconds, or -1 if the block gave none
     */
    public long update(ReportBlock block, long arrivalNtp) {
        long rtt = rttNanos(NtpTime.compact(arrivalNtp), block.lastSenderReport(), block.delaySinceLastSenderReport());
        if (rtt >= 0) {
            latest = rtt;
            smoothed = smoothed < 0 ? rtt : smoothed + (rtt - smoothed) / 8;
        }
        return rtt;
    }

    /** @return the latest sample in nanoseconds, or -1 before the first */
    public long latestNanos() {
        return latest;
    }

    /** @return the smoothed round-trip time in nanoseconds, or -1 before the first sample */
    public long smoothedNanos() {
        return smoothed;
    }
}
