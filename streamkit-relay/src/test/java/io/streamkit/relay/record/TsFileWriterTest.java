package io.streamkit.relay.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.Codec;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.Payload;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.mp4.RecordingException;
import io.streamkit.relay.ts.TsMuxer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TsFileWriterTest {
    private Path dir;

    @BeforeEach
    @BeforeProperty
    void createDir() throws IOException {
        dir = Files.createTempDirectory("ts-writer");
    }

    @AfterEach
    @AfterProperty
    void deleteDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /**
     * A stream shape: frames derive from {@code seed}; {@code leadIn} non-key video frames come
     * before the first keyframe.
     */
    record Spec(long base, int videoTimescale, int audioTimescale, int leadIn, int frames, int gop, boolean bFrames,
            long seed) {
    }

    @Provide
    Arbitrary<Spec> specs() {
        return Combinators.combine(Arbitraries.longs().between(0, 1L << 40), Arbitraries.of(1000, 90000),
                Arbitraries.of(1000, 48000, 90000), Arbitraries.integers().between(0, 4), Arbitraries.integers()
                        .between(1, 40),
                Arbitraries.integers().between(1, 12), Arbitraries.of(false, true),
                Arbitraries.longs()).as(Spec::new);
    }

    /** The input packets, interleaved by decode time; the caller releases them. */
    static List<MediaPacket> packets(Spec spec, TrackInfo video, TrackInfo audio) {
        Random random = new Random(spec.seed());
        List<MediaPacket> in = new ArrayList<>();
        long frameNanos = 33_333_333;
        for (int i = 0; i < spec.leadIn() + spec.frames(); i++) {
            boolean key = i >= spec.leadIn() && (i - spec.leadIn()) % spec.gop() == 0;
            long dts = spec.base() + MediaPacket.rescale(i * frameNanos, 1_000_000_000, video.timescale());
            long pts = spec.bFrames()
                    ? dts + MediaPacket.rescale(2 * frameNanos, 1_000_000_000, video.timescale())
                    : dts;
            in.add(TestMedia.video(video, dts, pts, key, TestMedia.accessUnit(random, key, 400)));
        }
        long audioBase = MediaPacket.rescale(spec.base(), video.timescale(), audio.timescale());
        long audioNanos = 21_333_333;
        long end = (spec.leadIn() + spec.frames()) * frameNanos;
        for (long t = 0; t < end; t += audioNanos) {
            byte[] frame = new byte[1 + random.nextInt(300)];
            random.nextBytes(frame);
            in.add(TestMedia.audio(audio, audioBase + MediaPacket.rescale(t, 1_000_000_000, audio.timescale()),
                    frame));
        }
        in.sort(Comparator.comparingLong(MediaPacket::dtsNanos));
        return in;
    }

    /** What the file should hold: everything from the first video keyframe on, shifted so that it is at zero. */
    static List<TestMedia.Frame> expected(List<MediaPacket> in) {
        List<TestMedia.Frame> out = new ArrayList<>();
        MediaPacket first = null;
        for (MediaPacket p : in) {
            if (first == null) {
                if (p.mediaType() != MediaType.VIDEO || !p.isKeyframe()) {
                    continue;
                }
                first = p;
            }
            long zero = MediaPacket.rescale(first.dts(), first.timescale(), p.timescale());
            if (p.dts() < zero) {
                continue;
            }
            out.add(new TestMedia.Frame(p.mediaType(), MediaPacket.rescale(p.dts() - zero, p.timescale(), 90000),
                    MediaPacket.rescale(p.pts() - zero, p.timescale(), 90000), p.isKeyframe(), p.payload()
                            .toByteArray()));
        }
        return out;
    }

    @Property(tries = 60)
    void fileHoldsThePacketsFromTheFirstKeyframeOnWithTimestampsFromZero(@ForAll("specs") Spec spec)
            throws IOException {
        TrackInfo video = TestMedia.h264(0, spec.videoTimescale());
        TrackInfo audio = TestMedia.aac(1, spec.audioTimescale());
        List<MediaPacket> in = packets(spec, video, audio);
        Path file = dir.resolve("a.ts");
        try {
            TsFileWriter w = TsFileWriter.open(file, List.of(video, audio));
            in.forEach(w::write);
            w.close();
            List<TestMedia.Frame> expected = expected(in);
            assertEquals(in.size(), w.samples() + w.droppedPackets(), "every packet written or dropped");
            assertEquals(expected.size(), w.samples());
            byte[] ts = Files.readAllBytes(file);
            assertEquals(0, ts.length % 188, "whole TS packets");
            assertEquals(0, TestMedia.pid(ts, 0), "PAT first");
            assertEquals(TsMuxer.PMT_PID, TestMedia.pid(ts, 1), "PMT second");
            TestMedia.Demuxed d = TestMedia.demux(ts);
            assertEquals(0, d.errors(), "demuxer errors");
            assertEquals(List.of(Codec.H264, Codec.AAC), d.tracks().stream().map(TrackInfo::codec).toList());
            for (MediaType type : List.of(MediaType.VIDEO, MediaType.AUDIO)) {
                assertEquals(expected.stream().filter(f -> f.type() == type).toList(), d.of(type), type.toString());
            }
            assertTrue(d.of(MediaType.VIDEO).get(0).keyframe(), "starts at a keyframe");
            assertEquals(0, d.of(MediaType.VIDEO).get(0).dts(), "starts at zero");
        } finally {
            in.forEach(MediaPacket::release);
        }
    }

    @Property(tries = 40)
    void theFileOnDiskAlwaysEndsAfterAWholeGop(@ForAll("specs") Spec spec) throws IOException {
        TrackInfo video = TestMedia.h264(0, spec.videoTimescale());
        TrackInfo audio = TestMedia.aac(1, spec.audioTimescale());
        List<MediaPacket> in = packets(spec, video, audio);
        Path file = dir.resolve("b.ts");
        try {
            TsFileWriter w = TsFileWriter.open(file, List.of(video, audio));
            List<TestMedia.Frame> expected = expected(in);
            int keyframesSeen = 0;
            int videoSeen = 0;
            for (MediaPacket p : in) {
                boolean video2 = p.mediaType() == MediaType.VIDEO;
                int videoBefore = videoSeen;
                w.write(p);
                if (video2 && keyframesSeen + (p.isKeyframe() ? 1 : 0) > 0) {
                    videoSeen++;
                }
                if (video2 && p.isKeyframe()) {
                    keyframesSeen++;
                    byte[] onDisk = Files.readAllBytes(file);
                    assertEquals(0, onDisk.length % 188, "whole TS packets on disk");
                    TestMedia.Demuxed d = TestMedia.demux(onDisk);
                    assertEquals(0, d.errors());
                    // every GOP before this keyframe is on disk, nothing of this one
                    assertEquals(expected.stream().filter(f -> f.type() == MediaType.VIDEO).limit(videoBefore)
                            .toList(), d.of(MediaType.VIDEO), "video on disk after keyframe " + keyframesSeen);
                }
            }
            w.close();
            assertEquals(expected.size(), TestMedia.demux(file).frames().size());
        } finally {
            in.forEach(MediaPacket::release);
        }
    }

    @Property(tries = 60)
    void malformedPayloadsAreDroppedAndCountedNeverThrown(@ForAll("garbage") List<byte[]> payloads,
            @ForAll long seed) throws IOException {
        TrackInfo video = TestMedia.h264(0, 90000);
        TrackInfo audio = TestMedia.aac(1, 90000);
        Random random = new Random(seed);
        Path file = dir.resolve("c.ts");
        TsFileWriter w = TsFileWriter.open(file, List.of(video, audio));
        long dts = random.nextInt(100_000);
        for (byte[] b : payloads) {
            dts += random.nextInt(6000) - 500; // sometimes backwards
            MediaPacket p = random.nextBoolean()
                    ? TestMedia.video(video, dts, dts + random.nextInt(3000), random.nextInt(4) == 0, b)
                    : TestMedia.audio(audio, dts, b);
            try {
                w.write(p);
            } finally {
                p.release();
            }
        }
        w.close();
        assertEquals(payloads.size(), w.samples() + w.droppedPackets());
        byte[] ts = Files.readAllBytes(file);
        assertEquals(0, ts.length % 188);
        TestMedia.Demuxed d = TestMedia.demux(ts);
        assertEquals(0, d.errors());
    }

    @Provide
    Arbitrary<List<byte[]>> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(9000).list().ofMaxSize(40);
    }

    @Test
    void audioOnlyFilesAreWrittenEverySecond() throws IOException {
        TrackInfo audio = TestMedia.aac(1, 1000);
        Path file = dir.resolve("audio.ts");
        TsFileWriter w = TsFileWriter.open(file, List.of(audio));
        List<Long> sizes = new ArrayList<>();
        for (int t = 0; t <= 2100; t += 21) {
            MediaPacket p = TestMedia.audio(audio, 5000 + t, new byte[]{1, 2, 3});
            try {
                w.write(p);
            } finally {
                p.release();
            }
            sizes.add(Files.size(file));
        }
        assertEquals(0L, sizes.get(0));
        assertTrue(sizes.get(47) == 0 && sizes.get(48) > 0, "first second on disk at 1 s: " + sizes);
        assertTrue(sizes.get(95).equals(sizes.get(48)) && sizes.get(96) > sizes.get(95), "next second on disk at 2 s: "
                + sizes);
        w.close();
        assertEquals(101, TestMedia.demux(file).of(MediaType.AUDIO).size());
        assertEquals(0, TestMedia.demux(file).of(MediaType.AUDIO).get(0).dts());
    }

    @Test
    void packetsBeforeZeroOrGoingBackwardsAreDropped() {
        TrackInfo video = TestMedia.h264(0, 1000);
        TrackInfo audio = TestMedia.aac(1, 1000);
        Path file = dir.resolve("d.ts");
        TsFileWriter w = TsFileWriter.open(file, List.of(video, audio));
        Random random = new Random(1);
        List<MediaPacket> in = List.of(TestMedia.audio(audio, 990, new byte[]{1}), TestMedia.video(video, 1000, 1000,
                false, TestMedia.accessUnit(random, false, 10)),
                TestMedia.video(video, 1033, 1033, true, TestMedia
                        .accessUnit(random, true, 10)),
                TestMedia.audio(audio, 1020, new byte[]{2}), TestMedia.audio(
                        audio, 1040, new byte[]{3}),
                TestMedia.audio(audio, 1039, new byte[]{4}), TestMedia
                        .video(video, 1066, 1066, false, TestMedia.accessUnit(random, false, 10)));
        try {
            in.forEach(w::write);
        } finally {
            in.forEach(MediaPacket::release);
        }
        w.close();
        assertEquals(3, w.samples());
        assertEquals(4, w.droppedPackets());
        TestMedia.Demuxed d = TestMedia.demux(file);
        assertEquals(List.of(0L, 33L * 90), d.of(MediaType.VIDEO).stream().map(TestMedia.Frame::dts).toList());
        assertEquals(List.of(7L * 90), d.of(MediaType.AUDIO).stream().map(TestMedia.Frame::dts).toList());
    }

    @Test
    void tracksMpegTsCannotCarryAreLeftOut() {
        TrackInfo vp8 = TrackInfo.builder(0, Codec.VP8).timescale(90000).dimensions(640, 360).build();
        TrackInfo audio = TestMedia.aac(1, 1000);
        RecordingException e = assertThrows(RecordingException.class, () -> TsFileWriter.open(dir.resolve("e.ts"),
                List.of(vp8)));
        assertTrue(e.getMessage().contains("no track is H.264, H.265, AAC, MP3 or Opus (tracks: [VP8])"), e
                .getMessage());
        TsFileWriter w = TsFileWriter.open(dir.resolve("f.ts"), List.of(vp8, audio));
        MediaPacket v = MediaPacket.of(vp8, 0, 0, true, Payload.wrap(new byte[]{1, 2, 3}));
        MediaPacket a = TestMedia.audio(audio, 0, new byte[]{1});
        try {
            w.write(v);
            w.write(a);
        } finally {
            v.release();
            a.release();
        }
        w.close();
        assertEquals(1, w.samples());
        assertEquals(1, w.droppedPackets());
        TestMedia.Demuxed d = TestMedia.demux(dir.resolve("f.ts"));
        assertEquals(List.of(Codec.AAC), d.tracks().stream().map(TrackInfo::codec).toList());
    }

    @Test
    void failuresNameTheFile() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        RecordingException e = assertThrows(RecordingException.class, () -> TsFileWriter.open(blocker.resolve("g.ts"),
                List.of(TestMedia.aac(1, 1000))));
        assertTrue(e.getMessage().contains("blocker"), e.getMessage());
        TsFileWriter w = TsFileWriter.open(dir.resolve("h.ts"), List.of(TestMedia.aac(1, 1000)));
        w.close();
        w.close(); // idempotent
        MediaPacket p = TestMedia.audio(TestMedia.aac(1, 1000), 0, new byte[]{1});
        try {
            assertTrue(assertThrows(RecordingException.class, () -> w.write(p)).getMessage().contains("h.ts"));
        } finally {
            p.release();
        }
    }
}
