package io.streamkit.relay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blocking playlist reload and preload hints (draft-pantos-hls-rfc8216bis 6.2.5.2 and 6.2.6):
 * futures complete when the asked segment or part appears, fail with 400 when it is too far
 * ahead and with 503 after three target durations.
 */
class HlsBlockingReloadTest {
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

    private HlsPackager start(HlsOptions options) {
        p = new HlsPackager("live/block", options, scheduler, ByteBufAllocator.DEFAULT, 0, System::currentTimeMillis);
        p.onTracks(src.tracks());
        return p;
    }

    private static boolean release(io.netty.buffer.ByteBuf b) {
        b.release();
        return true;
    }

    private static int status(CompletableFuture<?> f) throws InterruptedException {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        return ((HlsRequestException) e.getCause()).status();
    }

    @Test
    void reloadWaitsForTheAskedSegment() throws Exception {
        start(HlsOptions.defaults().withLowLatency(true));
        src.feed(p, 4_100); // seg0, seg1 complete
        CompletableFuture<String> now = p.mediaPlaylist(1, -1);
        assertTrue(now.isDone(), "segment 1 is there: answered at once");
        CompletableFuture<String> next = p.mediaPlaylist(2, -1);
        assertFalse(next.isDone(), "segment 2 is in the making");
        src.feed(p, 5_900);
        assertFalse(next.isDone(), "still in the making");
        src.feed(p, 6_100);
        String text = next.get(1, TimeUnit.SECONDS);
        assertTrue(M3u8.parse(text).uris.contains("seg2.m4s"), text);
    }

    @Test
    void reloadWaitsForTheAskedPart() throws Exception {
        start(HlsOptions.defaults().withLowLatency(true));
        src.feed(p, 2_350); // segment 1 has its first part (2.0 - 2.3)
        M3u8 m = M3u8.parse(p.mediaPlaylist());
        M3u8.Tag hint = m.one("EXT-X-PRELOAD-HINT");
        assertEquals("PART", hint.attribute("TYPE"));
        assertEquals("part1.1.m4s", hint.attribute("URI"));
        CompletableFuture<String> f = p.mediaPlaylist(1, 1);
        CompletableFuture<Void> part = p.awaitPart(1, 1);
        assertFalse(f.isDone());
        assertFalse(part.isDone(), "the hinted part is not complete");
        src.feed(p, 2_700);
        String text = f.get(1, TimeUnit.SECONDS);
        assertTrue(text.contains("URI=\"part1.1.m4s\""), text);
        part.get(1, TimeUnit.SECONDS);
        assertTrue(p.part(1, 1).map(HlsBlockingReloadTest::release).orElse(false), "the part is served");
        assertEquals("part1.2.m4s", M3u8.parse(p.mediaPlaylist()).one("EXT-X-PRELOAD-HINT").attribute("URI"));
    }

    @Test
    void requestsTooFarAheadAreBadRequests() throws Exception {
        start(HlsOptions.defaults().withLowLatency(true));
        src.feed(p, 4_100); // last complete segment: 1
        assertFalse(p.mediaPlaylist(3, -1).isDone(), "two segments ahead: waits");
        assertEquals(400, status(p.mediaPlaylist(4, -1)), "three segments ahead");
        assertEquals(400, status(p.mediaPlaylist(2, 40)), "far beyond the advance part limit");
        assertEquals(404, status(p.awaitPart(2, 5)), "only the next part may be awaited");
        assertEquals(404, status(p.awaitPart(0, 99)), "a part that does not exist");
        assertEquals(404, status(p.awaitSegment(7)), "a segment far ahead");
    }

    @Test
    void reloadTimesOutAfterThreeTargetDurations() throws Exception {
        start(HlsOptions.defaults().withLowLatency(true).withSegmentDuration(Duration.ofMillis(400)).withPartDuration(
                Duration.ofMillis(100)));
        src.feed(p, 2_100); // the stream stalls after segment 0; target duration 2 s
        long t0 = System.nanoTime();
        assertEquals(503, status(p.mediaPlaylist(1, -1)));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(waited >= 5_500 && waited < 15_000, "about 3 x 2 s: " + waited + " ms");
    }

