package io.streamkit.relay.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/** Encoder and decoder together: chunking then reassembly gives back the same messages. */
class RtmpChunkRoundTripTest {

    /** A message as the test expects to see it again. */
    record Expected(int csid, int typeId, int messageStreamId, long timestamp, byte[] payload) {
        static Expected of(RtmpMessage m) {
            return new Expected(m.chunkStreamId(), m.typeId(), m.messageStreamId(), m.timestamp(),
                    ByteBufUtil.getBytes(m.payload()));
        }

        void assertMatches(RtmpMessage m, int index) {
            String where = "message " + index;
            assertEquals(csid, m.chunkStreamId(), where + " csid");
            assertEquals(typeId, m.typeId(), where + " type");
            assertEquals(messageStreamId, m.messageStreamId(), where + " message stream id");
            assertEquals(timestamp, m.timestamp(), where + " timestamp");
            assertArrayEquals(payload, ByteBufUtil.getBytes(m.payload()), where + " payload");
        }
    }

    /** One step of a generated session. */
    sealed interface Step permits Send, ChangeChunkSize {
    }

    /**
     * Send a message: timestamp either absolute or relative to the last one on its chunk stream (delta -1 reuses
     * the last delta), size either fresh or the same as the last one on its chunk stream.
     */
    record Send(int csid, int typeId, int messageStreamId, boolean relative, long time, boolean sameSize, int size)
            implements
                Step {
    }

