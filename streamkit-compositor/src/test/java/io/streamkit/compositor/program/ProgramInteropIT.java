package io.streamkit.compositor.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.streamkit.api.Output;
import io.streamkit.api.StreamKit;
import io.streamkit.compositor.scene.ImageLayer;
import io.streamkit.compositor.scene.Rect;
import io.streamkit.compositor.scene.Scene;
import io.streamkit.compositor.scene.TextLayer;
import io.streamkit.compositor.scene.VideoLayer;
import io.streamkit.compositor.source.FfmpegSource;
import io.streamkit.relay.Relay;
import io.streamkit.relay.record.RecordedFile;
import io.streamkit.relay.record.RecordingOptions;
import io.streamkit.relay.rtmp.RtmpServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compositor against Debian's FFmpeg: two file sources side by side, a PNG image and a text
 * layer composed at 1280x720 30 fps for 10 s, published into a stream that StreamKit's relay serves
 * over RTMP and records to MP4 at once. FFmpeg reads both back; frames and the A/V offset are
 * checked in the recording.
 */
@Timeout(180)
class ProgramInteropIT {

    private static final Logger log = LoggerFactory.getLogger(ProgramInteropIT.class);
    private static final String INSTALL = "apt-get install -y ffmpeg";

    @TempDir
    static Path dir;
    private static Path fileA;
    private static Path fileB;