    @Test
    void reloadForTheLastPartOfASegmentListsTheSegmentComplete() throws Exception {
        start(HlsOptions.defaults().withLowLatency(true));
        src.feed(p, 3_950);
        String uri = M3u8.parse(p.mediaPlaylist()).one("EXT-X-PRELOAD-HINT").attribute("URI");
        java.util.regex.Matcher hint = java.util.regex.Pattern.compile("part1\\.(\\d+)\\.m4s").matcher(uri);
        assertTrue(hint.matches(), uri);
        int index = Integer.parseInt(hint.group(1));
        CompletableFuture<String> reload = p.mediaPlaylist(1, index);
        assertFalse(reload.isDone());
        src.feed(p, 4_100); // the keyframe at 4 s ends segment 1 with the hinted part
        String text = reload.get(1, TimeUnit.SECONDS);
        // the answer is one consistent state: segment 1 complete, the hint on the next segment (a
        // playlist with segment 1 still open would hint part1.(index+1), which never comes, and a
        // player's next blocking reload would wait for a whole part more)
        M3u8 m = M3u8.parse(text);
        assertTrue(m.uris.contains("seg1.m4s"), "segment 1 is listed complete:\n" + text);
        assertEquals("part2.0.m4s", m.one("EXT-X-PRELOAD-HINT").attribute("URI"), text);
        assertEquals(index + 1, m.segments.get(1).tags("EXT-X-PART").size(), text);
    }

    @Test
    void hintedPartEndsTheSegmentWhenAKeyframeComes() throws Exception {
        start(HlsOptions.defaults().withLowLatency(true));
        src.feed(p, 3_950);
        M3u8 m = M3u8.parse(p.mediaPlaylist());
        String uri = m.one("EXT-X-PRELOAD-HINT").attribute("URI");
        java.util.regex.Matcher hint = java.util.regex.Pattern.compile("part1\\.(\\d+)\\.m4s").matcher(uri);
        assertTrue(hint.matches(), uri);
        int index = Integer.parseInt(hint.group(1));
        CompletableFuture<Void> f = p.awaitPart(1, index);
        assertFalse(f.isDone());
        src.feed(p, 4_100); // the keyframe at 4 s ends segment 1: the pending samples become its last part
        f.get(1, TimeUnit.SECONDS);
        M3u8 after = M3u8.parse(p.mediaPlaylist());
        assertEquals("part2.0.m4s", after.one("EXT-X-PRELOAD-HINT").attribute("URI"));
        assertEquals(index + 1, after.segments.get(1).tags("EXT-X-PART").size(), "segment 1 ends with that part");
        assertEquals(404, status(p.awaitPart(1, index + 1)), "segment 1 is complete: no further part");
    }

    @Test
    void segmentInTheMakingCanBeAwaited() throws Exception {
        start(HlsOptions.defaults());
        src.feed(p, 2_500);
        CompletableFuture<Void> f = p.awaitSegment(1);
        assertFalse(f.isDone());
        src.feed(p, 4_100);
        f.get(1, TimeUnit.SECONDS);
        assertTrue(p.segment(1).map(HlsBlockingReloadTest::release).orElse(false));
    }

    @Test
    void withoutLowLatencyDirectivesAreIgnored() throws Exception {
        start(HlsOptions.defaults());
        src.feed(p, 2_100);
        assertTrue(p.mediaPlaylist(50, 3).isDone(), "answered at once");
        assertFalse(p.mediaPlaylist(50, 3).get().contains("EXT-X-PART"));
    }

    @Test
    void endedStreamAnswersWaitingRequests() throws Exception {
        start(HlsOptions.defaults().withLowLatency(true));
        src.feed(p, 2_500);
        CompletableFuture<String> f = p.mediaPlaylist(2, -1);
        CompletableFuture<Void> part = p.awaitPart(2, 0);
        p.onUnpublished();
        assertTrue(f.get(1, TimeUnit.SECONDS).contains("#EXT-X-ENDLIST"), "the waiting player sees the end");
        assertEquals(404, status(part));
    }

    @Test
    void firstSegmentIsAwaited() throws Exception {
        start(HlsOptions.defaults().withStartTimeout(Duration.ofSeconds(1)));
        CompletableFuture<Void> f = p.firstSegment();
        src.feed(p, 1_000);
        assertFalse(f.isDone());
        src.feed(p, 2_100);
        f.get(1, TimeUnit.SECONDS);
        HlsPackager late = new HlsPackager("live/none", HlsOptions.defaults().withStartTimeout(Duration.ofSeconds(1)),
                scheduler, ByteBufAllocator.DEFAULT, 0, System::currentTimeMillis);
        try {
            assertEquals(503, status(late.firstSegment()), "no segment within the start timeout");
        } finally {
            late.close();
        }
    }
}
