package io.streamkit.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReceptionStatisticsTest {
    private static final long MS = 1_000_000L;

    @Test
    void countsLossAndFractionPerInterval() {
        ReceptionStatistics stats = new ReceptionStatistics(0x1234, 48_000);
        assertNull(stats.reportBlock(0));
        for (int seq = 0; seq < 10; seq++) {
            if (seq != 3 && seq != 4) {
                assertTrue(stats.onPacket(seq, seq * 960L, seq * 20 * MS));
            }
        }
        ReportBlock first = stats.reportBlock(200 * MS);
        assertEquals(new ReportBlock(0x1234, 2 * 256 / 10, 2, 9, 0, 0, 0), first);
        for (int seq = 10; seq < 20; seq++) {
            stats.onPacket(seq, seq * 960L, seq * 20 * MS);
        }
        ReportBlock second = stats.reportBlock(400 * MS);
        assertEquals(0, second.fractionLost());
        assertEquals(2, second.cumulativeLost());
        assertEquals(19, second.extendedHighestSequenceNumber());
    }

    @Test
    void extendsTheHighestSequenceNumberAcrossTheWrapAndCountsDuplicates() {
        ReceptionStatistics stats = new ReceptionStatistics(1, 90_000);
        for (int i = 0; i < 12; i++) {
            stats.onPacket((65530 + i) & 0xFFFF, i * 3000L, i * 33 * MS);
        }
        stats.onPacket(65535, 5 * 3000L, 12 * 33 * MS); // a duplicate
        assertEquals(65536 + 5, stats.extendedHighestSequenceNumber());
        assertEquals(12, stats.expected());
        assertEquals(13, stats.received());
        assertEquals(-1, stats.lost());
        assertEquals(-1, stats.reportBlock(0).cumulativeLost());
    }

    @Test
    void aLargeJumpIsARestartOnlyWhenConfirmed() {
        ReceptionStatistics stats = new ReceptionStatistics(1, 90_000);
        stats.onPacket(100, 0, 0);
        stats.onPacket(101, 3000, 33 * MS);
        assertFalse(stats.onPacket(40_000, 0, 66 * MS));
        assertTrue(stats.onPacket(40_001, 3000, 99 * MS), "the sequence continues from the jump: a restart");
        assertEquals(1, stats.expected());
        assertEquals(40_001, stats.extendedHighestSequenceNumber());
    }

    @Test
    void jitterFollowsRfc3550AppendixA8() {
        ReceptionStatistics stats = new ReceptionStatistics(1, 90_000);
        Random random = new Random(42);
        double reference = 0;
        long previousTransit = 0;
        for (int i = 0; i < 500; i++) {
            long ts = i * 3000L;
            long arrivalTicks = i * 3000L + random.nextInt(900); // up to 10 ms late
            stats.onPacket(i, ts, arrivalTicks * 1_000_000_000L / 90_000);
            long transit = arrivalTicks - ts;
            if (i > 0) {
                reference += (Math.abs(transit - previousTransit) - reference) / 16;
            }
            previousTransit = transit;
        }
        assertEquals(reference, stats.jitter(), 2.0);
        assertTrue(stats.jitter() > 100);
    }

    @Test
    void reportsLsrAndDelaySinceTheLastSenderReport() {
        ReceptionStatistics stats = new ReceptionStatistics(1, 90_000);
        stats.onPacket(1, 0, 0);
        long ntp = 0x0000_b705_2000_0000L; // LSR 0xb705:2000 as in RFC 3550 figure 2
        stats.onSenderReport(ntp, 10 * MS);
        ReportBlock block = stats.reportBlock(10 * MS + 5_250 * MS);
        assertEquals(0xb705_2000L, block.lastSenderReport());
        assertEquals(0x0005_4000L, block.delaySinceLastSenderReport());
    }

    @Test
    void rttFromTheExampleOfRfc3550Figure2() {
        // A = 46864.500 s, LSR = 46853.125 s, DLSR = 5.250 s: RTT = 6.125 s
        assertEquals(6_125_000_000L, RttEstimator.rttNanos(0xb710_8000L, 0xb705_2000L, 0x0005_4000L));
        assertEquals(-1, RttEstimator.rttNanos(0xb710_8000L, 0, 0), "no SR yet");
        assertEquals(-1, RttEstimator.rttNanos(0x0000_1000L, 0x0000_2000L, 0), "negative");
        RttEstimator rtt = new RttEstimator();
        assertEquals(-1, rtt.smoothedNanos());
        ReportBlock block = new ReportBlock(1, 0, 0, 0, 0, 0xb705_2000L, 0x0005_4000L);
        assertEquals(6_125_000_000L, rtt.update(block, 0xb710_8000L << 16));
        ReportBlock faster = new ReportBlock(1, 0, 0, 0, 0, 0xb705_2000L, 0x0005_c000L); // 5.75 s later: RTT 5.625 s
        rtt.update(faster, 0xb710_8000L << 16);
        assertEquals(5_625_000_000L, rtt.latestNanos());
        assertEquals(6_125_000_000L - 500_000_000L / 8, rtt.smoothedNanos());
    }

    @Test
    void keyframeRequestsAreThrottledPerSsrc() {
        KeyframeRequestThrottle throttle = new KeyframeRequestThrottle(Duration.ofMillis(500), 2);
        assertTrue(throttle.tryAcquire(1, 0));
        assertFalse(throttle.tryAcquire(1, 100 * MS));
        assertTrue(throttle.tryAcquire(2, 100 * MS));
        assertTrue(throttle.tryAcquire(1, 500 * MS));
        assertFalse(throttle.tryAcquire(1, 999 * MS));
        throttle.forget(1);
        assertTrue(throttle.tryAcquire(1, 999 * MS));
        assertTrue(throttle.tryAcquire(3, 999 * MS)); // bounded: the least recent SSRC (2) is forgotten
        assertTrue(throttle.tryAcquire(2, 999 * MS));
    }
}
