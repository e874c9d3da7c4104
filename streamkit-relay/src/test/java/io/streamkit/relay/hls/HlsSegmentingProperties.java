package io.streamkit.relay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Segmenting invariants over random frame rates, GOPs, targets and part durations, against an
 * independent model of the cutting rule: segments start at the first keyframe at or after the
 * target, every segment starts with a sync sample, parts never exceed the part target and add up
 * to their segment, and nothing leaks.
 */
class HlsSegmentingProperties {

    @Property(tries = 60)
    void segmentsAndPartsFollowTheRules(@ForAll @IntRange(min = 10, max = 60) int fps,
            @ForAll @IntRange(min = 1, max = 90) int gopFrames, @ForAll @IntRange(min = 300, max = 4000) int targetMs,
            @ForAll @IntRange(min = 100, max = 600) int partMs, @ForAll boolean audio, @ForAll boolean lowLatency) {
        Assume.that(!lowLatency || partMs < targetMs);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        SyntheticMedia src = new SyntheticMedia(fps, gopFrames, true, audio, 0);
        HlsOptions options = HlsOptions.defaults().withSegmentDuration(Duration.ofMillis(targetMs)).withWindowSize(1000)
                .withPartDuration(Duration.ofMillis(partMs)).withLowLatency(lowLatency);
        HlsPackager p = new HlsPackager("live/prop", options, scheduler, ByteBufAllocator.DEFAULT, 0, () -> 0L);
        try {
            p.onTracks(src.tracks());
            long end = 20_000;
            src.feed(p, end);
            // the model: keyframes every gopFrames frames, cut at the first one at or after the target
            List<Long> expected = new ArrayList<>();
            long start = 0;
            for (long k = 1;; k++) {
                long key = Math.round(k * gopFrames * 1000.0 / fps);
                if (key >= end) {
                    break;
                }
                if (key - start >= targetMs - 1) {
                    expected.add(key - start);
                    start = key;
                }
            }
            M3u8 m = M3u8.parse(p.mediaPlaylist());
            List<Long> got = m.segments.stream().map(s -> Math.round(s.duration() * 1000)).toList();
            assertEquals(expected, got, "segment durations in ms");
            assertTrue(m.number("EXT-X-TARGETDURATION") * 1000 >= got.stream().mapToLong(Long::longValue).max()
                    .orElse(0), "the target duration covers every segment");
            for (long msn = 0; msn < got.size(); msn++) {
                byte[] seg = HlsPackagerTest.take(p.segment(msn));
                assertTrue(HlsPackagerTest.firstSample(seg, 1).sync(), "segment " + msn + " starts with a keyframe");
            }
            if (lowLatency) {
                for (M3u8.Segment s : m.segments) {
                    List<M3u8.Tag> parts = s.tags("EXT-X-PART");
                    double sum = 0;
                    for (M3u8.Tag t : parts) {
                        double d = Double.parseDouble(t.attribute("DURATION"));
                        assertTrue(d * 1000 <= partMs + 1.5, "part " + t + " within " + partMs + " ms");
                        sum += d;
                    }
                    if (!parts.isEmpty()) {
                        assertEquals(s.duration(), sum, 0.0005 * parts.size() + 0.001, "parts add up: " + s);
                        assertEquals("YES", parts.get(0).attribute("INDEPENDENT"));
                    }
                }
            }
        } finally {
            p.close();
            scheduler.shutdownNow();
        }
        assertEquals(0, src.media.live(), "every payload released");
    }
}
