package io.streamkit.relay.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.Payload;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.TestMedia;
import io.streamkit.relay.internal.ByteBufPayload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random H.264 + AAC sample sequences (sizes, keyframe patterns, B-frame composition offsets,
 * fragment boundaries) through {@link FragmentedMp4Muxer}, {@link FragmentedMp4Writer} and
 * {@link Mp4Finalizer}, parsed back with {@link Mp4BoxReader} and a test-side sample table
 * reconstruction.
 */
class Mp4MuxerPropertiesTest {
    static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    static final TrackInfo VIDEO = TrackInfo.builder(0, Codec.H264).timescale(90000).config(CodecConfig.of(
            TestMedia.AVCC)).dimensions(640, 360).build();
    static final TrackInfo AUDIO = TrackInfo.builder(1, Codec.AAC).timescale(90000).config(CodecConfig.of(
            TestMedia.ASC)).audio(48000, 2).build();
    private static final int FRAME = 3000; // 30 fps at 90 kHz
    private static final int AAC_FRAME = 1920; // 1024 samples at 48 kHz in 90 kHz ticks

    /** A generated stream: packets in decode order and where fragments are cut. */
    record Scenario(List<MediaPacket> packets, boolean[] cutBefore, long zero) {
        void release() {
            packets.forEach(MediaPacket::release);
        }
    }

    static Scenario scenario(long seed, int videoFrames, int audioFrames) {
        Random r = new Random(seed);
        long start = r.nextInt(4) == 0 ? 0 : (r.nextLong() & ((1L << 33) - 1));
        int audioOffset = r.nextInt(5000);
        int maxB = r.nextInt(3); // 0: no B-frames
        double keyRate = r.nextDouble();
        List<MediaPacket> packets = new ArrayList<>();
        for (int i = 0; i < videoFrames; i++) {
            long dts = start + (long) i * FRAME;
            long pts = dts + (long) FRAME * (maxB == 0 ? 0 : r.nextInt(maxB + 1));
            boolean key = i == 0 || r.nextDouble() < keyRate * 0.3;
            packets.add(MediaPacket.of(VIDEO, dts, pts, key, payload(r, r.nextInt(3000))));
        }
        for (int i = 0; i < audioFrames; i++) {
            long dts = start + audioOffset + (long) i * AAC_FRAME;
            packets.add(MediaPacket.of(AUDIO, dts, dts, true, payload(r, 1 + r.nextInt(700))));
        }
        packets.sort(Comparator.comparingLong(MediaPacket::dts)); // stable: per-track order kept
        boolean[] cut = new boolean[packets.size()];
        for (int i = 1; i < cut.length; i++) {
            cut[i] = r.nextInt(12) == 0;
        }
        return new Scenario(packets, cut, packets.isEmpty() ? 0 : packets.get(0).dts());
    }

    private static Payload payload(Random r, int size) {
        byte[] bytes = new byte[size];
        r.nextBytes(bytes);
        if (r.nextBoolean()) {
            return Payload.wrap(bytes);
        }
        ByteBuf buf = ALLOC.buffer(size).writeBytes(bytes);
        return ByteBufPayload.of(buf);
    }

    /** The samples the muxer should store, per MP4 track id, with media times from the zero point. */
    static Map<Integer, List<Mp4Samples.Sample>> expected(Scenario s) {
        Map<Integer, List<Mp4Samples.Sample>> out = new TreeMap<>();
        for (MediaPacket p : s.packets) {
            boolean video = p.mediaType() == MediaType.VIDEO;
            int ts = video ? 90000 : 48000;
            long zero = MediaPacket.rescale(s.zero, 90000, ts);
            long dts = MediaPacket.rescale(p.dts(), 90000, ts) - zero;
            long cto = MediaPacket.rescale(p.pts(), 90000, ts) - zero - dts;
            int track = video ? 1 : 2;
            out.computeIfAbsent(track, k -> new ArrayList<>()).add(new Mp4Samples.Sample(track, dts, cto, p
                    .isKeyframe(), p.payload().toByteArray()));
        }
        return out;
    }

