package io.streamkit.webrtc.rtp;

/**
 * Reception statistics of one incoming SSRC, producing the report blocks the SFU sends to the
 * publisher: extended highest sequence number, cumulative and interval loss (RFC 3550 A.1, A.3),
 * interarrival jitter (A.8), and LSR/DLSR from the publisher's last sender report.
 *
 * <p>Sequence numbers follow the algorithm of A.1 without probation (SRTP already authenticated
 * the packets): a jump of more than {@value #MAX_DROPOUT} forward or more than
 * {@value #MAX_MISORDER} backward is ignored once and, if the next packet continues from it, taken
 * as a restart of the source. Time is passed in. Not thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#appendix-A.1">RFC 3550 A.1, A.3, A.8</a>
 */
public final class ReceptionStatistics {
    /** Largest forward jump taken as loss rather than a restart. */
    public static final int MAX_DROPOUT = 3000;
    /** Largest backward jump taken as reordering rather than a restart. */
    public static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private final long ssrc;
    private final int clockRate;

    private boolean started;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private int badSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private long firstArrivalNanos;
    private long lastTransit;
    private boolean haveTransit;
    private long jitterQ4; // jitter in timestamp units, times 16

    private long lastSenderReport;
    private long lastSenderReportArrivalNanos;

    /**
     * @param ssrc the source
     * @param clockRate its RTP clock rate in Hz
     */
    public ReceptionStatistics(long ssrc, int clockRate) {
        this.ssrc = Rtcp.checkU32(ssrc, "ssrc");
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate " + clockRate + " is not positive");
        }
        this.clockRate = clockRate;
    }

    private void initSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    /**
     * Records a received packet.
     *
     * @param sequenceNumber its 16-bit sequence number
     * @param rtpTimestamp its RTP timestamp
     * @param arrivalNanos its arrival {@link System#nanoTime()}
     * @return whether it counted (false: a jump that may be a restart, ignored until confirmed)
     */
    public boolean onPacket(int sequenceNumber, long rtpTimestamp, long arrivalNanos) {
        int seq = sequenceNumber & 0xFFFF;
        if (!started) {
            started = true;
            initSequence(seq);
            firstArrivalNanos = arrivalNanos;
        } else {
            int delta = (seq - maxSeq) & 0xFFFF;
            if (delta < MAX_DROPOUT) {
                if (seq < maxSeq) {
                    cycles += SEQ_MOD;
                }
                maxSeq = seq;
            } else if (delta <= SEQ_MOD - MAX_MISORDER) {
                if (seq == badSeq) {
                    initSequence(seq);
                    haveTransit = false;
                } else {
                    badSeq = (seq + 1) & 0xFFFF;
                    return false;
                }
            }
            // else: duplicate or reordered packet, counted
        }
        received++;
        long arrival = toTimestampUnits(arrivalNanos - firstArrivalNanos);
        long transit = arrival - rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs((int) (transit - lastTransit)); // timestamps wrap at 2^32
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        lastTransit = transit;
        haveTransit = true;
        return true;
    }

    private long toTimestampUnits(long nanos) {
        return (nanos / 1_000_000_000L) * clockRate + (nanos % 1_000_000_000L) * clockRate / 1_000_000_000L;
    }

    /**
     * Records a sender report from this source.
     *
     * @param ntpTimestamp the SR's 64-bit NTP timestamp
     * @param arrivalNanos its arrival {@link System#nanoTime()}
     */
    public void onSenderReport(long ntpTimestamp, long arrivalNanos) {
        lastSenderReport = NtpTime.compact(ntpTimestamp);
        lastSenderReportArrivalNanos = arrivalNanos;
    }

    /** @return the extended highest sequence number received (cycles in the high 16 bits), or -1 */
    public long extendedHighestSequenceNumber() {
        return started ? cycles + maxSeq : -1;
    }

    /** @return packets expected: extended highest − base + 1, or 0 before the first */
    public long expected() {
        return started ? cycles + maxSeq - baseSeq + 1 : 0;
    }

    /** @return packets received (duplicates included, as RFC 3550 counts) */
    public long received() {
        return received;
    }

    /** @return expected minus received (negative with duplicates) */
    public long lost() {
        return expected() - received;
    }

    /** @return the interarrival jitter in timestamp units */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /**
     * Builds the report block for this source and starts a new reporting interval (for the fraction
     * lost).
     *
     * @param nowNanos the current {@link System#nanoTime()} (for DLSR)
     * @return the block, or {@code null} if nothing was received yet
     */
    public ReportBlock reportBlock(long nowNanos) {
        if (!started) {
            return null;
        }
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long lost = Math.max(-0x800000, Math.min(0x7FFFFF, lost()));
        long dlsr = lastSenderReport == 0
                ? 0
                : NtpTime.nanosToCompact(Math.max(0, nowNanos - lastSenderReportArrivalNanos));
        return new ReportBlock(ssrc, Math.min(fraction, 255), (int) lost, extendedHighestSequenceNumber() & 0xFFFFFFFFL,
                jitter() & 0xFFFFFFFFL, lastSenderReport, dlsr);
    }
}
