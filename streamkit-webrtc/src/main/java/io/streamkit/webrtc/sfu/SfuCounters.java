package io.streamkit.webrtc.sfu;

import io.streamkit.webrtc.dtls.DtlsMetrics;
import io.streamkit.webrtc.srtp.SrtpException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Server-wide counters of the media plane; errors are logged at most once a second. */
final class SfuCounters {
    private static final Logger log = LoggerFactory.getLogger(SfuCounters.class);

    final DtlsMetrics dtls = new DtlsMetrics();
    final LongAdder dtlsFailures = new LongAdder();
    final LongAdder srtpErrors = new LongAdder();
    final LongAdder srtpBeforeDtls = new LongAdder();
    final LongAdder rtpErrors = new LongAdder();
    final LongAdder rtcpErrors = new LongAdder();
    final LongAdder unknownSsrc = new LongAdder();
    final LongAdder packetsForwarded = new LongAdder();
    final LongAdder retransmissions = new LongAdder();
    final LongAdder nacksReceived = new LongAdder();
    final LongAdder keyframeRequestsSent = new LongAdder();
    final LongAdder nacksSentToPublishers = new LongAdder();
    final LongAdder packetsRepairedFromPublishers = new LongAdder();
    final LongAdder rtxDropped = new LongAdder();
    private final AtomicLong lastErrorLog = new AtomicLong();

    void logSrtpError(String transport, SrtpException e) {
        rateLimited("{}: SRTP packet dropped: {} ({})", transport, e.getMessage(), e.reason());
    }

    void rateLimited(String format, Object... args) {
        long now = System.nanoTime();
        long last = lastErrorLog.get();
        if (now - last > 1_000_000_000L && lastErrorLog.compareAndSet(last, now)) {
            log.warn(format, args);
        } else {
            log.debug(format, args);
        }
    }
}
