package io.streamkit.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NackGeneratorTest {
    private static final long MS = 1_000_000L;

    private static NackGenerator.Config config(int retries, int maxMissing, int maxDistance) {
        return new NackGenerator.Config(Duration.ofMillis(10), Duration.ofMillis(100), retries, Duration.ofSeconds(1),
                maxMissing, maxDistance);
    }

    @Test
    void asksAfterTheInitialDelayThenRetriesAndStopsWhenThePacketArrives() {
        NackGenerator nacks = new NackGenerator(NackGenerator.Config.defaults());
        assertArrayEquals(new int[0], nacks.due(0));
        nacks.onPacket(65534, 0);
        nacks.onPacket(1, 1 * MS); // 65535 and 0 are missing, across the wrap
        assertEquals(2, nacks.missingCount());
        assertArrayEquals(new int[0], nacks.due(5 * MS), "reordering tolerance");
        assertArrayEquals(new int[]{65535, 0}, nacks.due(11 * MS));
        assertArrayEquals(new int[0], nacks.due(50 * MS), "retry interval not over");
        assertArrayEquals(new int[]{65535, 0}, nacks.due(111 * MS));
        nacks.onPacket(65535, 120 * MS); // retransmission arrives
        assertEquals(1, nacks.recoveredCount());
        assertArrayEquals(new int[]{0}, nacks.due(211 * MS));
        assertArrayEquals(GenericNack.of(1, 2, 0).sequenceNumbers(), new int[]{0});
    }

    @Test
    void givesUpAfterMaxRetries() {
        NackGenerator nacks = new NackGenerator(config(2, 100, 1000));
        nacks.onPacket(10, 0);
        nacks.onPacket(12, 0);
        assertArrayEquals(new int[]{11}, nacks.due(10 * MS));
        assertArrayEquals(new int[]{11}, nacks.due(110 * MS));
        assertEquals(0, nacks.missingCount());
        assertArrayEquals(new int[0], nacks.due(210 * MS));
        assertEquals(1, nacks.abandonedCount());
    }

    @Test
    void givesUpOnTooOldAndTooDistantPackets() {
        NackGenerator nacks = new NackGenerator(config(100, 1000, 50));
        nacks.onPacket(0, 0);
        nacks.onPacket(2, 0); // 1 missing
        nacks.onPacket(40, 0); // 3..39 missing
        assertEquals(38, nacks.missingCount());
        nacks.onPacket(52, 0); // 1 is now more than 50 behind; 41..51 missing
        assertEquals(11 + 37, nacks.due(10 * MS).length);
        nacks.onPacket(53, 1001 * MS);
        assertArrayEquals(new int[0], nacks.due(1002 * MS), "everything is older than a second");
        assertEquals(0, nacks.missingCount());
    }

    @Test
    void aGapTooLargeForTheListAsksForAKeyframe() {
        NackGenerator nacks = new NackGenerator(config(10, 5, 1000));
        nacks.onPacket(0, 0);
        nacks.onPacket(4, 0); // 3 missing
        assertFalse(nacks.pollKeyframeRequest());
        nacks.onPacket(8, 0); // 3 more: the oldest one goes
        assertEquals(5, nacks.missingCount());
        assertTrue(nacks.pollKeyframeRequest());
        assertFalse(nacks.pollKeyframeRequest(), "the flag clears");
        nacks.onPacket(100, 0); // 91 missing at once
        assertEquals(0, nacks.missingCount());
        assertTrue(nacks.pollKeyframeRequest());
    }

    @Test
    void retryIntervalFollowsTheRoundTripTime() {
        NackGenerator nacks = new NackGenerator(NackGenerator.Config.defaults());
        nacks.setRetryInterval(Duration.ofMillis(30));
        nacks.onPacket(1, 0);
        nacks.onPacket(3, 0);
        assertArrayEquals(new int[]{2}, nacks.due(10 * MS));
        assertArrayEquals(new int[]{2}, nacks.due(40 * MS));
        assertThrows(IllegalArgumentException.class, () -> nacks.setRetryInterval(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> config(0, 1, 1));
    }
}
