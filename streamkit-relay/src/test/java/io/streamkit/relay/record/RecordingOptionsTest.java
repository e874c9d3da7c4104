package io.streamkit.relay.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecordingOptionsTest {

    @Test
    void uriRoundTrip() {
        RecordingOptions o = RecordingOptions.mp4(Path.of("/var/rec")).segment(Duration.ofMinutes(10)).finalizeMp4(
                true).retain(Duration.ofHours(48), 10_000_000_000L);
        assertEquals(o, RecordingOptions.fromUri(o.toUri()));
    }

    @Test
    void badParametersGetSpecificErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordingOptions.fromUri(URI.create(
                "file:///x?segmnt=3"))).getMessage().contains("unknown recording parameter 'segmnt'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordingOptions.fromUri(URI.create(
                "file:///x?segment=ten"))).getMessage().contains("whole numbers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordingOptions.fromUri(URI.create(
                "rtmp://x/y"))).getMessage().contains("file:///directory"));
        assertThrows(IllegalArgumentException.class, () -> RecordingOptions.mp4(Path.of("/x")).segment(Duration
                .ofMillis(10)));
    }

    @Test
    void startTimeComesFromTheFileName() {
        assertEquals("2026-11-22T05:02:18Z", String.valueOf(RecordingSession.startFromName("2026-11-22_05-02-18.mp4")));
        assertEquals("2026-11-22T05:02:18Z", String.valueOf(RecordingSession.startFromName(
                "2026-11-22_05-02-18-2.fmp4")));
        assertEquals("null", String.valueOf(RecordingSession.startFromName("other.mp4")));
    }
}
