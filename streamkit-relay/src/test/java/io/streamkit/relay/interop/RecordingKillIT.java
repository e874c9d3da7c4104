package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.relay.record.RecordedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay process killed with SIGKILL in the middle of a recording leaves a file FFmpeg reads and
 * decodes without error, holding all but at most the last GOP (one MP4 fragment, or the GOP a TS
 * recording had not yet written). The relay runs in a child JVM ({@link RecordingChild}, the test
 * class path) so that it can be killed; FFmpeg publishes over RTMP and is still publishing when the
 * relay dies.
 */
class RecordingKillIT {
    private static final Duration T = Duration.ofSeconds(60);
    /** The publisher's GOP: 60 frames at 30 fps. */
    private static final double GOP_SECONDS = 2.0;
    /** Media in flight between FFmpeg's muxer and the recorder's buffer, and rounding. */
    private static final double SLACK_SECONDS = 1.0;
    private static final double KILL_AFTER_SECONDS = 6.0;

    @TempDir
    Path dir;
    private Peers peers;

    @BeforeEach
    void start() {
        peers = new Peers(dir);
    }

    @AfterEach
    void stop() {
        peers.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mp4", "ts"})
    void aKilledRelayLeavesAPlayableRecording(String format) throws Exception {
        Path root = dir.resolve("rec-" + format);
        Path portFile = dir.resolve("port-" + format);
        Process relay = peers.start("relay-" + format, List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), RecordingChild.class.getName(),
                root
                        .toString(),
                format, portFile.toString()));
        RecordingSink.await(T, () -> Files.exists(portFile) || !relay.isAlive(), "the relay's port file");
        assertTrue(relay.isAlive(), () -> "the relay exited: " + log("relay-" + format));
        int port = Integer.parseInt(Files.readString(portFile).strip());

        Path progress = dir.resolve("progress-" + format + ".txt");
        Process publisher = peers.start("publisher-" + format, List.of(Peers.require("ffmpeg"), "-hide_banner",
                "-loglevel", "warning", "-progress", progress.toString(), "-stats_period", "0.25", "-re", "-f",
                "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=48000", "-t", "60", "-c:v", "libx264", "-preset", "veryfast",
                "-tune", "zerolatency", "-b:v", "2M", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a",
                "128k", "-f", "flv", "rtmp://127.0.0.1:" + port + "/live/killed"));
        RecordingSink.await(T, () -> publishedSeconds(progress) >= KILL_AFTER_SECONDS || !publisher.isAlive(),
                "the publisher to send " + KILL_AFTER_SECONDS + " s");
        assertTrue(publisher.isAlive(), () -> "the publisher exited: " + log("publisher-" + format));
        double published = publishedSeconds(progress);
        relay.destroyForcibly();
        assertTrue(relay.waitFor(10, TimeUnit.SECONDS), "the relay died");
        assertEquals(137, relay.exitValue(), "killed by SIGKILL");
        assertTrue(publisher.waitFor(20, TimeUnit.SECONDS) || publisher.destroyForcibly().waitFor(10,
                TimeUnit.SECONDS), "the publisher stopped");

        List<RecordedFile> files = RecordedFile.list(root, "live/killed");
        assertEquals(1, files.size(), "one growing file: " + files);
        Path file = files.get(0).path();
        assertTrue(file.getFileName().toString().endsWith("." + format), file.toString());
        String probe = peers.probe(file);
        assertTrue(probe.contains("codec_name=h264|width=1280|height=720"), "H.264 1280x720 in " + probe);
        assertTrue(probe.contains("codec_name=aac"), "AAC in " + probe);
        assertEquals("", peers.decodeErrors(file), "FFmpeg decodes every frame of " + file);
        double frames = videoFrames(file);
        double recorded = frames / 30.0;
        double least = published - GOP_SECONDS - SLACK_SECONDS;
        assertTrue(recorded >= least && recorded <= published + SLACK_SECONDS, "recorded " + recorded + " s ("
                + frames + " frames) of the " + published + " s published before the kill; at least " + least
                + " s expected");
        Matcher m = Pattern.compile("duration=([0-9.]+)").matcher(probe);
        assertTrue(m.find(), "a duration in " + probe);
        double duration = Double.parseDouble(m.group(1));
        assertTrue(duration >= least, "duration " + duration + " s, at least " + least + " s expected");
    }

    /** @return the media time FFmpeg's muxer had written, from its progress file (0 before the first report) */
    private static double publishedSeconds(Path progress) {
        try {
            if (!Files.exists(progress)) {
                return 0;
            }
            Matcher m = Pattern.compile("out_time_us=(\\d+)").matcher(Files.readString(progress));
            long last = 0;
            while (m.find()) {
                last = Long.parseLong(m.group(1));
            }
            return last / 1e6;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private double videoFrames(Path file) throws Exception {
        String out = peers.run("count-" + file.getFileName(), T, List.of(Peers.require("ffprobe"), "-v", "error",
                "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of",
                "default=nokey=1:noprint_wrappers=1", file.toString()));
        return Double.parseDouble(out.strip().split("\\s+")[0]); // a TS lists its stream twice
    }

    private String log(String name) {
        try {
            return peers.log(name);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
