package io.streamkit.webrtc.dtls;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters for DTLS sessions. One instance is usually shared by all sessions of a server (pass it to
 * {@link DtlsSession.Builder#metrics(DtlsMetrics)}); all methods are thread-safe.
 */
public final class DtlsMetrics {
    private final LongAdder handshakesStarted = new LongAdder();
    private final LongAdder handshakesCompleted = new LongAdder();
    private final Map<DtlsFailureReason, LongAdder> handshakesFailed = new EnumMap<>(DtlsFailureReason.class);
    private final LongAdder datagramsDropped = new LongAdder();
    private final LongAdder applicationRecordsDropped = new LongAdder();
    private final LongAdder associationsFailed = new LongAdder();

    /** Creates a set of counters, all zero. */
    public DtlsMetrics() {
        for (DtlsFailureReason reason : DtlsFailureReason.values()) {
            handshakesFailed.put(reason, new LongAdder());
        }
    }

    /** @return handshakes started with {@link DtlsSession#start()} */
    public long handshakesStarted() {
        return handshakesStarted.sum();
    }

    /** @return handshakes that completed and produced SRTP keying material */
    public long handshakesCompleted() {
        return handshakesCompleted.sum();
    }

    /** @return started handshakes that failed, for any reason */
    public long handshakesFailed() {
        long total = 0;
        for (LongAdder count : handshakesFailed.values()) {
            total += count.sum();
        }
        return total;
    }

    /**
     * @param reason a failure category
     * @return started handshakes that failed for that reason
     */
    public long handshakesFailed(DtlsFailureReason reason) {
        return handshakesFailed.get(reason).sum();
    }

    /**
     * @return inbound datagrams discarded before DTLS saw them: inbound queue full, oversized, not
     *     well-framed DTLS records, or received after the session closed
     */
    public long datagramsDropped() {
        return datagramsDropped.sum();
    }

    /** @return DTLS application data records received after the handshake and discarded (no SCTP) */
    public long applicationRecordsDropped() {
        return applicationRecordsDropped.sum();
    }

    /**
     * @return established associations that ended with an error (a fatal alert from the peer, or a
     *     record bctls could not process) rather than a close_notify or a local close
     */
    public long associationsFailed() {
        return associationsFailed.sum();
    }

    void associationFailed() {
        associationsFailed.increment();
    }

    void handshakeStarted() {
        handshakesStarted.increment();
    }

    void handshakeCompleted() {
        handshakesCompleted.increment();
    }

    void handshakeFailed(DtlsFailureReason reason) {
        handshakesFailed.get(reason).increment();
    }

    void datagramDropped() {
        datagramsDropped.increment();
    }

    void applicationRecordDropped() {
        applicationRecordsDropped.increment();
    }

    @Override
    public String toString() {
        return "DtlsMetrics[started=" + handshakesStarted() + ", completed=" + handshakesCompleted() + ", failed="
                + handshakesFailed() + ", datagramsDropped=" + datagramsDropped() + ", applicationRecordsDropped="
                + applicationRecordsDropped() + ", associationsFailed=" + associationsFailed() + "]";
    }
}
