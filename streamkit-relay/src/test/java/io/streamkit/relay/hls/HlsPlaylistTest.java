package io.streamkit.relay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The text of the playlists, line by line: every tag, its attributes and its place (RFC 8216
 * section 4, draft-pantos-hls-rfc8216bis section 4.4 for the low-latency tags).
 */
class HlsPlaylistTest {
    private ScheduledExecutorService scheduler;
    private SyntheticMedia src;
    private HlsPackager p;

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hls-test");
            t.setDaemon(true);
            return t;
        });
        src = SyntheticMedia.standard();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (p != null) {
            p.closeAsync().get(5, TimeUnit.SECONDS);
        }
        scheduler.shutdownNow();
        assertEquals(0, src.media.live(), "every payload released");
    }

    private HlsPackager run(HlsOptions options, long untilMs) {
        p = new HlsPackager("live/pl", options, scheduler, ByteBufAllocator.DEFAULT, 0,
                () -> HlsPackagerTest.WALL_BASE);
        p.onTracks(src.tracks());
        src.feed(p, untilMs);
        return p;
    }

    /** The header tags every live media playlist starts with, in order. */
    private static void assertHeader(M3u8 m, int version, int targetDuration, long mediaSequence) {
        assertEquals(String.valueOf(version), m.tags.get(0).value());
        assertEquals("EXT-X-VERSION", m.tags.get(0).name());
        assertEquals(targetDuration, m.number("EXT-X-TARGETDURATION"));
        assertEquals(mediaSequence, m.number("EXT-X-MEDIA-SEQUENCE"));
        assertTrue(m.has("EXT-X-INDEPENDENT-SEGMENTS"));
        for (M3u8.Segment s : m.segments) {
            assertTrue(Math.round(s.duration()) <= targetDuration, "EXTINF within the target duration");
            assertEquals(1, s.tags("EXT-X-PROGRAM-DATE-TIME").size(), "a date on every segment");
        }
    }

    @Test
    void fmp4MediaPlaylist() {
        run(HlsOptions.defaults(), 6_100);
        String text = p.mediaPlaylist();
        M3u8 m = M3u8.parse(text);
        assertHeader(m, 6, 2, 0);
        assertEquals(List.of("seg0.m4s", "seg1.m4s", "seg2.m4s"), m.uris);
        assertEquals("init.mp4", m.one("EXT-X-MAP").attribute("URI"));
        assertTrue(m.segments.get(0).has("EXT-X-MAP"), "the map precedes the first segment");
        for (String absent : List.of("EXT-X-SERVER-CONTROL", "EXT-X-PART-INF", "EXT-X-PART", "EXT-X-PRELOAD-HINT",
                "EXT-X-ENDLIST", "EXT-X-DISCONTINUITY", "EXT-X-DISCONTINUITY-SEQUENCE")) {
            assertFalse(m.has(absent), absent + " in\n" + text);
        }
        List<String> dates = m.all("EXT-X-PROGRAM-DATE-TIME").stream().map(M3u8.Tag::value).toList();
        Instant first = Instant.parse(dates.get(0));
        for (int i = 0; i < dates.size(); i++) {
            assertEquals(first.plusMillis(2_000L * i), Instant.parse(dates.get(i)), "dates advance with the segments");
        }
        // the text is stable until something changes
        assertTrue(text == p.mediaPlaylist(), "cached");
    }

    @Test
    void mpegTsMediaPlaylist() {
        run(HlsOptions.defaults().withFormat(HlsFormat.MPEG_TS), 4_100);
        M3u8 m = M3u8.parse(p.mediaPlaylist());
        assertHeader(m, 3, 2, 0);
        assertEquals(List.of("seg0.ts", "seg1.ts"), m.uris);
        assertFalse(m.has("EXT-X-MAP"), "no initialization segment in MPEG-TS");
    }

    @Test
    void lowLatencyMediaPlaylist() {
        HlsOptions o = HlsOptions.defaults().withLowLatency(true);
        run(o, 8_450);
        String text = p.mediaPlaylist();
        M3u8 m = M3u8.parse(text);
        assertHeader(m, 6, 2, 0);
        Map<String, String> control = m.one("EXT-X-SERVER-CONTROL").attributes();
        assertEquals("YES", control.get("CAN-BLOCK-RELOAD"));
        double partTarget = Double.parseDouble(m.one("EXT-X-PART-INF").attribute("PART-TARGET"));
        assertEquals(0.3, partTarget, 1e-9);
        assertTrue(Double.parseDouble(control.get("PART-HOLD-BACK")) >= 3 * partTarget - 1e-9, "PART-HOLD-BACK >= 3x");
        assertEquals(2, control.size(), "no other server control: " + control);

        // parts of the recent segments, then of the segment in the making, then the hint
        assertFalse(m.segments.get(0).has("EXT-X-PART"), "old segments lose their parts (3 target durations)");
        assertTrue(m.segments.get(m.segments.size() - 1).has("EXT-X-PART"), "the last segment lists its parts");
        for (M3u8.Tag part : m.all("EXT-X-PART")) {
            Map<String, String> a = part.attributes();
            assertTrue(a.get("URI").matches("part\\d+\\.\\d+\\.m4s"), a.toString());
            assertTrue(Double.parseDouble(a.get("DURATION")) <= partTarget, a.toString());
            assertTrue(a.keySet().stream().allMatch(k -> List.of("DURATION", "URI", "INDEPENDENT").contains(k)), a
                    .toString());
        }
        List<M3u8.Tag> trailing = m.trailing;
        assertEquals("EXT-X-PROGRAM-DATE-TIME", trailing.get(0).name(), "the segment in the making: its date");
        List<M3u8.Tag> currentParts = trailing.stream().filter(t -> t.name().equals("EXT-X-PART")).toList();
        assertEquals("part4.0.m4s", currentParts.get(0).attribute("URI"));
        assertEquals("YES", currentParts.get(0).attribute("INDEPENDENT"));
        M3u8.Tag hint = trailing.get(trailing.size() - 1);
        assertEquals("EXT-X-PRELOAD-HINT", hint.name(), "the hint comes last");
        assertEquals("PART", hint.attribute("TYPE"));
        assertEquals("part4." + currentParts.size() + ".m4s", hint.attribute("URI"));
    }

    @Test
    void endedPlaylist() {
        run(HlsOptions.defaults().withLowLatency(true), 4_500);
        p.onUnpublished();
        M3u8 m = M3u8.parse(p.mediaPlaylist());
        assertEquals("EXT-X-ENDLIST", m.tags.get(m.tags.size() - 1).name(), "ENDLIST last");
        assertFalse(m.has("EXT-X-PRELOAD-HINT"), "nothing more to hint");
        assertTrue(m.trailing.stream().noneMatch(t -> t.name().equals("EXT-X-PART")), "no part after the last URI");
    }

    @Test
    void multivariantPlaylist() {
        run(HlsOptions.defaults(), 6_100);
        M3u8 m = M3u8.parse(p.multivariantPlaylist());
        assertEquals(List.of("stream.m3u8"), m.uris);
        assertEquals("6", m.one("EXT-X-VERSION").value());
        assertTrue(m.has("EXT-X-INDEPENDENT-SEGMENTS"));
        Map<String, String> inf = m.one("EXT-X-STREAM-INF").attributes();
        assertEquals("avc1.64001e,mp4a.40.2", inf.get("CODECS"));
        assertEquals("640x360", inf.get("RESOLUTION"));
        assertEquals("30.000", inf.get("FRAME-RATE"));
        long peak = 0;
        long total = 0;
        for (long msn = 0; msn < 3; msn++) {
            ByteBuf b = p.segment(msn).orElseThrow();
            try {
                peak = Math.max(peak, b.readableBytes() * 8L / 2);
                total += b.readableBytes();
            } finally {
                b.release();
            }
        }
        assertEquals(peak, Long.parseLong(inf.get("BANDWIDTH")), "the peak segment bit rate");
        assertEquals(total * 8 / 6, Long.parseLong(inf.get("AVERAGE-BANDWIDTH")), 1.0, "the average bit rate");
        assertEquals(peak, p.stats().bandwidth());
    }

    @Test
    void secondsAreWrittenWithThreeDecimals() {
        assertEquals("2.000", HlsPlaylistWriter.seconds(2_000_000_000L));
        assertEquals("0.300", HlsPlaylistWriter.seconds(300_000_000L));
        assertEquals("1.001", HlsPlaylistWriter.seconds(1_000_600_000L));
        assertEquals("0.021", HlsPlaylistWriter.seconds(21_333_333L));
        assertEquals("12.345", HlsPlaylistWriter.seconds(12_345_000_000L));
    }
}
