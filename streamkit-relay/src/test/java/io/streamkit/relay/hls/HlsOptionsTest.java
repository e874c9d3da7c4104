package io.streamkit.relay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Defaults, withers and the messages of invalid options. */
class HlsOptionsTest {
    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void defaults() {
        HlsOptions o = HlsOptions.defaults();
        assertEquals(HlsFormat.FMP4, o.format());
        assertEquals(Duration.ofSeconds(2), o.segmentDuration());
        assertEquals(7, o.windowSize());
        assertEquals(3, o.extraSegments());
        assertFalse(o.lowLatency());
        assertEquals(Duration.ofMillis(300), o.partDuration());
        assertEquals(Duration.ofSeconds(30), o.idleTimeout());
        assertFalse(o.alwaysOn());
        assertEquals(Duration.ofSeconds(10), o.startTimeout());
    }

    @Test
    void withersDeriveCopies() {
        HlsOptions base = HlsOptions.defaults();
        HlsOptions o = base.withFormat(HlsFormat.MPEG_TS).withSegmentDuration(Duration.ofSeconds(4)).withWindowSize(5)
                .withExtraSegments(0).withIdleTimeout(Duration.ofSeconds(5)).withAlwaysOn(true).withStartTimeout(
                        Duration.ofSeconds(3));
        assertEquals(new HlsOptions(HlsFormat.MPEG_TS, Duration.ofSeconds(4), 5, 0, false, Duration.ofMillis(300),
                Duration.ofSeconds(5), true, Duration.ofSeconds(3)), o);
        assertEquals(HlsOptions.defaults(), base, "the original is unchanged");
        HlsOptions ll = base.withLowLatency(true).withPartDuration(Duration.ofMillis(250));
        assertTrue(ll.lowLatency());
        assertEquals(Duration.ofMillis(250), ll.partDuration());
    }

    @Test
    void invalidOptionsSayWhy() {
        HlsOptions d = HlsOptions.defaults();
        assertEquals("segmentDuration must be between 100 ms and 60 s, was 50 ms", message(() -> d.withSegmentDuration(
                Duration.ofMillis(50))));
        assertEquals("segmentDuration must be between 100 ms and 60 s, was 61000 ms", message(() -> d
                .withSegmentDuration(Duration.ofSeconds(61))));
        assertEquals("windowSize must be between 3 and 1000 segments, was 2", message(() -> d.withWindowSize(2)));
        assertEquals("extraSegments must be between 0 and 1000, was -1", message(() -> d.withExtraSegments(-1)));
        assertEquals("partDuration must be between 100 ms and 5 s, was 99 ms", message(() -> d.withPartDuration(
                Duration.ofMillis(99))));
        assertEquals("partDuration (2000 ms) must be shorter than segmentDuration (2000 ms)", message(() -> d
                .withLowLatency(true).withPartDuration(Duration.ofSeconds(2))));
        assertEquals("lowLatency needs format FMP4 (partial segments are fMP4 fragments), was MPEG_TS", message(
                () -> d.withFormat(HlsFormat.MPEG_TS).withLowLatency(true)));
        assertEquals("idleTimeout must be at least 1 s, was 500 ms", message(() -> d.withIdleTimeout(Duration.ofMillis(
                500))));
        assertEquals("startTimeout must be at least 1 s, was 0 ms", message(() -> d.withStartTimeout(Duration.ZERO)));
        assertThrows(NullPointerException.class, () -> d.withFormat(null));
    }
}
