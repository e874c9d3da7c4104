package io.streamkit.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RtpRewriterTest {
    private static final long MS = 1_000_000L;
    private static final long OUT_SSRC = 0xABCDEF01L;

    /** What the subscriber received. */
    record Out(long ssrc, int pt, int seq, long ts) {
    }

    private static RtpRewriter rewriter(int initialSeq, long initialTs) {
        return new RtpRewriter(
                new RtpRewriter.Config(OUT_SSRC, 90_000, Map.of(96, 100, 97, 101), initialSeq, initialTs));
    }

    private static Out send(RtpRewriter rewriter, long ssrc, int pt, int seq, long ts, long now) {
        ByteBuf buf = Unpooled.buffer();
        try {
            RtpPacket.builder().ssrc(ssrc).payloadType(pt).sequenceNumber(seq).timestamp(ts).payload(new byte[10])
                    .writeTo(buf);
            RtpPacket p = RtpPacket.parse(buf);
            if (!rewriter.rewrite(p, now)) {
                return null;
            }
            return new Out(p.ssrc(), p.payloadType(), p.sequenceNumber(), p.timestamp());
        } finally {
            buf.release();
        }
    }

    @Test
    void mapsSsrcPayloadTypeAndStartsAtTheInitialValues() {
        RtpRewriter r = rewriter(1000, 5000);
        assertEquals(new Out(OUT_SSRC, 100, 1000, 5000), send(r, 1, 96, 40, 123_456, 0));
        assertEquals(new Out(OUT_SSRC, 101, 1001, 8000), send(r, 1, 97, 41, 126_456, 33 * MS));
        assertEquals(new Out(OUT_SSRC, 100, 1003, 11000), send(r, 1, 96, 43, 129_456, 66 * MS), "gaps pass through");
        assertEquals(new Out(OUT_SSRC, 100, 1002, 8000), send(r, 1, 96, 42, 126_456, 70 * MS), "reordering too");
        assertNull(send(r, 1, 111, 44, 129_456, 70 * MS), "unmapped payload type");
        assertEquals(4, r.forwardedPackets());
        assertEquals(40, r.forwardedOctets());
        assertEquals(1, r.droppedPackets());
    }

    @Test
    void simulcastSwitchKeepsSequenceAndTimestampContinuous() {
        RtpRewriter r = rewriter(65534, 0xFFFF_FFF0L); // both counters wrap during the test
        send(r, 1, 96, 100, 9000, 0);
        send(r, 1, 96, 101, 12000, 33 * MS);
        // switch to layer 2 (another SSRC) 50 ms later, at some unrelated seq and timestamp
        Out first = send(r, 2, 96, 30_000, 777_777, 83 * MS);
        assertEquals(0, first.seq(), "65534, 65535, then 0");
        assertEquals((0xFFFF_FFF0L + 3000 + 4500) & 0xFFFFFFFFL, first.ts(), "timestamp advanced by 50 ms at 90 kHz");
        assertEquals(new Out(OUT_SSRC, 100, 1, (first.ts() + 3000) & 0xFFFFFFFFL),
                send(r, 2, 96, 30_001, 780_777, 116 * MS));
        assertNull(send(r, 2, 96, 29_999, 774_777, 117 * MS), "older than the switch point");
        assertEquals(new RtpRewriter.SourcePacket(1, 101), r.toSource(65535));
        assertEquals(new RtpRewriter.SourcePacket(1, 100), r.toSource(65534));
        assertEquals(new RtpRewriter.SourcePacket(2, 30_000), r.toSource(0));
        assertEquals(new RtpRewriter.SourcePacket(2, 30_001), r.toSource(1));
        assertNull(r.toSource(2), "not sent yet");
        assertEquals(2, r.sourceSsrc());
    }

    @Test
    void restartWithTheSameSsrcOrResyncStartsANewSegment() {
        RtpRewriter r = rewriter(10, 0);
        send(r, 5, 96, 200, 1000, 0);
        Out jump = send(r, 5, 96, 20_000, 50_000, 10 * MS); // publisher restarted: forward jump > 3000
        assertEquals(11, jump.seq());
        assertEquals(900, jump.ts());
        r.resync();
        Out after = send(r, 5, 96, 7, 1, 20 * MS);
        assertEquals(12, after.seq());
        assertEquals(1800, after.ts());
        assertEquals(new RtpRewriter.SourcePacket(5, 200), r.toSource(10));
        assertEquals(new RtpRewriter.SourcePacket(5, 20_000), r.toSource(11));
        assertEquals(new RtpRewriter.SourcePacket(5, 7), r.toSource(12));
        assertEquals(1800 + 900, r.timestampAt(30 * MS));
    }

    @Test
    void aSwitchWithNoElapsedTimeStillAdvancesTheTimestamp() {
        RtpRewriter r = rewriter(0, 100);
        send(r, 1, 96, 1, 1, 0);
        assertEquals(101, send(r, 2, 96, 1, 1, 0).ts());
    }

    @Property(tries = 300)
    void outgoingSequenceIsGaplessAcrossRandomSwitchesAndMapsBack(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40) int switches, @ForAll @IntRange(max = 0xFFFF) int initial) {
        Random random = new Random(seed);
        RtpRewriter r = rewriter(initial, random.nextInt() & 0xFFFFFFFFL);
        List<RtpRewriter.SourcePacket> sent = new ArrayList<>();
        List<Integer> segmentOf = new ArrayList<>();
        long now = 0;
        long lastTs = -1;
        int expectedSeq = initial;
        for (int s = 0; s < switches; s++) {
            long ssrc = random.nextInt(4);
            int seq = random.nextInt(65536);
            long ts = random.nextInt() & 0xFFFFFFFFL;
            int packets = 1 + random.nextInt(300);
            for (int i = 0; i < packets; i++) {
                long gapMs = random.nextInt(40);
                now += gapMs * MS;
                Out out = send(r, ssrc, 96, seq, ts, now);
                assertEquals(expectedSeq, out.seq());
                if (lastTs >= 0) {
                    long advance = (out.ts() - lastTs) & 0xFFFFFFFFL;
                    long expected = i == 0 ? Math.max(1, gapMs * 90) : 3000;
                    assertEquals(expected, advance, "timestamp advance of packet " + i + " of segment " + s);
                }
                lastTs = out.ts();
                sent.add(new RtpRewriter.SourcePacket(ssrc, seq));
                segmentOf.add(s);
                expectedSeq = (expectedSeq + 1) & 0xFFFF;
                seq = (seq + 1) & 0xFFFF;
                ts = (ts + 3000) & 0xFFFFFFFFL;
            }
            // make sure the next segment is a new source for the rewriter
            r.resync();
        }
        // the most recent packets (within the remembered segments and 32768 numbers) map back
        int check = Math.min(sent.size(), 1000);
        for (int k = 1; k <= check; k++) {
            int index = sent.size() - k;
            RtpRewriter.SourcePacket source = r.toSource((expectedSeq - k) & 0xFFFF);
            if (switches - 1 - segmentOf.get(index) < RtpRewriter.SEGMENT_HISTORY) {
                assertEquals(sent.get(index), source);
            } else {
                assertNull(source, "segment " + segmentOf.get(index) + " is forgotten");
            }
        }
        assertEquals(sent.size(), r.forwardedPackets());
        assertEquals(0, r.droppedPackets());
    }
}