    @Property(tries = 200)
    void fragmentsRoundTrip(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int videoFrames,
            @ForAll @IntRange(min = 0, max = 90) int audioFrames) {
        Scenario s = scenario(seed, videoFrames, audioFrames);
        FragmentedMp4Muxer muxer = new FragmentedMp4Muxer(List.of(VIDEO, AUDIO));
        CompositeByteBuf file = ALLOC.compositeBuffer(Integer.MAX_VALUE);
        try {
            file.addComponent(true, muxer.initSegment(ALLOC));
            List<MediaPacket> batch = new ArrayList<>();
            int seq = 0;
            List<Integer> fragmentSampleCounts = new ArrayList<>();
            for (int i = 0; i < s.packets.size(); i++) {
                if (s.cutBefore[i] && !batch.isEmpty()) {
                    file.addComponent(true, muxer.fragment(ALLOC, batch, ++seq));
                    fragmentSampleCounts.add(batch.size());
                    batch.clear();
                }
                batch.add(s.packets.get(i));
            }
            file.addComponent(true, muxer.fragment(ALLOC, batch, ++seq));
            fragmentSampleCounts.add(batch.size());

            List<Mp4Box> top = Mp4BoxReader.parse(file);
            checkStructure(top, seq);
            for (int f = 0; f < seq; f++) {
                Mp4Box moof = top.get(2 + 2 * f);
                Mp4Box mdat = top.get(3 + 2 * f);
                assertEquals(f + 1, moof.find("mfhd").payload().getInt(4), "mfhd sequence number");
                long total = 0;
                int count = 0;
                for (Mp4Box traf : moof.children("traf")) {
                    Mp4Box trun = traf.find("trun");
                    assertEquals(1, trun.version(), "trun version 1 (signed composition offsets)");
                    int n = trun.payload().getInt(4);
                    count += n;
                    for (int i = 0; i < n; i++) {
                        int stride = (trun.flags() & 0x800) != 0 ? 16 : 12;
                        total += trun.payload().getInt(12 + stride * i + 4);
                    }
                }
                assertEquals(fragmentSampleCounts.get(f), count, "samples in fragment " + (f + 1));
                assertEquals(total, mdat.size() - 8, "mdat holds exactly the samples");
            }
            assertEquals(expected(s), Mp4Samples.fromFragments(file));
        } finally {
            file.release();
            s.release();
        }
    }

    @Property(tries = 40)
    void writerAndFinalizerRoundTrip(@ForAll long seed, @ForAll @IntRange(min = 1, max = 90) int videoFrames,
            @ForAll @IntRange(min = 0, max = 120) int audioFrames) throws IOException {
        Scenario s = scenario(seed, videoFrames, audioFrames);
        Path dir = Files.createTempDirectory("mp4props");
        Path fragmented = dir.resolve("in.mp4");
        Path progressive = dir.resolve("out.mp4");
        try {
            FragmentedMp4Writer writer = FragmentedMp4Writer.open(fragmented, List.of(VIDEO, AUDIO));
            for (MediaPacket p : s.packets) {
                writer.write(p);
            }
            writer.close();
            writer.close(); // idempotent
            assertEquals(0, writer.droppedPackets());
            assertEquals(s.packets.size(), writer.samples());
            Map<Integer, List<Mp4Samples.Sample>> expected = expected(s);
            ByteBuf in = ALLOC.buffer().writeBytes(Files.readAllBytes(fragmented));
            try {
                assertEquals(expected, Mp4Samples.fromFragments(in));
                for (Mp4Box moof : Mp4BoxReader.parse(in)) {
                    if (moof.type().equals("moof")) {
                        // every fragment of a file with video starts with a video keyframe
                        Mp4Box first = moof.children("traf").get(0);
                        assertEquals(1, first.find("tfhd").payload().getInt(4));
                        assertEquals(FragmentedMp4Muxer.SYNC_SAMPLE_FLAGS, first.find("trun").payload().getInt(
                                20));
                    }
                }
            } finally {
                in.release();
            }

            Mp4Finalizer.Summary summary = Mp4Finalizer.toProgressive(fragmented, progressive);
            assertEquals(s.packets.size(), summary.samples());
            ByteBuf out = ALLOC.buffer().writeBytes(Files.readAllBytes(progressive));
            try {
                List<Mp4Box> top = Mp4BoxReader.parse(out);
                assertEquals(List.of("ftyp", "moov", "mdat"), Mp4Samples.topLevelTypes(top));
                assertEquals(out.readableBytes(), summary.bytes());
                Map<Integer, List<Mp4Samples.Sample>> actual = Mp4Samples.fromSampleTables(out);
                // progressive tracks start at media time 0; a later start is an edit list
                for (Map.Entry<Integer, List<Mp4Samples.Sample>> e : expected.entrySet()) {
                    List<Mp4Samples.Sample> want = e.getValue();
                    long first = want.get(0).dts();
                    List<Mp4Samples.Sample> shifted = want.stream().map(x -> new Mp4Samples.Sample(x.track(), x
                            .dts() - first, x.cto(), x.sync(), x.bytes())).toList();
                    assertEquals(shifted, actual.get(e.getKey()), "track " + e.getKey());
                }
                actual.values().removeIf(List::isEmpty);
                assertEquals(expected.keySet(), actual.keySet());
                Mp4Box moov = top.get(1);
                for (Mp4Box trak : moov.children("trak")) {
                    int id = trak.find("tkhd").payload().getInt(12);
                    long first = expected.getOrDefault(id, List.of()).isEmpty() ? 0 : expected.get(id).get(0).dts();
                    int ts = id == 1 ? 90000 : 48000;
                    boolean delayed = first * 1000 / ts > 0;
                    assertEquals(delayed, trak.has("edts/elst"), "empty edit for a late track " + id);
                }
            } finally {
                out.release();
            }
        } finally {
            s.release();
            Files.deleteIfExists(fragmented);
            Files.deleteIfExists(progressive);
            Files.deleteIfExists(dir);
        }
    }

