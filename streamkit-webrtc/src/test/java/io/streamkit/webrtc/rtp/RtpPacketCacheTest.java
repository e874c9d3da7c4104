package io.streamkit.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RtpPacketCacheTest {
    private static final long MS = 1_000_000L;
    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void allReleased() {
        alloc.assertAllReleased();
    }

    private ByteBuf packet(long ssrc, int seq) {
        return RtpPacket.builder().payloadType(96).ssrc(ssrc).sequenceNumber(seq).timestamp(seq * 3000L)
                .payload(new byte[]{(byte) seq, 1, 2, 3}).build(alloc);
    }

    /** Puts a copy and releases the original, as a receive path would. */
    private boolean put(RtpPacketCache cache, long ssrc, int seq, long now) {
        ByteBuf buf = packet(ssrc, seq);
        try {
            return cache.put(RtpPacket.parse(buf), now);
        } finally {
            buf.release();
        }
    }

    private static int cachedSequence(RtpPacketCache cache, long ssrc, int seq, long now) {
        ByteBuf got = cache.get(ssrc, seq, now);
        if (got == null) {
            return -1;
        }
        try {
            return RtpPacket.parse(got).sequenceNumber();
        } finally {
            got.release();
        }
    }

    @Test
    void keepsTheLastCapacityPacketsAndReleasesEvictedOnes() {
        try (RtpPacketCache cache = new RtpPacketCache(alloc, 4, Duration.ofSeconds(1), 4)) {
            for (int seq = 65530; seq < 65536 + 4; seq++) {
                assertTrue(put(cache, 7, seq & 0xFFFF, 0));
            }
            assertEquals(4, cache.size());
            assertEquals(4, alloc.unreleasedCount(), "only the cached copies are alive");
            for (int seq = 0; seq < 4; seq++) {
                assertEquals(seq, cachedSequence(cache, 7, seq, 0));
            }
            assertEquals(-1, cachedSequence(cache, 7, 65535, 0));
            assertEquals(-1, cachedSequence(cache, 8, 0, 0));
        }
        assertEquals(0, alloc.unreleasedCount());
    }

    @Test
    void getReturnsARetainedDuplicateThatOutlivesEviction() {
        RtpPacketCache cache = new RtpPacketCache(alloc, 2, Duration.ofSeconds(1), 1);
        put(cache, 1, 10, 0);
        ByteBuf held = cache.get(1, 10, 0);
        assertNotNull(held);
        put(cache, 1, 12, 0); // evicts 10 from the cache
        assertEquals(-1, cachedSequence(cache, 1, 10, 0));
        assertEquals(10, RtpPacket.parse(held).sequenceNumber());
        held.release();
        cache.close();
        cache.close(); // idempotent
    }

    @Test
    void refusesDuplicatesOlderPacketsExtraSsrcsAndPutsAfterClose() {
        RtpPacketCache cache = new RtpPacketCache(alloc, 4, Duration.ofSeconds(1), 1);
        assertTrue(put(cache, 1, 8, 0));
        assertFalse(put(cache, 1, 8, 0), "duplicate");
        assertFalse(put(cache, 1, 4, 0), "older than the packet in its slot");
        assertFalse(put(cache, 2, 1, 0), "a second SSRC beyond the limit");
        assertEquals(3, cache.refusedCount());
        cache.close();
        assertFalse(put(cache, 1, 9, 0));
        assertFalse(cache.adopt(packet(1, 10), 0), "adopted buffer is released when refused");
        assertEquals(0, cache.size());
    }

    @Test
    void expiredPacketsAreNotServedAndAreReleased() {
        try (RtpPacketCache cache = new RtpPacketCache(alloc, 8, Duration.ofMillis(1000), 2)) {
            put(cache, 1, 1, 0);
            put(cache, 1, 2, 600 * MS);
            put(cache, 2, 1, 600 * MS);
            assertEquals(-1, cachedSequence(cache, 1, 1, 1001 * MS));
            assertEquals(2, cache.size());
            assertEquals(2, cache.evictExpired(1700 * MS));
            assertEquals(0, cache.size());
            assertTrue(put(cache, 1, 1, 1800 * MS), "an expired slot takes any sequence number");
            cache.remove(1);
            assertEquals(0, cache.size());
        }
    }

    @Test
    void adoptTakesOwnershipAndReleasesInvalidBuffers() {
        try (RtpPacketCache cache = new RtpPacketCache(alloc, 8, Duration.ofSeconds(1), 2)) {
            assertTrue(cache.adopt(packet(3, 5), 0));
            assertEquals(5, cachedSequence(cache, 3, 5, 0));
            ByteBuf junk = alloc.buffer(4).writeInt(0x80000000);
            assertThrows(RtpException.class, () -> cache.adopt(junk, 0));
            assertEquals(0, junk.refCnt());
        }
    }

    @Property(tries = 200)
    void randomTrafficIsBoundedAndLeakFree(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int operations) {
        TrackingAllocator tracking = new TrackingAllocator();
        Random random = new Random(seed);
        int capacity = 16;
        try (RtpPacketCache cache = new RtpPacketCache(tracking, capacity, Duration.ofMillis(50), 2)) {
            int[] next = {random.nextInt(65536), random.nextInt(65536), random.nextInt(65536)};
            long now = 0;
            for (int i = 0; i < operations; i++) {
                now += random.nextInt(5) * MS;
                int ssrc = random.nextInt(3);
                switch (random.nextInt(4)) {
                    case 0, 1 -> {
                        next[ssrc] = (next[ssrc] + random.nextInt(4) - 1) & 0xFFFF;
                        ByteBuf buf = RtpPacket.builder().ssrc(ssrc).sequenceNumber(next[ssrc]).build(tracking);
                        cache.put(RtpPacket.parse(buf), now);
                        buf.release();
                    }
                    case 2 -> {
                        ByteBuf got = cache.get(ssrc, (next[ssrc] - random.nextInt(20)) & 0xFFFF, now);
                        if (got != null) {
                            got.release();
                        }
                    }
                    default -> cache.evictExpired(now);
                }
                assertTrue(cache.size() <= 2 * capacity);
                assertEquals(cache.size(), tracking.unreleasedCount());
            }
        }
        tracking.assertAllReleased();
    }
}
