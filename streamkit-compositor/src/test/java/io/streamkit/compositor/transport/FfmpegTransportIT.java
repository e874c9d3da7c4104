package io.streamkit.compositor.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.streamkit.api.Input;
import io.streamkit.api.InputConfig;
import io.streamkit.api.StreamKit;
import io.streamkit.relay.Relay;
import io.streamkit.relay.rtmp.RtmpServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ffmpeg:} input against Debian's FFmpeg: an MPEG-TS file (Annex B H.264, ADTS AAC)
 * and an MP4 file (avcC, raw AAC) pulled into streams, served by StreamKit's RTMP server and
 * read back by FFmpeg, which must find H.264 at the source's size and AAC and decode cleanly; a
 * target that does not exist fails the input with FFmpeg's reason.
 */
@Timeout(120)
class FfmpegTransportIT {

    @TempDir
    static Path dir;
    private static Path ts;
    private static Path mp4;

    @BeforeAll
    static void files() throws Exception {
        try {
            run(20, "ffmpeg", "-version");
        } catch (Exception e) {
            fail("ffmpeg is missing; install it with: apt-get install -y ffmpeg", e);
        }
        ts = dir.resolve("in.ts");
        mp4 = dir.resolve("in.mp4");
        for (Path p : new Path[]{ts, mp4}) {
            run(60, "ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=480x270:r=25:d=6", "-f", "lavfi",
                    "-i", "sine=f=440:r=44100:d=6", "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-pix_fmt",
                    "yuv420p", "-c:a", "aac", "-b:a", "96k", p.toString());
        }
    }

    @Test
    void mpegTsFileIsRelayedOverRtmp() throws Exception {
        relayAndReadBack(ts, "in/ts");
    }

    @Test
    void mp4FileIsRelayedOverRtmp() throws Exception {
        relayAndReadBack(mp4, "in/mp4");
    }

    @Test
    void missingTargetFailsWithFfmpegsReason() throws Exception {
        try (StreamKit kit = StreamKit.builder().build()) {
            Input in = kit.stream("in/missing").addInput(InputConfig.of(URI.create("ffmpeg:" + dir.resolve(
                    "nothing.mp4"))));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String error = null;
            while (System.nanoTime() < end && error == null) {
                Thread.sleep(100);
                error = in.stats().lastError();
            }
            assertTrue(error != null && error.contains("cannot open") && error.contains("No such file"), String
                    .valueOf(error));
        }
    }

    private static void relayAndReadBack(Path file, String path) throws Exception {
        Path out = dir.resolve(path.replace('/', '-') + ".flv");
        try (StreamKit kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build()) {
            RtmpServer rtmp = Relay.on(kit).rtmp(b -> b.host("127.0.0.1").port(0));
            kit.stream(path).addInput(InputConfig.of(URI.create("ffmpeg:" + file + "#loop=true")));
            Thread.sleep(500);
            run(60, "ffmpeg", "-y", "-v", "error", "-i", "rtmp://127.0.0.1:" + rtmp.localAddress().getPort() + "/"
                    + path, "-t", "8", "-c", "copy", out.toString());
        }
        String v = run(30, "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height", "-of", "csv=p=0", out.toString()).trim();
        String a = run(30, "ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                "stream=codec_name,sample_rate", "-of", "csv=p=0", out.toString()).trim();
        assertEquals("h264,480,270", v);
        assertEquals("aac,44100", a);
        double duration = Double.parseDouble(run(30, "ffprobe", "-v", "error", "-show_entries", "format=duration",
                "-of", "csv=p=0", out.toString()).trim());
        assertTrue(duration > 7 && duration < 9, "8 s read across the loop point, got " + duration);
        run(60, "ffmpeg", "-v", "error", "-xerror", "-i", out.toString(), "-f", "null", "-");
    }

    private static String run(int seconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }
}
