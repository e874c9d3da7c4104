package io.streamkit.relay.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The MPEG-TS side channel: unchanged bytes, clean starts for late joiners and after a publisher change. */
class TsPassThroughTest {
    private static final int CHUNK = TsChunker.CHUNK_SIZE;
    /** FFmpeg's sample starts with SDT, PAT and PMT (on this PID), then the first keyframe. */
    private static final int FFMPEG_PMT_PID = 0x1000;

    /** Collects what a reader gets, releasing every chunk. */
    static final class Collector implements TsPassThrough.Reader {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> sizes = new ArrayList<>();

        @Override
        public void accept(ByteBuf chunk) {
            try {
                byte[] b = new byte[chunk.readableBytes()];
                chunk.readBytes(b);
                bytes.writeBytes(b);
                sizes.add(b.length);
            } finally {
                chunk.release();
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    /** @return the sample cut into chunks of the given numbers of packets (cycled), each a fresh buffer */
    private static List<byte[]> chunks(byte[] ts, int[] packetsPerChunk) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        for (int off = 0; off < ts.length; i++) {
            int n = Math.min(ts.length - off, packetsPerChunk[i % packetsPerChunk.length] * TsPackets.SIZE);
            out.add(Arrays.copyOfRange(ts, off, off + n));
            off += n;
        }
        return out;
    }

    private static boolean write(TsPassThrough.Source source, byte[] chunk) {
        // a buffer with other bytes around the chunk, to check that indexes are honoured
        ByteBuf b = Unpooled.buffer(chunk.length + 10).writeZero(5).writeBytes(chunk).writeZero(5);
        b.readerIndex(5).writerIndex(5 + chunk.length);
        try {
            boolean active = source.write(b);
            assertEquals(5, b.readerIndex(), "the source's buffer is not moved");
            return active;
        } finally {
            b.release(); // the source's own reference; the cache holds its own
        }
    }

    private static int pid(byte[] ts, int packet) {
        return (ts[packet * TsPackets.SIZE + 1] & 0x1F) << 8 | ts[packet * TsPackets.SIZE + 2] & 0xFF;
    }

    private static TsDemuxer demux(byte[] ts, TsTesting.Recorder rec) {
        TsDemuxer d = new TsDemuxer(rec);
        ByteBuf b = Unpooled.wrappedBuffer(ts);
        try {
            d.feed(b);
        } finally {
            b.release();
        }
        d.flush();
        return d;
    }

    @Test
    void readerFromTheStartGetsTablesThenTheStreamUnchanged() {
        byte[] ts = TsTesting.ffmpegSample();
        TsPassThrough hub = new TsPassThrough("test", 32 << 20);
        Collector reader = new Collector();
        hub.addReader(reader);
        TsPassThrough.Source source = hub.attachSource("publisher");
        for (byte[] c : chunks(ts, new int[]{7})) {
            assertTrue(write(source, c));
        }
        byte[] got = reader.toByteArray();
        // FFmpeg starts with PAT, PMT and a keyframe in the first chunk: the reader gets it all, after the tables
        assertEquals(ts.length + 2 * TsPackets.SIZE, got.length);
        assertEquals(0, pid(got, 0));
        assertEquals(FFMPEG_PMT_PID, pid(got, 1), "PMT");
        assertArrayEquals(ts, Arrays.copyOfRange(got, 2 * TsPackets.SIZE, got.length), "bytes unchanged");
        assertTrue(hub.keyframeChunks() >= 2, "the 1 s sample has a keyframe every 15 frames");
        hub.close();
    }

    @Test
    void lateJoinerStartsAtTablesAndTheLastKeyframe() {
        byte[] ts = TsTesting.ffmpegSample();
        List<byte[]> chunks = chunks(ts, new int[]{7});
        TsPassThrough hub = new TsPassThrough("test", 32 << 20);
        TsPassThrough.Source source = hub.attachSource("publisher");
        int half = chunks.size() * 3 / 4;
        for (int i = 0; i < half; i++) {
            write(source, chunks.get(i));
        }
        Collector late = new Collector();
        hub.addReader(late);
        assertTrue(late.sizes.size() >= 2, "PAT/PMT and the cached chunks at once");
        for (int i = half; i < chunks.size(); i++) {
            write(source, chunks.get(i));
        }
        byte[] got = late.toByteArray();
        assertEquals(0, pid(got, 0), "PAT first");
        assertEquals(FFMPEG_PMT_PID, pid(got, 1), "then PMT");
        TsTesting.Recorder rec = new TsTesting.Recorder();
        TsDemuxer d = demux(got, rec);
        try {
            List<io.streamkit.api.MediaPacket> video = rec.track(0);
            assertFalse(video.isEmpty());
            assertTrue(video.get(0).isKeyframe(), "the first frame a late joiner decodes is a keyframe");
            assertEquals(0, d.droppedBeforeConfig(), "parameter sets come with the keyframe");
            assertEquals(0, d.pesErrors());
            // the tail is the live stream, unchanged
            byte[] tail = Arrays.copyOfRange(ts, ts.length - (chunks.size() - half) * CHUNK + (ts.length % CHUNK == 0
                    ? 0
                    : CHUNK - ts.length % CHUNK), ts.length);
            assertArrayEquals(tail, Arrays.copyOfRange(got, got.length - tail.length, got.length));
        } finally {
            rec.releaseAll();
            hub.close();
        }
    }

    @Test
    void aNewPublisherRestartsReadersAtItsTablesAndKeyframe() {
        byte[] ts = TsTesting.ffmpegSample();
        List<byte[]> chunks = chunks(ts, new int[]{7});
        TsPassThrough hub = new TsPassThrough("test", 32 << 20);
        Collector reader = new Collector();
        hub.addReader(reader);
        TsPassThrough.Source first = hub.attachSource("first");
        for (int i = 0; i < 10; i++) {
            write(first, chunks.get(i));
        }
        int before = reader.toByteArray().length;
        TsPassThrough.Source second = hub.attachSource("second");
        assertFalse(first.isActive());
        assertFalse(write(first, chunks.get(10)), "the replaced publisher is ignored");
        // the second publisher joins mid-stream: its first bytes reach the reader only from a keyframe, after tables
        int k = 5;
        while (k < chunks.size() && !startsKeyframe(chunks.get(k))) {
            write(second, chunks.get(k));
            k++;
        }
        assertTrue(k < chunks.size(), "the sample has a second keyframe");
        assertEquals(before, reader.toByteArray().length, "no half frame from the new publisher");
        for (; k < chunks.size(); k++) {
            write(second, chunks.get(k));
        }
        byte[] got = reader.toByteArray();
        byte[] fresh = Arrays.copyOfRange(got, before, got.length);
        assertTrue(fresh.length > 0, "the reader goes on with the new publisher");
        assertEquals(0, pid(fresh, 0), "PAT first");
        assertEquals(FFMPEG_PMT_PID, pid(fresh, 1), "then PMT");
        TsTesting.Recorder rec = new TsTesting.Recorder();
        demux(fresh, rec);
        try {
            assertTrue(rec.track(0).get(0).isKeyframe(), "then a keyframe");
        } finally {
            rec.releaseAll();
        }
        second.close();
        assertFalse(hub.hasSource());
        hub.close();
    }

    /** @return whether the chunk holds a video PES start with an IDR (the sample's video PID is 0x100) */
    private static boolean startsKeyframe(byte[] chunk) {
        TsPassThrough probe = new TsPassThrough("probe", 0);
        try {
            TsPassThrough.Source s = probe.attachSource("probe");
            byte[] tables = Arrays.copyOfRange(TsTesting.ffmpegSample(), 0, 2 * TsPackets.SIZE);
            write(s, tables);
            long before = probe.keyframeChunks();
            write(s, chunk);
            return probe.keyframeChunks() > before;
        } finally {
            probe.close();
        }
    }

    @Test
    void aGopOverTheLimitIsNotCachedAndReadersWaitForTheNextKeyframe() {
        byte[] ts = TsTesting.ffmpegSample();
        List<byte[]> chunks = chunks(ts, new int[]{7});
        TsPassThrough hub = new TsPassThrough("test", 4 * CHUNK);
        TsPassThrough.Source source = hub.attachSource("publisher");
        int i = 0;
        for (; i < chunks.size() / 2; i++) {
            write(source, chunks.get(i));
        }
        assertTrue(hub.cachedBytes() <= 4 * CHUNK);
        Collector late = new Collector();
        hub.addReader(late);
        for (; i < chunks.size(); i++) {
            write(source, chunks.get(i));
        }
        byte[] got = late.toByteArray();
        if (got.length > 0) {
            assertEquals(0, pid(got, 0), "a reader that waited starts at PAT");
        }
        hub.close();
        assertEquals(0, hub.cachedBytes());
    }

    @Property(tries = 60)
    void anyChunkingForwardsTheSameBytes(
            @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 7) Integer> sizes,
            @ForAll @IntRange(min = 0, max = 100) int joinPercent) {
        byte[] ts = TsTesting.ffmpegSample();
        List<byte[]> chunks = chunks(ts, sizes.stream().mapToInt(Integer::intValue).toArray());
        TsPassThrough hub = new TsPassThrough("prop", 32 << 20);
        TsPassThrough.Source source = hub.attachSource("publisher");
        Collector early = new Collector();
        hub.addReader(early);
        Collector late = new Collector();
        int join = chunks.size() * joinPercent / 100;
        for (int i = 0; i < chunks.size(); i++) {
            if (i == join) {
                hub.addReader(late);
            }
            write(source, chunks.get(i));
        }
        if (join == chunks.size()) {
            hub.addReader(late);
        }
        byte[] got = early.toByteArray();
        byte[] stream = Arrays.copyOfRange(got, 2 * TsPackets.SIZE, got.length);
        assertTrue(stream.length >= ts.length - 3 * TsPackets.SIZE,
                "at most SDT, PAT and PMT come before the first start");
        assertArrayEquals(Arrays.copyOfRange(ts, ts.length - stream.length, ts.length), stream, "bytes unchanged");
        byte[] lateBytes = late.toByteArray();
        assertTrue(lateBytes.length > 2 * TsPackets.SIZE, "a late joiner always gets the cached GOP");
        assertEquals(0, pid(lateBytes, 0));
        // after the tables, a late joiner's bytes are a suffix of the stream
        byte[] after = Arrays.copyOfRange(lateBytes, 2 * TsPackets.SIZE, lateBytes.length);
        assertArrayEquals(Arrays.copyOfRange(ts, ts.length - after.length, ts.length), after);
        hub.close();
    }