    /** Send a Set Chunk Size message. */
    record ChangeChunkSize(int chunkSize) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> csid = Arbitraries.of(2, 3, 4, 5, 6, 8, 63, 64, 65, 200, 319, 320, 321, 4000, 65599);
        Arbitrary<Integer> type = Arbitraries.of(0, 3, 4, 5, 6, 8, 9, 15, 17, 18, 20, 22, 255);
        Arbitrary<Integer> msid = Arbitraries.of(0, 1, 2, -1, 0x01020304);
        Arbitrary<Boolean> relative = Arbitraries.frequency(Tuple.of(3, true), Tuple.of(1, false));
        Arbitrary<Long> time = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(-1L, 0L, 1L, 20L, 23L, 40L)),
                Tuple.of(2, Arbitraries.of(0xFFFFFEL, 0xFFFFFFL, 0x1000000L, 0x7FFFFFFFL, 0xFFFFFFF0L, 0xFFFFFFFFL)),
                Tuple.of(1, Arbitraries.longs().between(0, 0xFFFFFFFFL)));
        Arbitrary<Boolean> sameSize = Arbitraries.frequency(Tuple.of(1, true), Tuple.of(1, false));
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 300)),
                Tuple.of(3, Arbitraries.integers().between(0, 5000)),
                Tuple.of(2, Arbitraries.integers().between(0, 100_000)));
        Arbitrary<Step> send = Combinators.combine(csid, type, msid, relative, time, sameSize, size).as(Send::new);
        Arbitrary<Integer> chunkSize = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(1, 16)),
                Tuple.of(3, Arbitraries.integers().between(17, 65536)),
                Tuple.of(2, Arbitraries.of(128, 4096, 60000, 65536)));
        Arbitrary<Step> change = chunkSize.map(ChangeChunkSize::new);
        return Arbitraries.frequencyOf(Tuple.of(8, send), Tuple.of(1, change)).list().ofMinSize(1).ofMaxSize(30)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    // Edge cases off: the generators already weigh the interesting values, and jqwik's combined edge cases
    // would be mostly tiny sessions.
    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void encodeThenDecodeGivesTheSameMessages(@ForAll("steps") List<Step> steps, @ForAll long seed) {
        TrackingAllocator alloc = new TrackingAllocator();
        Random random = new Random(seed);
        EmbeddedChannel encoder = new EmbeddedChannel(new RtmpChunkEncoder());
        encoder.config().setAllocator(alloc);

        List<Expected> expected = new ArrayList<>();
        Map<Integer, long[]> last = new HashMap<>(); // csid -> {timestamp, delta, size}
        for (Step step : steps) {
            RtmpMessage message;
            if (step instanceof ChangeChunkSize c) {
                message = RtmpMessage.setChunkSize(alloc, c.chunkSize());
            } else {
                Send s = (Send) step;
                long[] prev = last.computeIfAbsent(s.csid(), k -> new long[3]);
                long delta = s.time() < 0 ? prev[1] : s.time();
                long timestamp = s.relative() ? (prev[0] + delta) & 0xFFFFFFFFL : s.time() & 0xFFFFFFFFL;
                int size = s.sameSize() ? (int) prev[2] : s.size();
                prev[1] = (timestamp - prev[0]) & 0xFFFFFFFFL;
                prev[0] = timestamp;
                prev[2] = size;
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                ByteBuf buf = alloc.buffer(size);
                buf.writeBytes(payload);
                message = new RtmpMessage(s.csid(), s.typeId(), s.messageStreamId(), timestamp, buf);
            }
            expected.add(Expected.of(message));
            encoder.writeOutbound(message);
        }
        byte[] wire = drainOutbound(encoder);
        encoder.finishAndReleaseAll();
        Statistics.label("wire bytes").collect(wire.length < 1000 ? "<1k" : wire.length < 100_000 ? "<100k" : ">=100k");
        Statistics.label("extended timestamps").collect(expected.stream().anyMatch(e -> e.timestamp() >= 0xFFFFFF));

        List<RtmpMessage> decoded = decode(alloc, wire, random);
        try {
            assertEquals(expected.size(), decoded.size(), "message count");
            for (int i = 0; i < expected.size(); i++) {
                expected.get(i).assertMatches(decoded.get(i), i);
            }
        } finally {
            decoded.forEach(RtmpMessage::release);
        }
        alloc.assertAllReleased();
    }

    @Property(tries = 100)
    void chunksInterleavedAcrossChunkStreamsReassemble(@ForAll @IntRange(min = 1, max = 6) int streams,
            @ForAll @IntRange(min = 1, max = 5000) int chunkSize, @ForAll boolean omitExtendedOnContinuations,
            @ForAll long seed) {
        TrackingAllocator alloc = new TrackingAllocator();
        Random random = new Random(seed);
        ChunkInterleaver writer = new ChunkInterleaver(chunkSize, omitExtendedOnContinuations);
        List<Expected> sent = new ArrayList<>();
        sent.add(new Expected(2, RtmpMessage.SET_CHUNK_SIZE, 0, 0, ChunkInterleaver.int32(chunkSize)));
        for (int s = 0; s < streams; s++) {
            int csid = new int[]{3, 4, 6, 64, 319, 320, 65599}[s];
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[random.nextInt(4) == 0 ? random.nextInt(70_000) : random.nextInt(600)];
                random.nextBytes(payload);
                long timestamp = random.nextBoolean() ? random.nextInt(1000) : 0xFFFFFFL + random.nextInt(1 << 30);
                Expected e = new Expected(csid, RtmpMessage.VIDEO, 1 + s, timestamp, payload);
                sent.add(e);
                writer.add(e);
            }
        }
        // A last small message, so that a continuation chunk without its extended timestamp is never the
        // end of the input (the decoder needs 4 bytes after its header to tell).
        Expected trailer = new Expected(5, RtmpMessage.DATA_AMF0, 0, 7, new byte[]{1, 2, 3, 4, 5});
        sent.add(trailer);
        ChunkInterleaver last = new ChunkInterleaver(chunkSize, false);
        last.add(trailer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(writer.write(random, true));
        out.writeBytes(last.write(random, false));
        byte[] wire = out.toByteArray();

        List<RtmpMessage> decoded = decode(alloc, wire, random);
        try {
            assertEquals(sent.size(), decoded.size(), "message count");
            // Order across chunk streams depends on the interleaving; order within one is preserved.
            Map<Integer, List<Expected>> byStream = new HashMap<>();
            sent.forEach(e -> byStream.computeIfAbsent(e.csid(), k -> new ArrayList<>()).add(e));
            for (int i = 0; i < decoded.size(); i++) {
                RtmpMessage m = decoded.get(i);
                byStream.get(m.chunkStreamId()).remove(0).assertMatches(m, i);
            }
        } finally {
            decoded.forEach(RtmpMessage::release);
        }
        alloc.assertAllReleased();
    }

    /** Feeds the bytes to a fresh decoder in pieces of random length and returns what it produced. */
    static List<RtmpMessage> decode(TrackingAllocator alloc, byte[] wire, Random random) {
        RtmpChunkDecoder decoder = new RtmpChunkDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.config().setAllocator(alloc);
        List<RtmpMessage> decoded = new ArrayList<>();
        int offset = 0;
        while (offset < wire.length) {
            int n = Math.min(wire.length - offset, random.nextBoolean()
                    ? 1 + random.nextInt(20)
                    : 1 + random.nextInt(70_000));
            channel.writeInbound(alloc.buffer(n).writeBytes(wire, offset, n));
            offset += n;
            drainInbound(channel, decoded);
        }
        assertEquals(wire.length, decoder.bytesReceived(), "bytesReceived");
        channel.finish();
        drainInbound(channel, decoded);
        assertNull(channel.readInbound());
        return decoded;
    }

    static void drainInbound(EmbeddedChannel channel, List<RtmpMessage> into) {
        for (RtmpMessage m; (m = channel.readInbound()) != null;) {
            into.add(m);
        }
    }

    static byte[] drainOutbound(EmbeddedChannel channel) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (ByteBuf b; (b = channel.readOutbound()) != null;) {
            try {
                wire.writeBytes(ByteBufUtil.getBytes(b));
            } finally {
                b.release();
            }
        }
        return wire.toByteArray();
    }

    /**
     * A test-only chunk writer that interleaves the chunks of messages on different chunk streams at chunk
     * granularity. Every message starts with a type 0 header; continuations are type 3 and repeat the extended
     * timestamp unless told to omit it (as some old encoders do).
     */
    static final class ChunkInterleaver {
        private final int chunkSize;
        private final boolean omitExtendedOnContinuations;
        private final Map<Integer, List<Expected>> queues = new HashMap<>();

        ChunkInterleaver(int chunkSize, boolean omitExtendedOnContinuations) {
            this.chunkSize = chunkSize;
            this.omitExtendedOnContinuations = omitExtendedOnContinuations;
        }

        void add(Expected message) {
            queues.computeIfAbsent(message.csid(), k -> new ArrayList<>()).add(message);
        }

        byte[] write(Random random, boolean setChunkSizeFirst) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (setChunkSizeFirst) {
                out.writeBytes(new byte[]{2, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0});
                out.writeBytes(int32(chunkSize));
            }
            Map<Integer, Integer> offsets = new HashMap<>();
            List<Integer> active = new ArrayList<>(queues.keySet());
            while (!active.isEmpty()) {
                int csid = active.get(random.nextInt(active.size()));
                Expected m = queues.get(csid).get(0);
                int offset = offsets.getOrDefault(csid, 0);
                boolean extended = m.timestamp() >= 0xFFFFFF;
                if (offset == 0) {
                    basicHeader(out, 0, csid);
                    medium(out, extended ? 0xFFFFFF : (int) m.timestamp());
                    medium(out, m.payload().length);
                    out.write(m.typeId());
                    int msid = m.messageStreamId();
                    out.writeBytes(new byte[]{(byte) msid, (byte) (msid >>> 8), (byte) (msid >>> 16),
                            (byte) (msid >>> 24)});
                    if (extended) {
                        int32(out, m.timestamp());
                    }
                } else {
                    basicHeader(out, 3, csid);
                    if (extended && !omitExtendedOnContinuations) {
                        int32(out, m.timestamp());
                    }
                }
                int n = Math.min(chunkSize, m.payload().length - offset);
                out.write(m.payload(), offset, n);
                offset += n;
                if (offset == m.payload().length) {
                    queues.get(csid).remove(0);
                    offsets.put(csid, 0);
                    if (queues.get(csid).isEmpty()) {
                        active.remove(Integer.valueOf(csid));
                    }
                } else {
                    offsets.put(csid, offset);
                }
            }
            return out.toByteArray();
        }

        private static void basicHeader(ByteArrayOutputStream out, int fmt, int csid) {
            if (csid < 64) {
                out.write(fmt << 6 | csid);
            } else if (csid < 320) {
                out.write(fmt << 6);
                out.write(csid - 64);
            } else {
                out.write(fmt << 6 | 1);
                out.write((csid - 64) & 0xFF);
                out.write((csid - 64) >>> 8);
            }
        }

        private static void medium(ByteArrayOutputStream out, int v) {
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
        }

        private static void int32(ByteArrayOutputStream out, long v) {
            out.writeBytes(int32(v));
        }

        static byte[] int32(long v) {
            return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
    }
}
