package io.streamkit.compositor.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FfmpegInputOptionsTest {

    @Test
    void fileTargetsAreRealtimeNetworkTargetsAreNot() {
        FfmpegInputOptions file = FfmpegInputOptions.parse(URI.create("ffmpeg:/var/media/a.mp4#loop=true"));
        assertEquals("/var/media/a.mp4", file.target());
        assertTrue(file.loop());
        assertTrue(file.realtime());
        FfmpegInputOptions rtsp = FfmpegInputOptions.parse(URI.create(
                "ffmpeg:rtsp://10.0.0.5:554/stream?x=1#rtsp_transport=tcp&realtime=false"));
        assertEquals("rtsp://10.0.0.5:554/stream?x=1", rtsp.target());
        assertFalse(rtsp.realtime());
        assertFalse(rtsp.loop());
        assertEquals(Map.of("rtsp_transport", "tcp"), rtsp.ffmpeg());
        assertEquals("/abs/b.ts", FfmpegInputOptions.parse(URI.create("ffmpeg:///abs/b.ts")).target());
        FfmpegInputOptions lavfi = FfmpegInputOptions.parse(URI.create("ffmpeg:testsrc2#format=lavfi"));
        assertEquals("lavfi", lavfi.format());
        assertFalse(lavfi.realtime());
    }

    @Test
    void badUrisGetPreciseErrors() {
        assertEquals("not an ffmpeg URI: rtmp://h/a", assertThrows(IllegalArgumentException.class,
                () -> FfmpegInputOptions.parse(URI.create("rtmp://h/a"))).getMessage());
        assertEquals("ffmpeg URI option loop must be true or false, got 'yes'", assertThrows(
                IllegalArgumentException.class, () -> FfmpegInputOptions.parse(URI.create("ffmpeg:a.mp4#loop=yes")))
                .getMessage());
        assertEquals("ffmpeg URI option 'loop' is not key=value", assertThrows(IllegalArgumentException.class,
                () -> FfmpegInputOptions.parse(URI.create("ffmpeg:a.mp4#loop"))).getMessage());
    }
}