    @BeforeAll
    static void makeSources() throws Exception {
        for (String tool : List.of("ffmpeg", "ffprobe")) {
            try {
                run(20, tool, "-version");
            } catch (IOException e) {
                fail(tool + " is missing; install it with: " + INSTALL, e);
            }
        }
        fileA = dir.resolve("flash.mp4");
        fileB = dir.resolve("bars.mp4");
        // A: red, white for the first 100 ms of every second, with a 1 kHz beep at the same time
        run(60, "ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i",
                "color=c=0xC02020:s=640x360:r=30:d=12,drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill"
                        + ":enable='lt(mod(t,1),0.1)'",
                "-f", "lavfi", "-i", "aevalsrc='if(lt(mod(t,1),0.1),0.5*sin(2*PI*1000*t),0)':s=48000:d=12",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-b:a", "128k", fileA.toString());
        // B: SMPTE bars with a quiet 440 Hz tone
        run(60, "ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "smptebars=s=640x360:r=30:d=12", "-f", "lavfi",
                "-i", "sine=f=440:r=48000:d=12,volume=0.05", "-c:v", "libx264", "-preset", "veryfast", "-g", "30",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", fileB.toString());
    }

    @Test
    void composesPublishesOverRtmpAndRecordsMp4() throws Exception {
        Path recordings = Files.createDirectories(dir.resolve("rec"));
        Path rtmpCopy = dir.resolve("rtmp.flv");
        BufferedImage green = new BufferedImage(320, 180, BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = green.createGraphics();
        g.setColor(new Color(0, 200, 0));
        g.fillRect(0, 0, 320, 180);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(green, "png", png);

        Scene scene = Scene.builder(1280, 720).frameRate(30).background(new Color(0x10, 0x10, 0x50))
                .addLayer(VideoLayer.of("a", new Rect(0, 0, 640, 360)))
                .addLayer(VideoLayer.of("b", new Rect(640, 0, 640, 360)))
                .addLayer(ImageLayer.decode("logo", png.toByteArray(), new Rect(80, 420, 320, 180)))
                .addLayer(TextLayer.of("title", "StreamKit", new Rect(700, 440, 500, 120))
                        .withBox(new Color(255, 200, 0), 20).withColor(Color.BLACK))
                .build();

        Process reader = null;
        try (StreamKit kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build()) {
            Relay relay = Relay.on(kit);
            RtmpServer rtmp = relay.rtmp(b -> b.host("127.0.0.1").port(0));
            int port = rtmp.localAddress().getPort();
            Output recording = relay.stream("studio/program").record(RecordingOptions.mp4(recordings)
                    .finalizeMp4(true));

            Compositor program = Compositor.builder(kit).scene(scene)
                    .source(FfmpegSource.builder("a", fileA.toString()).build())
                    .source(FfmpegSource.builder("b", fileB.toString()).build())
                    .encoder(EncoderSettings.DEFAULT.withVideoBitrate(3_000_000).withGop(30))
                    .publishTo("studio/program").start();
            try {
                Thread.sleep(1000);
                reader = new ProcessBuilder("ffmpeg", "-y", "-v", "error", "-i",
                        "rtmp://127.0.0.1:" + port + "/studio/program", "-t", "4", "-c", "copy", rtmpCopy.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("reader.log").toFile()).start();
                long end = System.nanoTime() + 60_000_000_000L;
                while (program.stats().framesComposed() < 300 && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                CompositorStats stats = program.stats();
                log.info("program after 10 s: {}", stats);
                assertTrue(stats.framesComposed() >= 300, stats.toString());
            } finally {
                program.close();
            }
            CompositorStats stats = program.stats();
            log.info("program closed: {}", stats);
            assertTrue(stats.framesEncoded() > 250, "encoded " + stats);
            assertTrue(reader.waitFor(30, TimeUnit.SECONDS), "the RTMP reader did not finish");
            recording.close();
            relay.close();
        } finally {
            if (reader != null) {
                reader.destroyForcibly();
            }
        }

        // RTMP: what FFmpeg read from the relay's RTMP server
        String rtmpStreams = run(30, "ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height", "-of",
                "compact", rtmpCopy.toString());
        assertTrue(rtmpStreams.contains("codec_name=h264|width=1280|height=720"), rtmpStreams);
        assertTrue(rtmpStreams.contains("codec_name=aac"), rtmpStreams);

        // MP4: codecs, size, duration, a clean decode
        List<RecordedFile> files = RecordedFile.list(recordings, "studio/program");
        assertEquals(1, files.size(), "recorded files " + files);
        Path mp4 = files.get(0).path();
        String streams = run(30, "ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height", "-of",
                "compact", mp4.toString());
        assertTrue(streams.contains("codec_name=h264|width=1280|height=720"), streams);
        assertTrue(streams.contains("codec_name=aac"), streams);
        double duration = Double.parseDouble(run(30, "ffprobe", "-v", "error", "-show_entries", "format=duration",
                "-of", "csv=p=0", mp4.toString()).trim());
        assertEquals(10.0, duration, 0.5, "duration of " + mp4);
        String errors = new String(execute(120, "ffmpeg", "-v", "error", "-i", mp4.toString(), "-f", "null", "-")[1],
                StandardCharsets.UTF_8);
        assertEquals("", errors.trim(), "FFmpeg reported decode errors");

        // Layers in their places, at two instants away from the flashes
        for (String at : List.of("2.5", "6.5")) {
            Path png2 = dir.resolve("frame-" + at + ".png");
            run(60, "ffmpeg", "-y", "-v", "error", "-ss", at, "-i", mp4.toString(), "-frames:v", "1", png2.toString());
            BufferedImage f = ImageIO.read(png2.toFile());
            assertEquals(1280, f.getWidth());
            assertColor(f, 320, 180, "file A (red)", c -> c.getRed() > 140 && c.getGreen() < 90 && c.getBlue() < 90);
            assertColor(f, 640 + 45, 100, "file B's first bar (grey)",
                    c -> c.getRed() > 140 && c.getGreen() > 140 && c.getBlue() > 140);
            assertColor(f, 640 + 91 * 2 + 45, 100, "file B's third bar (cyan)",
                    c -> c.getRed() < 90 && c.getGreen() > 140 && c.getBlue() > 140);
            assertColor(f, 240, 510, "the PNG (green)", c -> c.getGreen() > 150 && c.getRed() < 80 && c.getBlue() < 80);
            assertColor(f, 712, 452, "the text box (yellow)",
                    c -> c.getRed() > 200 && c.getGreen() > 150 && c.getBlue() < 90);
            assertColor(f, 1200, 700, "the background (dark blue)",
                    c -> c.getBlue() > c.getRed() + 30 && c.getRed() < 60);
        }

        // A/V offset: flashes of file A's region against the beeps in the mix
        double offset = avOffsetSeconds(mp4);
        double limit = 1.0 / 30 + 1024.0 / 48_000;
        log.info("A/V offset (audio minus video) {} ms, limit {} ms", Math.round(offset * 1000),
                Math.round(limit * 1000));
        assertTrue(Math.abs(offset) <= limit, "A/V offset " + offset + " s exceeds one frame plus one audio block");
    }

    private static void assertColor(BufferedImage f, int x, int y, String what,
            java.util.function.Predicate<Color> ok) {
        Color c = new Color(f.getRGB(x, y));
        assertTrue(ok.test(c), what + " at (" + x + ", " + y + ") is " + c);
    }

    /** Returns the mean offset of beep onsets after flash onsets, in seconds. */
    private static double avOffsetSeconds(Path mp4) throws Exception {
        String times = run(60, "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time",
                "-of", "csv=p=0", mp4.toString());
        List<Double> pts = new ArrayList<>();
        for (String line : times.split("\n")) {
            if (!line.isBlank()) {
                pts.add(Double.parseDouble(line.trim().replace(",", "")));
            }
        }
        byte[] luma = runBytes(60, "ffmpeg", "-v", "error", "-i", mp4.toString(), "-vf",
                "crop=64:64:288:148,scale=1:1:flags=area,format=gray", "-fps_mode", "passthrough", "-f", "rawvideo",
                "-");
        assertEquals(pts.size(), luma.length, "one luma value per frame");
        List<Double> flashes = new ArrayList<>();
        for (int i = 1; i < luma.length; i++) {
            if ((luma[i] & 0xFF) > 160 && (luma[i - 1] & 0xFF) <= 160) {
                flashes.add(pts.get(i));
            }
        }
        double audioStart = Double.parseDouble(run(30, "ffprobe", "-v", "error", "-select_streams", "a:0",
                "-show_entries", "stream=start_time", "-of", "csv=p=0", mp4.toString()).trim());
        byte[] pcm = runBytes(60, "ffmpeg", "-v", "error", "-i", mp4.toString(), "-map", "0:a", "-ac", "1", "-ar",
                "48000", "-f", "s16le", "-");
        ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        int n = pcm.length / 2;
        List<Double> beeps = new ArrayList<>();
        int quiet = 0;
        for (int i = 0; i < n; i++) {
            int v = Math.abs(b.getShort(2 * i));
            if (v > 0.15 * 32768) {
                if (quiet > 48_000 / 5) {
                    beeps.add(audioStart + (double) i / 48_000);
                }
                quiet = 0;
            } else {
                quiet++;
            }
        }
        log.info("flash onsets {}", flashes);
        log.info("beep onsets {}", beeps);
        assertTrue(flashes.size() >= 6, "flashes seen: " + flashes);
        assertTrue(beeps.size() >= 6, "beeps heard: " + beeps);
        double sum = 0;
        int pairs = 0;
        for (double f : flashes) {
            double best = Double.MAX_VALUE;
            for (double a : beeps) {
                if (Math.abs(a - f) < Math.abs(best)) {
                    best = a - f;
                }
            }
            if (Math.abs(best) < 0.4) {
                sum += best;
                pairs++;
            }
        }
        assertTrue(pairs >= 6, "paired flashes and beeps: " + pairs);
        return sum / pairs;
    }

    private static String run(int seconds, String... command) throws Exception {
        return new String(runBytes(seconds, command), StandardCharsets.UTF_8);
    }

    private static byte[] runBytes(int seconds, String... command) throws Exception {
        return execute(seconds, command)[0];
    }

    /** Runs a command to completion; returns its standard output and standard error. */
    private static byte[][] execute(int seconds, String... command) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".bin");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                fail("timed out after " + seconds + " s: " + Arrays.toString(command));
            }
        } finally {
            p.destroyForcibly();
        }
        byte[] stderr = Files.readAllBytes(err);
        if (p.exitValue() != 0) {
            fail("exit " + p.exitValue() + " from " + Arrays.toString(command) + ": "
                    + new String(stderr, StandardCharsets.UTF_8));
        }
        return new byte[][]{Files.readAllBytes(out), stderr};
    }
}
