package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.ConnectionState;
import io.streamkit.api.Output;
import io.streamkit.api.OutputConfig;
import io.streamkit.api.ReconnectPolicy;
import io.streamkit.api.StreamKit;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.relay.record.RecordedFile;
import io.streamkit.relay.record.RecordingOptions;
import io.streamkit.relay.rtmp.RtmpServer;
import io.streamkit.relay.srt.SrtServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording through the {@code file} transport, checked by FFmpeg: RTMP and SRT publishes become
 * MP4 or MPEG-TS files with the right codecs, resolution, duration and frame count that decode
 * without error; segments rotate; an unwritable directory fails only the recording.
 */
class RecordingInteropIT {
    private static final Duration T = Duration.ofSeconds(60);
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(500),
            2, 0.1);

    @TempDir
    Path dir;
    private Peers peers;
    private StreamKit kit;
    private int rtmpPort;
    private int srtPort;

    @BeforeEach
    void start() {
        peers = new Peers(dir);
        kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build();
        rtmpPort = RtmpServer.builder(kit).host("127.0.0.1").port(0).build().start().localAddress().getPort();
        srtPort = SrtServer.builder(kit).host("127.0.0.1").port(0).build().start().localAddress().getPort();
    }

    @AfterEach
    void stop() {
        peers.close();
        kit.close();
    }

    private double duration(String probe) {
        Matcher m = Pattern.compile("duration=([0-9.]+)").matcher(probe);
        assertTrue(m.find(), "a duration in " + probe);
        return Double.parseDouble(m.group(1));
    }

    private void assertRecording(Path file, double expected, double tolerance) throws Exception {
        String probe = peers.probe(file);
        assertTrue(probe.contains("codec_name=h264|width=1280|height=720"), "H.264 1280x720 in " + probe);
        assertTrue(probe.contains("codec_name=aac"), "AAC in " + probe);
        double d = duration(probe);
        assertTrue(Math.abs(d - expected) <= tolerance, "duration " + d + " within " + tolerance + " s of " + expected);
        assertEquals("", peers.decodeErrors(file), "FFmpeg decodes every frame of " + file);
    }

    private List<RecordedFile> awaitFinalized(Path root, String path, int count) {
        RecordingSink.await(T, () -> {
            List<RecordedFile> files = RecordedFile.list(root, path);
            return files.size() >= count && files.stream().allMatch(f -> f.path().toString().endsWith(".mp4"));
        }, count + " finalized recording(s) of " + path + " in " + root);
        return RecordedFile.list(root, path);
    }

    @Test
    void rtmpPublishIsRecordedToMp4() throws Exception {
        Path root = dir.resolve("rec");
        kit.stream("live/rec").addOutput(OutputConfig.of(RecordingOptions.mp4(root).finalizeMp4(true).toUri()));
        Process publisher = peers.publish("publisher", 10, "rtmp://127.0.0.1:" + rtmpPort + "/live/rec");
        assertEquals(0, Peers.await(publisher, T), () -> "publisher failed");
        List<RecordedFile> files = awaitFinalized(root, "live/rec", 1);
        assertEquals(1, files.size(), "one file per session: " + files);
        assertRecording(files.get(0).path(), 10.0, 2.0); // within one GOP (2 s)
    }

    @Test
    void rtmpPublishIsRecordedToMpegTs() throws Exception {
        Path root = dir.resolve("rec");
        kit.stream("live/tsrec").addOutput(OutputConfig.of(RecordingOptions.mpegTs(root).toUri()));
        Process publisher = peers.publish("publisher", 10, "rtmp://127.0.0.1:" + rtmpPort + "/live/tsrec");
        assertEquals(0, Peers.await(publisher, T), () -> "publisher failed");
        // the last GOP is written when the recording sees the publisher leave
        long[] last = {-1, System.nanoTime()};
        RecordingSink.await(T, () -> {
            List<RecordedFile> files = RecordedFile.list(root, "live/tsrec");
            long size = files.isEmpty() ? -1 : files.get(0).size();
            if (size != last[0]) {
                last[0] = size;
                last[1] = System.nanoTime();
            }
            return size > 0 && System.nanoTime() - last[1] > 3_000_000_000L;
        }, "the MPEG-TS recording to stop growing");
        List<RecordedFile> files = RecordedFile.list(root, "live/tsrec");
        assertEquals(1, files.size(), "one file per session: " + files);
        RecordedFile f = files.get(0);
        assertTrue(f.path().getFileName().toString().matches("\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d\\.ts"), f
                .toString());
        assertEquals(0, f.size() % 188, "whole TS packets");
        assertTrue(Math.abs(f.duration().toMillis() / 1000.0 - 10.0) <= 3.0, "listed duration " + f.duration());
        assertRecording(f.path(), 10.0, 2.0); // within one GOP (2 s)
        String frames = peers.run("count-frames", T, List.of(Peers.require("ffprobe"), "-v", "error",
                "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of",
                "default=nokey=1:noprint_wrappers=1", f.path().toString())).strip().split("\\s+")[0]; // a TS lists its stream twice (also in its program)
        assertTrue(Math.abs(Integer.parseInt(frames) - 300) <= 60, frames + " frames of the 300 published (10 s at "
                + "30 fps), within one GOP");
    }

    @Test
    void srtPublishIsRecordedInSegments() throws Exception {
        Path root = dir.resolve("rec");
        kit.stream("live/srtrec").addOutput(OutputConfig.of(RecordingOptions.mp4(root).segment(Duration.ofSeconds(4))
                .finalizeMp4(true).toUri()));
        Process publisher = peers.start("publisher", List.of(Peers.require("ffmpeg"), "-hide_banner", "-loglevel",
                "warning", "-re", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=48000", "-t", "12", "-c:v", "libx264", "-preset", "veryfast", "-b:v",
                "2M", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts", "srt://127.0.0.1:" + srtPort
                        + "?mode=caller&pkt_size=1316&latency=200000&streamid=publish:live/srtrec"));
        assertEquals(0, Peers.await(publisher, T), () -> "publisher failed");
        List<RecordedFile> files = awaitFinalized(root, "live/srtrec", 3);
        double total = 0;
        for (RecordedFile f : files) {
            String probe = peers.probe(f.path());
            assertTrue(probe.contains("codec_name=h264|width=1280|height=720"), f + ": " + probe);
            assertEquals("", peers.decodeErrors(f.path()), "FFmpeg decodes every frame of " + f);
            total += duration(probe);
        }
        assertTrue(Math.abs(total - 12.0) <= 2.0, "segments add up to the published 12 s: " + total + " in "
                + files);
    }

    @Test
    void unwritableDirectoryFailsOnlyTheRecording() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-directory"), "x");
        Output rec = kit.stream("live/both").addOutput(OutputConfig.of(RecordingOptions.mp4(blocker.resolve("sub"))
                .toUri()).withReconnect(FAST));
        Path played = dir.resolve("played.flv");
        Process player = peers.record("player", "rtmp://127.0.0.1:" + rtmpPort + "/live/both", played);
        RecordingSink.await(T, () -> kit.findStream("live/both").isPresent(), "the stream");
        Process publisher = peers.publish("publisher", 6, "rtmp://127.0.0.1:" + rtmpPort + "/live/both");
        RecordingSink.await(T, () -> rec.state() == ConnectionState.RETRYING, "the recording to fail");
        assertNotNull(rec.stats().lastError(), "the recording says why");
        assertTrue(rec.stats().lastError().contains("not-a-directory"), rec.stats().lastError());
        assertEquals(0, Peers.await(publisher, T));
        assertEquals(0, Peers.await(player, T));
        assertTrue(peers.probe(played).contains("codec_name=h264"), "the player was untouched");
    }
}
