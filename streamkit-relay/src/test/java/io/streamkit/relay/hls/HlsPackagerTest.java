package io.streamkit.relay.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.TestMedia;
import io.streamkit.relay.mp4.FragmentedMp4Muxer;
import io.streamkit.relay.mp4.Mp4Box;
import io.streamkit.relay.mp4.Mp4BoxReader;
import io.streamkit.relay.ts.TsDemuxer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Segmenting: cuts at the first keyframe after the target, parts of low-latency HLS, fMP4 and
 * MPEG-TS output checked structurally, discontinuities, the end of a stream, the sliding window,
 * and that every buffer and payload is released.
 */
class HlsPackagerTest {
    static final long WALL_BASE = 1_700_000_000_000L;
    private ScheduledExecutorService scheduler;
    private final List<HlsPackager> packagers = new ArrayList<>();
    private final List<SyntheticMedia> sources = new ArrayList<>();

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hls-test");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        for (HlsPackager p : packagers) {
            p.closeAsync().get(5, TimeUnit.SECONDS);
        }
        scheduler.shutdownNow();
        for (SyntheticMedia s : sources) {
            assertEquals(0, s.media.live(), "every payload released");
        }
    }

    HlsPackager packager(HlsOptions options) {
        HlsPackager p = new HlsPackager("live/test", options, scheduler, ByteBufAllocator.DEFAULT, 0,
                () -> WALL_BASE);
        packagers.add(p);
        return p;
    }

    SyntheticMedia source(SyntheticMedia s) {
        sources.add(s);
        return s;
    }

    static byte[] take(Optional<ByteBuf> data) {
        assertTrue(data.isPresent(), "data present");
        ByteBuf b = data.get();
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static List<Double> durations(HlsPackager p) {
        return M3u8.parse(p.mediaPlaylist()).segments.stream().map(M3u8.Segment::duration).toList();
    }

    /** Segments cut by a keyframe have exact durations; one ended otherwise lasts to its last frame's end (+-1 ms). */
    static void assertDurations(List<Double> expected, M3u8 m) {
        List<Double> got = m.segments.stream().map(M3u8.Segment::duration).toList();
        assertEquals(expected.size(), got.size(), "segments: " + got);
        for (int i = 0; i < got.size(); i++) {
            assertEquals(expected.get(i), got.get(i), 0.0015, "segment " + i + " of " + got);
        }
    }

    /** Decode time of the first sample of an MP4 track in a segment, and whether it is a sync sample. */
    record First(long tfdt, boolean sync) {
    }

    static First firstSample(byte[] segment, int mp4Track) {
        for (Mp4Box box : Mp4BoxReader.parse(segment)) {
            if (!box.type().equals("moof")) {
                continue;
            }
            for (Mp4Box traf : box.children("traf")) {
                if (traf.find("tfhd").payload().getInt(4) != mp4Track) {
                    continue;
                }
                long tfdt = traf.find("tfdt").payload().getLong(4);
                ByteBuffer trun = traf.find("trun").payload();
                int flags = trun.getInt(0) & 0xFFFFFF;
                int pos = 12 + ((flags & 0x4) != 0 ? 4 : 0) + ((flags & 0x100) != 0 ? 4 : 0) + ((flags & 0x200) != 0
                        ? 4
                        : 0);
                return new First(tfdt, trun.getInt(pos) == FragmentedMp4Muxer.SYNC_SAMPLE_FLAGS);
            }
        }
        throw new AssertionError("no sample of track " + mp4Track);
    }

    @Test
    void segmentsAreCutAtTheFirstKeyframeAfterTheTarget() {
        // a keyframe every 1.5 s and a 2 s target: segments of 3 s
        SyntheticMedia src = source(new SyntheticMedia(30, 45, true, true, 0));
        HlsPackager p = packager(HlsOptions.defaults());
        p.onTracks(src.tracks());
        src.feed(p, 10_000);
        assertEquals(List.of(3.0, 3.0, 3.0), durations(p));
        assertEquals(3, p.targetDuration());
        M3u8 m = M3u8.parse(p.mediaPlaylist());
        assertEquals(3, m.number("EXT-X-TARGETDURATION"));
        assertEquals(List.of("seg0.m4s", "seg1.m4s", "seg2.m4s"), m.uris);
        HlsStats stats = p.stats();
        assertEquals(3, stats.segments());
        assertEquals(2, stats.lastSequenceNumber());
        assertTrue(stats.bandwidth() > 0, "bandwidth measured");
        assertTrue(p.firstSegment().isDone(), "the first segment exists");
    }

    @Test
    void segmentsFollowAGopShorterOrEqualToTheTarget() {
        SyntheticMedia equal = source(new SyntheticMedia(30, 60, true, true, 0));
        HlsPackager p = packager(HlsOptions.defaults());
        p.onTracks(equal.tracks());
        equal.feed(p, 8_100);
        assertEquals(List.of(2.0, 2.0, 2.0, 2.0), durations(p));
        assertEquals(2, p.targetDuration());

        SyntheticMedia shortGop = source(new SyntheticMedia(25, 10, true, false, 1_000));
        HlsPackager q = packager(HlsOptions.defaults().withSegmentDuration(Duration.ofMillis(1000)));
        q.onTracks(shortGop.tracks());
        shortGop.feed(q, 5_100);
        assertEquals(List.of(1.2, 1.2, 1.2), durations(q), "first keyframe at or after 1 s in 0.4 s GOPs");
    }

    @Test
    void fmp4SegmentsAreWellFormedAndStartWithAKeyframe() {
        SyntheticMedia src = source(new SyntheticMedia(30, 45, true, true, 5_000));
        HlsPackager p = packager(HlsOptions.defaults());
        p.onTracks(src.tracks());
        src.feed(p, 20_000);
        Set<Integer> ids = Fmp4Structure.checkInit(Unpooled.wrappedBuffer(take(p.initSegment(0))));
        assertEquals(Set.of(1, 2), ids);
        int seq = 0;
        long expectedStart = 0;
        for (long msn = 0; msn <= p.stats().lastSequenceNumber(); msn++) {
            byte[] seg = take(p.segment(msn));
            seq = Fmp4Structure.checkFragments(Unpooled.wrappedBuffer(seg), ids, seq);
            First video = firstSample(seg, 1);
            assertTrue(video.sync(), "segment " + msn + " starts with a sync sample");
            assertEquals(expectedStart, video.tfdt(), "segment " + msn + " continues the decode timeline");
            expectedStart += 3000; // 1 kHz media timescale, 3 s segments
            assertTrue(firstSample(seg, 2).tfdt() / 48 >= video.tfdt() - 30, "audio with its video");
        }
        assertEquals(3, p.stats().lastSequenceNumber());
    }

    @Test
    void lowLatencyPartsAreWholeFragmentsWithinThePartTarget() {
        SyntheticMedia src = source(SyntheticMedia.standard());
        HlsOptions o = HlsOptions.defaults().withLowLatency(true);
        HlsPackager p = packager(o);
        p.onTracks(src.tracks());
        src.feed(p, 8_500);
        Set<Integer> ids = Fmp4Structure.checkInit(Unpooled.wrappedBuffer(take(p.initSegment(0))));
        M3u8 m = M3u8.parse(p.mediaPlaylist());
        long target = o.partDuration().toMillis();
        int seq = 0;
        for (long msn = 0; msn < 4; msn++) {
            byte[] whole = take(p.segment(msn));
            ByteBuf concat = Unpooled.buffer();
            int parts = 0;
            for (int i = 0;; i++) {
                Optional<ByteBuf> part = p.part(msn, i);
                if (part.isEmpty()) {
                    break;
                }
                byte[] bytes = take(part);
                seq = Fmp4Structure.checkFragments(Unpooled.wrappedBuffer(bytes), ids, seq);
                assertEquals(i == 0, firstSample(bytes, 1).sync(), "only the first part starts with a keyframe");
                concat.writeBytes(bytes);
                parts++;
            }
            assertTrue(parts >= 6 && parts <= 8, "about 2 s / 300 ms parts: " + parts);
            assertArrayEquals(whole, ByteBufUtil.getBytes(concat), "a segment is its parts");
        }
        // the playlist lists the parts of the recent segments with their durations and independence
        List<M3u8.Tag> partTags = m.all("EXT-X-PART");
        assertFalse(partTags.isEmpty(), "parts listed");
        for (M3u8.Segment s : m.segments) {
            List<M3u8.Tag> tags = s.tags("EXT-X-PART");
            for (int i = 0; i < tags.size(); i++) {
                double d = Double.parseDouble(tags.get(i).attribute("DURATION"));
                assertTrue(d * 1000 <= target + 0.5, "part within the target: " + d);
                boolean independent = "YES".equals(tags.get(i).attributes().get("INDEPENDENT"));
                assertEquals(i == 0, independent, "INDEPENDENT=YES on the keyframe part only");
                if (i < tags.size() - 1 && !independent) {
                    assertTrue(d * 1000 >= 0.85 * target, "non-final parts last at least 85% of the target: " + d);
                }
            }
            if (!tags.isEmpty()) {
                double sum = tags.stream().mapToDouble(t -> Double.parseDouble(t.attribute("DURATION"))).sum();
                assertEquals(s.duration(), sum, 0.0035, "the parts add up to the segment");
            }
        }
    }

    @Test
    void mpegTsSegmentsStartWithTablesAndAKeyframe() {
        SyntheticMedia src = source(new SyntheticMedia(30, 60, true, true, 0));
        HlsPackager p = packager(HlsOptions.defaults().withFormat(HlsFormat.MPEG_TS));
        p.onTracks(src.tracks());
        List<MediaPacket> fed = src.until(6_100);
        long videoFed = fed.stream().filter(x -> x.mediaType() == MediaType.VIDEO && x.dts() < 6_000).count();
        for (MediaPacket x : fed) {
            try {
                p.onPacket(x);
            } finally {
                x.release();
            }
        }
        assertTrue(p.initSegment(0).isEmpty(), "no init segment in MPEG-TS");
        assertFalse(M3u8.parse(p.mediaPlaylist()).has("EXT-X-MAP"));
        long videoOut = 0;
        for (long msn = 0; msn < 3; msn++) {
            byte[] seg = take(p.segment(msn));
            assertEquals(0, seg.length % 188, "whole TS packets");
            assertEquals(0x47, seg[0] & 0xFF, "sync byte");
            assertEquals(0, ((seg[1] & 0x1F) << 8) | (seg[2] & 0xFF), "PAT first");
            List<MediaPacket> got = new ArrayList<>();
            TsDemuxer d = new TsDemuxer(new TsDemuxer.Listener() {
                @Override
                public void onTracks(List<TrackInfo> tracks) {
                }

                @Override
                public void onPacket(MediaPacket packet) {
                    got.add(packet);
                }
            });
            d.feed(Unpooled.wrappedBuffer(seg));
            d.flush();
            try {
                List<MediaPacket> video = got.stream().filter(x -> x.mediaType() == MediaType.VIDEO).toList();
                assertTrue(video.get(0).isKeyframe(), "segment " + msn + " starts with a keyframe");
                videoOut += video.size();
            } finally {
                got.forEach(MediaPacket::release);
            }
        }
        assertEquals(videoFed, videoOut, "every video frame of the complete segments");
    }

    @Test
    void trackChangeStartsANewGenerationAfterADiscontinuity() {
        SyntheticMedia src = source(SyntheticMedia.standard());
        HlsPackager p = packager(HlsOptions.defaults().withWindowSize(3).withExtraSegments(0));
        p.onTracks(src.tracks());
        src.feed(p, 4_500);
        // the publisher sends a new configuration (here: a new picture size)
        TrackInfo bigger = TestMedia.videoTrack().toBuilder().dimensions(1280, 720).build();
        p.onTracks(List.of(bigger, TestMedia.audioTrack()));
        src.feed(p, 10_500);
        M3u8 m = M3u8.parse(p.mediaPlaylist());
        List<M3u8.Segment> segs = m.segments;
        // seg0 [0,2) seg1 [2,4) seg2 [4,4.5) ends at the change; seg3 starts the new tracks at the next keyframe
        assertEquals(List.of("seg2.m4s", "seg3.m4s", "seg4.m4s"), m.uris);
        assertDurations(List.of(0.5, 2.0, 2.0), m);
        assertEquals("init.mp4", segs.get(0).tags("EXT-X-MAP").get(0).attribute("URI"));
        assertFalse(segs.get(0).has("EXT-X-DISCONTINUITY"));
        assertTrue(segs.get(1).has("EXT-X-DISCONTINUITY"), "the first segment after the change");
        assertEquals("init1.mp4", segs.get(1).tags("EXT-X-MAP").get(0).attribute("URI"));
        assertFalse(segs.get(2).has("EXT-X-MAP"), "the map is not repeated within a generation");
        assertFalse(m.has("EXT-X-DISCONTINUITY-SEQUENCE"), "no discontinuity left the playlist yet");
        Set<Integer> ids = Fmp4Structure.checkInit(Unpooled.wrappedBuffer(take(p.initSegment(1))));
        assertEquals(Set.of(1, 2), ids);
        assertTrue(M3u8.parse(p.multivariantPlaylist()).one("EXT-X-STREAM-INF").value().contains(
                "RESOLUTION=1280x720"), "the multivariant playlist follows the new tracks");
        src.feed(p, 14_500);
        m = M3u8.parse(p.mediaPlaylist());
        assertEquals(1, m.number("EXT-X-DISCONTINUITY-SEQUENCE"), "counts the discontinuity that left");
        assertEquals(1, p.stats().discontinuities());
        assertTrue(p.initSegment(0).isEmpty(), "the old init segment is released with its segments");
    }

    @Test
    void timestampJumpIsADiscontinuity() {
        SyntheticMedia first = source(new SyntheticMedia(30, 60, true, false, 0));
        SyntheticMedia later = source(new SyntheticMedia(30, 60, true, false, 60_000));
        HlsPackager p = packager(HlsOptions.defaults());
        p.onTracks(first.tracks());
        first.feed(p, 3_000);
        later.feed(p, 64_100);
        M3u8 m = M3u8.parse(p.mediaPlaylist());
        assertDurations(List.of(2.0, 1.0, 2.0, 2.0), m);
        assertTrue(m.segments.get(2).has("EXT-X-DISCONTINUITY"));
        assertEquals(3, m.segments.stream().filter(s -> !s.has("EXT-X-DISCONTINUITY")).count());
    }

    @Test
    void unpublishedStreamEndsThePlaylist() {
        SyntheticMedia src = source(SyntheticMedia.standard());
        HlsPackager p = packager(HlsOptions.defaults());
        p.onTracks(src.tracks());
        src.feed(p, 5_000);
        p.onUnpublished();
        M3u8 m = M3u8.parse(p.mediaPlaylist());
        assertTrue(m.has("EXT-X-ENDLIST"));
        assertDurations(List.of(2.0, 2.0, 1.0), m); // the last segment ends after its last frame
        assertTrue(p.isEnded());
        assertTrue(p.stats().ended());
        src.feed(p, 6_000); // ignored after the end
        assertEquals(m.segments.size(), M3u8.parse(p.mediaPlaylist()).segments.size());
    }

    @Test
    void windowSlidesAndKeepsExtraSegments() {
        SyntheticMedia src = source(new SyntheticMedia(30, 15, true, true, 0));
        HlsPackager p = packager(HlsOptions.defaults().withSegmentDuration(Duration.ofMillis(500)).withWindowSize(3)
                .withExtraSegments(2));
        p.onTracks(src.tracks());
        src.feed(p, 10_100); // 20 segments of 0.5 s
        M3u8 m = M3u8.parse(p.mediaPlaylist());
        assertEquals(17, m.number("EXT-X-MEDIA-SEQUENCE"));
        assertEquals(List.of("seg17.m4s", "seg18.m4s", "seg19.m4s"), m.uris);
        assertEquals(1, m.number("EXT-X-TARGETDURATION"));
        assertTrue(take(p.segment(15)).length > 0 && take(p.segment(16)).length > 0, "two extra segments kept");
        assertTrue(p.segment(14).isEmpty(), "older segments released");
        assertTrue(p.segment(20).isEmpty(), "the segment in the making is not served");
    }

    @Test
    void audioOnlyAndOpusStreamsArePackaged() {
        byte[] opusHead = HexFormat.of().parseHex("4f707573486561640102380180bb0000000000");
        TrackInfo opus = TrackInfo.builder(3, Codec.OPUS).timescale(48000).config(CodecConfig.of(opusHead)).audio(
                48000, 2).build();
        TestMedia media = new TestMedia();
        HlsPackager p = packager(HlsOptions.defaults());
        p.onTracks(List.of(opus));
        for (int i = 0; i < 260; i++) { // 20 ms packets: 5.2 s
            MediaPacket x = MediaPacket.of(opus, i * 960L, i * 960L, true, media.payload(80, i));
            try {
                p.onPacket(x);
            } finally {
                x.release();
            }
        }
        assertEquals(List.of(2.0, 2.0), durations(p));
        assertTrue(p.multivariantPlaylist().contains("CODECS=\"opus\""), p.multivariantPlaylist());
        Set<Integer> ids = Fmp4Structure.checkInit(Unpooled.wrappedBuffer(take(p.initSegment(0))));
        Fmp4Structure.checkFragments(Unpooled.wrappedBuffer(take(p.segment(1))), ids, 0);
        p.closeAsync().join();
        assertEquals(0, media.live(), "Opus payloads released");
    }

    @Test
    void streamWithoutCarriableTracksFailsTheFirstSegment() {
        HlsPackager p = packager(HlsOptions.defaults());
        p.onTracks(List.of(TrackInfo.builder(0, Codec.VP8).build()));
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () -> p
                .firstSegment().join());
        HlsRequestException h = (HlsRequestException) e.getCause();
        assertEquals(404, h.status());
        assertTrue(h.getMessage().contains("VP8"), h.getMessage());
    }

    @Test
    void programDateTimeFollowsTheWallClockOfTheSamples() {
        SyntheticMedia src = source(SyntheticMedia.standard());
        long[] wall = {0};
        HlsPackager p = new HlsPackager("live/pdt", HlsOptions.defaults(), scheduler, ByteBufAllocator.DEFAULT, 0,
                () -> wall[0]);
        packagers.add(p);
        p.onTracks(src.tracks());
        for (MediaPacket x : src.until(6_100)) {
            wall[0] = WALL_BASE + x.dts() + 150; // arrives 150 ms after its decode time
            try {
                p.onPacket(x);
            } finally {
                x.release();
            }
        }
        M3u8 m = M3u8.parse(p.mediaPlaylist());
        List<String> pdt = m.all("EXT-X-PROGRAM-DATE-TIME").stream().map(M3u8.Tag::value).toList();
        assertEquals(List.of(instant(WALL_BASE + 150), instant(WALL_BASE + 2_150), instant(WALL_BASE + 4_150)), pdt);
    }

    static String instant(long millis) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(
                java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(millis));
    }

    @Test
    void closeReleasesEverything() {
        SyntheticMedia src = source(SyntheticMedia.standard());
        HlsPackager p = packager(HlsOptions.defaults().withLowLatency(true));
        p.onTracks(src.tracks());
        src.feed(p, 5_100); // a segment in the making with parts and pending samples
        ByteBuf held = p.segment(1).orElseThrow();
        p.closeAsync().join();
        assertTrue(p.isClosed());
        assertTrue(p.segment(1).isEmpty(), "nothing served after close");
        assertTrue(ByteBufUtil.getBytes(held).length > 0, "a response in flight keeps its bytes");
        held.release();
        assertEquals(0, src.media.live(), "every payload released");
        src.feed(p, 6_000); // packets after close are ignored
        assertEquals(0, src.media.live());
    }
}
