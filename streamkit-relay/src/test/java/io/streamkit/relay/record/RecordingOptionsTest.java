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
                "file:///x?segment=ten"))).getMessage().contains("segment must be a whole number, got 'ten'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordingOptions.fromUri(URI.create(
                "rtmp://x/y"))).getMessage().contains("file:///directory"));
        assertThrows(IllegalArgumentException.class, () -> RecordingOptions.mp4(Path.of("/x")).segment(Duration
                .ofMillis(10)));
    }

    @Test
    void mpegTsRoundTripsThroughItsUri() {
        RecordingOptions o = RecordingOptions.mpegTs(Path.of("/var/rec")).segment(Duration.ofMinutes(10)).retain(
                Duration.ofHours(48), 1_000_000);
        assertEquals(RecordingFormat.MPEG_TS, o.format());
        assertTrue(o.toUri().toString().endsWith("&format=ts"), o.toUri().toString());
        assertEquals(o, RecordingOptions.fromUri(o.toUri()));
        assertEquals(RecordingFormat.MPEG_TS, RecordingOptions.fromUri(URI.create("file:///x?format=ts")).format());
        assertEquals(RecordingOptions.mp4(Path.of("/x")), RecordingOptions.fromUri(URI.create("file:///x")));
        assertEquals(RecordingOptions.mp4(Path.of("/x")).finalizeMp4(true).format(RecordingFormat.MPEG_TS),
                RecordingOptions.mpegTs(Path.of("/x")), "switching to TS turns finalization off");
        assertEquals(new RecordingOptions(Path.of("/x"), Duration.ZERO, false, Duration.ZERO, 0), RecordingOptions
                .mp4(Path.of("/x")));
    }

    @Test
    void badFormatValuesGetSpecificErrors() {
        assertEquals("recording parameter format must be mp4 or ts, got 'avi'", assertThrows(
                IllegalArgumentException.class, () -> RecordingOptions.fromUri(URI.create("file:///x?format=avi")))
                .getMessage());
        assertEquals("recording parameter format must be mp4 or ts, got ''", assertThrows(
                IllegalArgumentException.class, () -> RecordingOptions.fromUri(URI.create("file:///x?format=")))
                .getMessage());
        assertEquals("finalize applies to the mp4 format only, not to ts", assertThrows(IllegalArgumentException.class,
                () -> RecordingOptions.fromUri(URI.create("file:///x?format=ts&finalize=true"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RecordingOptions.mpegTs(Path.of("/x")).finalizeMp4(true));
        assertEquals("recording parameter finalize must be true or false, got 'yes'", assertThrows(
                IllegalArgumentException.class, () -> RecordingOptions.fromUri(URI.create("file:///x?finalize=yes")))
                .getMessage());
        assertEquals("recording parameter keepBytes must be >= 0, got -5", assertThrows(IllegalArgumentException.class,
                () -> RecordingOptions.fromUri(URI.create("file:///x?keepBytes=-5"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordingOptions.fromUri(URI.create(
                "file:///x?segment=99999999999999"))).getMessage().contains("at most 36500 days"));
    }

    @Test
    void startTimeComesFromTheFileName() {
        assertEquals("2026-11-22T05:02:18Z", String.valueOf(RecordingSession.startFromName("2026-11-22_05-02-18.mp4")));
        assertEquals("2026-11-22T05:02:18Z", String.valueOf(RecordingSession.startFromName(
                "2026-11-22_05-02-18-2.fmp4")));
        assertEquals("2026-11-22T05:02:18Z", String.valueOf(RecordingSession.startFromName("2026-11-22_05-02-18.ts")));
        assertEquals("null", String.valueOf(RecordingSession.startFromName("other.mp4")));
        assertEquals("null", String.valueOf(RecordingSession.startFromName("2026-11-22_05-02-18.tsx")));
    }
}
