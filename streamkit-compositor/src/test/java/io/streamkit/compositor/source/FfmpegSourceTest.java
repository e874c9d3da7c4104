package io.streamkit.compositor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.compositor.audio.SampleRing;
import java.awt.image.BufferedImage;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FfmpegSourceTest {

    private static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + 15_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A one-second lavfi input: CONNECTING, LIVE with frames in real time and audio, then ENDED, then the placeholder. */
    @Test
    void shortInputGoesLiveThenEndsThenShowsThePlaceholder() throws Exception {
        try (FfmpegSource src = FfmpegSource.builder("bars",
                "testsrc2=size=320x240:rate=25:duration=1[out0];sine=frequency=440:sample_rate=44100:duration=1[out1]")
                .format("lavfi").placeholderAfter(Duration.ofMillis(300)).build()) {
            assertEquals(SourceState.CONNECTING, src.state());
            long t0 = System.nanoTime();
            src.start();
            await("first frame", () -> src.state() == SourceState.LIVE);
            BufferedImage first = src.takeFrame();
            assertNotNull(first);
            assertEquals(320, first.getWidth());
            assertEquals(240, first.getHeight());
            await("end", () -> src.state() == SourceState.ENDED);
            long playedMillis = (System.nanoTime() - t0) / 1_000_000;
            // paced to its timestamps: 25 frames take about a second, not a few milliseconds
            assertTrue(playedMillis >= 800, "played in " + playedMillis + " ms");
            SourceStats stats = src.stats();
            assertTrue(stats.framesDecoded() >= 24, stats.toString());
            assertTrue(stats.audioFrames() > 40_000, "about one second of 48 kHz audio: " + stats);
            assertEquals(320, stats.width());
            SampleRing ring = src.audio().orElseThrow();
            assertTrue(ring.end() != Long.MIN_VALUE);
            src.takeFrame(); // the last frame, if not taken yet
            Thread.sleep(350);
            BufferedImage placeholder = src.takeFrame();
            assertNotNull(placeholder, "a placeholder replaces the last frame of an ended source");
            assertNull(src.takeFrame(), "the placeholder is handed over once");
        }
    }

    @Test
    void unopenableInputEndsWithItsError() throws Exception {
        try (FfmpegSource src = FfmpegSource.builder("missing", "/nonexistent/file.mp4").build()) {
            src.start();
            await("ended", () -> src.state() == SourceState.ENDED);
            assertTrue(src.stats().lastError().contains("/nonexistent/file.mp4"), src.stats().lastError());
        }
    }

    @Test
    void closeIsIdempotentAndStopsTheThread() throws Exception {
        FfmpegSource src = FfmpegSource.builder("loop", "testsrc2=size=160x120:rate=30:duration=1").format("lavfi")
                .loop(true).build();
        src.start();
        await("live", () -> src.state() == SourceState.LIVE);
        src.close();
        src.close();
        assertEquals(SourceState.CLOSED, src.state());
    }

    @Test
    void testPatternFlashesWithABeep() throws Exception {
        try (TestPatternSource src = TestPatternSource.builder("sync").size(64, 36).syncFlash(true).build()) {
            src.start();
            await("live", () -> src.state() == SourceState.LIVE);
            BufferedImage f = src.takeFrame();
            assertNotNull(f);
            await("audio", () -> src.stats().audioFrames() > 4800);
        }
    }
}