    @Property(tries = 100)
    void malformedInputIsForwardedWithoutFailingOrGrowing(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3) int kind) {
        Random r = new Random(seed);
        byte[] ts = TsTesting.ffmpegSample();
        TsPassThrough hub = new TsPassThrough("prop", 8 * CHUNK);
        TsPassThrough.Source source = hub.attachSource("publisher");
        Collector reader = new Collector();
        hub.addReader(reader);
        long fed = 0;
        for (int i = 0; i < 200; i++) {
            byte[] c;
            switch (kind) {
                case 0 -> { // random bytes, sometimes with sync bytes in place
                    c = new byte[r.nextInt(2 * CHUNK)];
                    r.nextBytes(c);
                    for (int p = 0; p < c.length; p += TsPackets.SIZE) {
                        if (r.nextBoolean()) {
                            c[p] = TsPackets.SYNC;
                        }
                    }
                }
                case 1 -> { // truncated chunks of the real stream
                    int off = r.nextInt(ts.length - CHUNK) / TsPackets.SIZE * TsPackets.SIZE;
                    c = Arrays.copyOfRange(ts, off, off + r.nextInt(CHUNK));
                }
                case 2 -> { // the real stream with flipped bytes
                    int off = r.nextInt(ts.length - CHUNK) / TsPackets.SIZE * TsPackets.SIZE;
                    c = Arrays.copyOfRange(ts, off, off + CHUNK);
                    for (int k = r.nextInt(20); k > 0; k--) {
                        c[r.nextInt(c.length)] ^= (byte) (1 + r.nextInt(255));
                    }
                }
                default -> c = new byte[0];
            }
            write(source, c);
            fed += c.length;
            assertTrue(hub.cachedBytes() <= 8 * CHUNK, "the cache stays within its limit");
        }
        assertTrue(reader.toByteArray().length <= fed + 2L * TsPackets.SIZE * hub.keyframeChunks());
        hub.close();
    }
}
