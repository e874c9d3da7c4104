package io.streamkit.benchmarks;

import io.streamkit.api.StreamKit;
import io.streamkit.compositor.program.Compositor;
import io.streamkit.compositor.program.CompositorStats;
import io.streamkit.compositor.program.EncoderSettings;
import io.streamkit.compositor.scene.ImageLayer;
import io.streamkit.compositor.scene.LayerProperties;
import io.streamkit.compositor.scene.Rect;
import io.streamkit.compositor.scene.ScaleMode;
import io.streamkit.compositor.scene.Scene;
import io.streamkit.compositor.scene.TextLayer;
import io.streamkit.compositor.scene.VideoLayer;
import io.streamkit.compositor.source.FfmpegSource;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compositor against FFmpeg's {@code filter_complex} on the same scene: four looping H.264 +
 * AAC sources in a 2x2 grid, a PNG logo, a text box, the four audios mixed, encoded once with
 * libopenh264 + AAC at the same bitrate and GOP. The anchor is the {@code ffmpeg} program of the
 * very FFmpeg build the compositor links (the bytedeco preset's), so encoder and version are the
 * same. Both run paced in real time (sources at their timestamps, 30 frames/s out) and unpaced,
 * as fast as each can: FFmpeg without {@code -re}, the compositor with
 * {@link Compositor.Pacing#AS_FAST_AS_POSSIBLE} (program time, sources decoded just ahead of it).
 * Measured over a window after a warm-up: output frames per second and the process's CPU
 * (utime + stime from /proc), so CPU per frame.
 */
final class CompositorHarness {

    private static final Logger log = LoggerFactory.getLogger(CompositorHarness.class);
    private static final String FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
    private static final int FPS = 30;

    private CompositorHarness() {
    }

    /** One measurement. */
    record Result(String system, String mode, int width, int height, double fps, double cpu, long dropped,
            String note) {
        double cpuMsPerFrame() {
            return fps <= 0 ? Double.NaN : cpu * 1000 / fps;
        }
    }

    static void run(List<int[]> sizes, int warmup, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("compositor-bench");
        log.info("compositor harness: files in {}", dir);
        Path[] sources = new Path[4];
        String[] patterns = {"testsrc2", "smptebars", "mandelbrot", "rgbtestsrc"};
        for (int i = 0; i < 4; i++) {
            sources[i] = dir.resolve("src" + i + ".mp4");
            exec(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", patterns[i] + "=size=1280x720:rate=30",
                    "-f", "lavfi", "-i", "sine=frequency=" + (220 * (i + 1)) + ":sample_rate=48000", "-t", "30",
                    "-c:v", "libx264", "-preset", "veryfast", "-b:v", "3M", "-g", "60", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "128k", sources[i].toString()));
        }
        Path logo = dir.resolve("logo.png");
        exec(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0x20C040:s=256x128", "-frames:v",
                "1", logo.toString()));
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        log.info("anchor: {}", ffmpeg);
        List<Result> results = new ArrayList<>();
        for (int[] size : sizes) {
            results.add(streamKit(sources, logo, size[0], size[1], true, warmup, seconds));
            results.add(streamKit(sources, logo, size[0], size[1], false, warmup, seconds));
            results.add(ffmpeg(ffmpeg, dir, sources, logo, size[0], size[1], true, warmup, seconds));
            results.add(ffmpeg(ffmpeg, dir, sources, logo, size[0], size[1], false, warmup, seconds));
        }
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%n%-10s %-10s %-9s %8s %8s %12s %8s  %s%n", "size", "system", "mode",
                "fps", "CPU s/s", "CPU ms/frame", "dropped", "note"));
        for (Result r : results) {
            t.append(String.format(Locale.ROOT, "%-10s %-10s %-9s %8.1f %8.2f %12.1f %8d  %s%n", r.width() + "x"
                    + r.height(), r.system(), r.mode(), r.fps(), r.cpu(), r.cpuMsPerFrame(), r.dropped(), r.note()));
        }
        for (int[] size : sizes) {
            for (String mode : List.of("paced", "max")) {
                Result sk = find(results, "StreamKit", mode, size);
                Result ff = find(results, "FFmpeg", mode, size);
                if (sk != null && ff != null) {
                    t.append(String.format(Locale.ROOT, "%-10s StreamKit / FFmpeg, %-5s: fps %.2f, CPU per frame "
                            + "%.2f%n", size[0] + "x" + size[1], mode, sk.fps() / ff.fps(),
                            sk.cpuMsPerFrame() / ff
                                    .cpuMsPerFrame()));
                }
            }
        }
        System.out.println(t);
    }

    private static Result find(List<Result> results, String system, String mode, int[] size) {
        for (Result r : results) {
            if (r.system().equals(system) && r.mode().equals(mode) && r.width() == size[0] && r.height() == size[1]) {
                return r;
            }
        }
        return null;
    }

    private static int bitrate(int height) {
        return height >= 1080 ? 6_000_000 : 4_000_000;
    }

    private static Result streamKit(Path[] sources, Path logo, int w, int h, boolean paced, int warmup, int seconds)
            throws Exception {
        int cw = w / 2;
        int ch = h / 2;
        Scene.Builder b = Scene.builder(w, h).frameRate(FPS).background(new Color(0x10, 0x12, 0x18));
        for (int i = 0; i < 4; i++) {
            VideoLayer v = VideoLayer.of("s" + i, new Rect((i % 2) * cw, (i / 2) * ch, cw, ch));
            b.addLayer(v.withProperties(v.properties().withScaleMode(ScaleMode.STRETCH)));
        }
        int lw = w / 8;
        ImageLayer img = ImageLayer.decode("logo", Files.readAllBytes(logo), new Rect(w - lw - 20, 20, lw, lw / 2));
        b.addLayer(img.withProperties(img.properties().withScaleMode(ScaleMode.STRETCH).withZOrder(10)));
        int fontSize = h / 20;
        TextLayer text = TextLayer.of("text", "StreamKit benchmark", new Rect(w / 20, h - h / 6, w / 2, fontSize * 2))
                .withFont("DejaVu Sans", fontSize, true).withBox(new Color(0, 0, 0, 168), 8);
        b.addLayer(text.withProperties(LayerProperties.of(text.properties().bounds()).withZOrder(20)));
        try (StreamKit kit = StreamKit.builder().build()) {
            Compositor.Builder cb = Compositor.builder(kit).scene(b.build()).encoder(EncoderSettings.DEFAULT
                    .withVideoBitrate(bitrate(h)).withGop(60)).publishTo("bench/program").pacing(paced
                            ? Compositor.Pacing.REAL_TIME
                            : Compositor.Pacing.AS_FAST_AS_POSSIBLE);
            for (int i = 0; i < 4; i++) {
                // decoded frames scaled to their cell while converting (swscale), as FFmpeg's graph does
                cb.source(FfmpegSource.builder("s" + i, sources[i].toString()).loop(true).size(cw, ch).build());
            }
            Compositor program = cb.start();
            try {
                Thread.sleep(warmup * 1000L);
                CompositorStats s0 = program.stats();
                long cpu0 = cpuTicks(ProcessHandle.current().pid());
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                CompositorStats s1 = program.stats();
                long cpu1 = cpuTicks(ProcessHandle.current().pid());
                double wall = (System.nanoTime() - t0) / 1e9;
                double fps = (s1.framesEncoded() - s0.framesEncoded()) / wall;
                long dropped = s1.framesDropped() - s0.framesDropped() + s1.ticksSkipped() - s0.ticksSkipped();
                String note = String.format(Locale.ROOT, "render p50 %.1f ms, encode p50 %.1f / p99 %.1f ms",
                        s1.renderMillisP50(), s1.encodeMillisP50(), s1.encodeMillisP99());
                Result r = new Result("StreamKit", paced ? "paced" : "max", w, h, fps, (cpu1 - cpu0) / 100.0 / wall,
                        dropped, note);
                log.info("{}", r);
                return r;
            } finally {
                program.close();
            }
        }
    }

    private static Result ffmpeg(String ffmpeg, Path dir, Path[] sources, Path logo, int w, int h, boolean paced,
            int warmup, int seconds) throws Exception {
        int cw = w / 2;
        int ch = h / 2;
        int lw = w / 8;
        int fontSize = h / 20;
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-v", "error", "-nostats", "-progress",
                "pipe:1"));
        for (Path s : sources) {
            if (paced) {
                cmd.add("-re");
            }
            cmd.addAll(List.of("-stream_loop", "-1", "-i", s.toString()));
        }
        cmd.addAll(List.of("-loop", "1", "-framerate", String.valueOf(FPS), "-i", logo.toString()));
        StringBuilder g = new StringBuilder();
        g.append(String.format(Locale.ROOT, "color=c=0x101218:s=%dx%d:r=%d[bg];", w, h, FPS));
        for (int i = 0; i < 4; i++) {
            g.append(String.format(Locale.ROOT, "[%d:v]scale=%d:%d[v%d];", i, cw, ch, i));
        }
        g.append("[bg][v0]overlay=0:0[o0];");
        g.append(String.format(Locale.ROOT, "[o0][v1]overlay=%d:0[o1];", cw));
        g.append(String.format(Locale.ROOT, "[o1][v2]overlay=0:%d[o2];", ch));
        g.append(String.format(Locale.ROOT, "[o2][v3]overlay=%d:%d[o3];", cw, ch));
        g.append(String.format(Locale.ROOT, "[4:v]scale=%d:%d[lg];", lw, lw / 2));
        g.append(String.format(Locale.ROOT, "[o3][lg]overlay=%d:20[o4];", w - lw - 20));
        g.append(String.format(Locale.ROOT, "[o4]drawtext=fontfile=%s:text='StreamKit benchmark':fontsize=%d:"
                + "fontcolor=white:box=1:boxcolor=black@0.66:boxborderw=8:x=%d:y=%d[v];", FONT, fontSize, w / 20,
                h - h / 6));
        g.append("[0:a][1:a][2:a][3:a]amix=inputs=4:normalize=0[a]");
        cmd.addAll(List.of("-filter_complex", g.toString(), "-map", "[v]", "-map", "[a]", "-c:v", "libopenh264",
                "-b:v", String.valueOf(bitrate(h)), "-g", "60", "-c:a", "aac", "-b:a", "128k", "-f", "null", "-"));
        Path err = dir.resolve("ffmpeg-" + w + "x" + h + (paced ? "-paced" : "-max") + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        AtomicLong frames = new AtomicLong();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("frame=")) {
                        frames.set(Long.parseLong(line.substring(6).trim()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                log.debug("progress reader stopped", e);
            }
        }, "ffmpeg-progress");
        reader.setDaemon(true);
        reader.start();
        try {
            Thread.sleep(warmup * 1000L);
            if (!p.isAlive()) {
                throw new IllegalStateException("ffmpeg exited (" + p.exitValue() + "): " + Files.readString(err));
            }
            long f0 = frames.get();
            long cpu0 = cpuTicks(p.pid());
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long f1 = frames.get();
            long cpu1 = cpuTicks(p.pid());
            double wall = (System.nanoTime() - t0) / 1e9;
            Result r = new Result("FFmpeg", paced ? "paced" : "max", w, h, (f1 - f0) / wall, (cpu1 - cpu0) / 100.0
                    / wall, 0, "filter_complex, -progress frame counts");
            log.info("{}", r);
            return r;
        } finally {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static void exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out,
                    StandardCharsets.UTF_8));
        }
    }
}