    /** ftyp, moov (mvhd, trak..., mvex), then moof/mdat pairs; every required box in order. */
    static void checkStructure(List<Mp4Box> top, int fragments) {
        List<String> types = new ArrayList<>(List.of("ftyp", "moov"));
        for (int i = 0; i < fragments; i++) {
            types.add("moof");
            types.add("mdat");
        }
        assertEquals(types, Mp4Samples.topLevelTypes(top));
        Mp4Box moov = top.get(1);
        assertEquals(List.of("mvhd", "trak", "trak", "mvex"), Mp4Samples.topLevelTypes(moov.children()));
        for (Mp4Box trak : moov.children("trak")) {
            assertEquals(List.of("tkhd", "mdia"), Mp4Samples.topLevelTypes(trak.children()));
            assertEquals(List.of("mdhd", "hdlr", "minf"), Mp4Samples.topLevelTypes(trak.find("mdia").children()));
            List<String> minf = Mp4Samples.topLevelTypes(trak.find("mdia/minf").children());
            assertTrue(minf.equals(List.of("vmhd", "dinf", "stbl")) || minf.equals(List.of("smhd", "dinf",
                    "stbl")), minf.toString());
            assertEquals(List.of("stsd", "stts", "stsc", "stsz", "stco"), Mp4Samples.topLevelTypes(trak.find(
                    "mdia/minf/stbl").children()));
        }
        assertEquals(List.of("trex", "trex"), Mp4Samples.topLevelTypes(moov.find("mvex").children()));
        for (int i = 0; i < fragments; i++) {
            Mp4Box moof = top.get(2 + 2 * i);
            assertEquals("mfhd", moof.children().get(0).type());
            for (Mp4Box traf : moof.children("traf")) {
                assertEquals(List.of("tfhd", "tfdt", "trun"), Mp4Samples.topLevelTypes(traf.children()));
            }
        }
        checkSizes(top);
    }

    /** Every container's size is its header, fixed fields and children exactly. */
    static void checkSizes(List<Mp4Box> boxes) {
        for (Mp4Box b : boxes) {
            long inner = b.headerSize() + b.payloadLength();
            long expectedOffset = b.offset() + b.headerSize() + b.payloadLength();
            for (Mp4Box c : b.children()) {
                assertEquals(expectedOffset, c.offset(), "children of '" + b.type() + "' are contiguous");
                expectedOffset += c.size();
                inner += c.size();
            }
            assertEquals(b.size(), inner, "size of '" + b.type() + "'");
            checkSizes(b.children());
        }
    }
}
