package io.streamkit.examples.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.streamkit.api.Output;
import io.streamkit.api.StreamKit;
import io.streamkit.relay.Relay;
import io.streamkit.relay.record.RecordedFile;
import io.streamkit.relay.record.RecordingOptions;
import io.streamkit.relay.rtmp.RtmpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code studio} app as a user runs it (the launcher jar in its own JVM), against Debian's
 * FFmpeg: two file sources, a logo and a lower third, pushed over RTMP to a StreamKit relay,
 * served on its own RTMP port to an FFmpeg reader, and recorded to an MP4 file, while the control
 * API switches the layout. Everything that comes out is read back with ffprobe and decoded.
 */
@Timeout(180)
class StudioAppIT {

    private static final String INSTALL = "apt-get install -y ffmpeg";

    @TempDir
    Path dir;

    @Test
    void studioStreamsRecordsAndServesItsProgram() throws Exception {
        requireTool("ffmpeg");
        requireTool("ffprobe");
        Path a = dir.resolve("a.mp4");
        Path b = dir.resolve("b.mp4");
        Path logo = dir.resolve("logo.png");
        run(60, "ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=4", "-f", "lavfi", "-i",
                "sine=f=440:r=48000:d=4", "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", a.toString());
        run(60, "ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "smptebars=s=640x360:r=30:d=4", "-c:v", "libx264",
                "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p", b.toString());
        run(20, "ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "color=c=green:s=128x64", "-frames:v", "1",
                logo.toString());
        Path record = dir.resolve("program.mp4");
        Path pushed = Files.createDirectories(dir.resolve("pushed"));
        Path served = dir.resolve("served.flv");
        int controlPort = freePort();
        int rtmpPort = freePort();
        Path jar = Path.of("target", "streamkit-examples.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " is built by the package phase");

        try (StreamKit kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build()) {
            Relay relay = Relay.on(kit);
            RtmpServer rtmp = relay.rtmp(x -> x.host("127.0.0.1").port(0));
            Output recording = relay.stream("live/studio").record(RecordingOptions.mp4(pushed).finalizeMp4(true));
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Djava.awt.headless=true", "-jar", jar.toString(), "studio", "--size", "640x360",
                    "--fps", "25", "--source", a.toString(), "--source", b.toString(), "--image", logo.toString(),
                    "--text", "Studio test", "--output", "rtmp://127.0.0.1:" + rtmp.localAddress().getPort()
                            + "/live/studio",
                    "--record", record.toString(), "--duration", "9", "--http-port", String.valueOf(controlPort),
                    "--rtmp-port", String.valueOf(rtmpPort), "--bitrate", "1500", "--gop", "25"));
            Path log = dir.resolve("studio.log");
            Process studio = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Process reader = null;
            try {
                String base = "http://127.0.0.1:" + controlPort;
                HttpClient http = HttpClient.newHttpClient();
                String state = awaitState(http, base, studio, log);
                assertTrue(state.contains("\"layout\":\"side-by-side\""), state);
                reader = new ProcessBuilder("ffmpeg", "-y", "-v", "error", "-i", "rtmp://127.0.0.1:" + rtmpPort
                        + "/studio/program", "-t", "3", "-c", "copy", served.toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("reader.log").toFile()).start();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/layout")).POST(
                        HttpRequest.BodyPublishers.ofString("{\"layout\":\"picture-in-picture\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(reader.waitFor(60, TimeUnit.SECONDS), "the RTMP reader finished");
                assertEquals(0, reader.exitValue(), () -> read(dir.resolve("reader.log")));
                assertTrue(studio.waitFor(60, TimeUnit.SECONDS), "the studio stops after --duration");
                assertEquals(0, studio.exitValue(), () -> read(log));
            } finally {
                if (reader != null) {
                    reader.destroyForcibly();
                }
                studio.destroyForcibly();
            }
            recording.closeAsync().get(30, TimeUnit.SECONDS);
            String out = read(log);
            assertTrue(out.contains("Recorded " + record), out);

            // the recording: H.264 640x360 + AAC, about 9 s, decodes cleanly
            assertEquals("h264,640,360|aac", probe(record), out);
            double duration = Double.parseDouble(run(30, "ffprobe", "-v", "error", "-show_entries",
                    "format=duration", "-of", "csv=p=0", record.toString()).trim());
            assertTrue(duration > 7.5 && duration < 10.5, "recorded " + duration + " s");
            run(60, "ffmpeg", "-v", "error", "-xerror", "-i", record.toString(), "-f", "null", "-");
            // the RTMP push, as the relay on the other end recorded it
            List<RecordedFile> files = RecordedFile.list(pushed, "live/studio");
            assertEquals(1, files.size(), files::toString);
            assertEquals("h264,640,360|aac", probe(files.get(0).path()));
            run(60, "ffmpeg", "-v", "error", "-xerror", "-i", files.get(0).path().toString(), "-f", "null", "-");
            // what FFmpeg read from the studio's own RTMP server
            assertEquals("h264,640,360|aac", probe(served));
        }
    }

    private static String awaitState(HttpClient http, String base, Process studio, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (!studio.isAlive()) {
                fail("the studio exited early: " + read(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/state")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"framesEncoded\"") && !r.body().contains(
                        "\"framesEncoded\":0")) {
                    return r.body();
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        fail("the control API did not come up: " + read(log));
        return null;
    }

    private static String probe(Path file) throws Exception {
        String v = run(30, "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height", "-of", "csv=p=0", file.toString()).trim();
        String au = run(30, "ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name",
                "-of", "csv=p=0", file.toString()).trim();
        return v + "|" + au;
    }

    private static void requireTool(String tool) {
        try {
            run(20, tool, "-version");
        } catch (Exception e) {
            fail(tool + " is missing; install it with: " + INSTALL, e);
        }
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

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
