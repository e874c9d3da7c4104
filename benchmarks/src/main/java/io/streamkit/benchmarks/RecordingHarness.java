package io.streamkit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load harness: N live RTMP streams of about 6 Mbit/s each recorded at once, without re-encoding,
 * to fragmented MP4 on the local disk, by StreamKit's relay (the examples jar,
 * {@code relay --record-dir}, its own JVM) and, as the anchor in the same run, by N FFmpeg
 * recorders ({@code ffmpeg -listen 1 -i rtmp://... -c copy -f mp4 -movflags +frag_keyframe+empty_moov}),
 * one process per stream.
 *
 * <p>The source is encoded once (x264 CBR 5.8 Mbit/s, 720p30, GOP 60, AAC 128 kbit/s, FLV) and
 * published N times in real time by Debian's FFmpeg ({@code -re -stream_loop -1 -c copy -f flv}).
 * After a warm-up, the recorder side's CPU time ({@code utime + stime} from
 * {@code /proc/PID/stat}: the relay JVM, or the sum over the N FFmpeg recorders; the publishers are
 * not counted) and the bytes the recordings grew by are sampled over a fixed window. Everything
 * runs on 127.0.0.1 and every process is stopped when its phase ends; the recordings are deleted.
 */
public final class RecordingHarness {
    private static final Logger log = LoggerFactory.getLogger(RecordingHarness.class);
    private static final long CLK_TCK = 100;

    private RecordingHarness() {
    }

    /** What one recorder side did in the measured window. */
    record Result(String recorder, int streams, double cpuSeconds, double seconds, long bytes, int files,
            double publisherCpuSeconds) {
        double cpuPerSecond() {
            return cpuSeconds / seconds;
        }

        double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }

        /** @return CPU milliseconds per second for each recorded stream */
        double cpuMsPerStream() {
            return cpuPerSecond() * 1000 / streams;
        }

        /** @return CPU milliseconds per megabyte written (fair when one side falls behind real time) */
        double cpuMsPerMegabyte() {
            return bytes == 0 ? Double.NaN : cpuSeconds * 1000 / (bytes / 1e6);
        }
    }

    /**
     * @param examplesJar the StreamKit examples jar
     * @param streams how many streams to record at once
     * @param warmupSeconds seconds before sampling
     * @param measureSeconds the sampling window
     * @throws Exception when a peer fails
     */
    static void run(Path examplesJar, int streams, int warmupSeconds, int measureSeconds) throws Exception {
        if (!Files.isRegularFile(examplesJar)) {
            throw new IllegalStateException(examplesJar + " is missing: build with 'mvn -B -o -q -pl streamkit-api,"
                    + "streamkit-relay,streamkit-examples,benchmarks package -DskipTests' from the repository root");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/ffmpeg"))) {
            throw new IllegalStateException("ffmpeg is missing: apt-get install -y ffmpeg");
        }
        Path dir = Files.createTempDirectory("recording-bench");
        Path source = dir.resolve("src.flv");
        log.info("recording harness: {} streams, logs in {}", streams, dir);
        exec(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f",
                "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "20", "-c:v", "libx264", "-preset",
                "veryfast", "-b:v", "5800k", "-minrate", "5800k", "-maxrate", "5800k", "-bufsize", "2M",
                "-x264-params", "nal-hrd=cbr", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
                "-f", "flv", source.toString()));
        double sourceBytesPerSecond = Files.size(source) / 20.0;
        log.info("source: {} bytes, {} Mbit/s over 20 s", Files.size(source), String.format(Locale.ROOT, "%.2f",
                sourceBytesPerSecond * 8 / 1e6));
        try {
            Result sk = measureStreamKit(dir, source, examplesJar, streams, warmupSeconds, measureSeconds);
            log.info("StreamKit: {}", describe(sk, sourceBytesPerSecond));
            Result ff = measureFfmpeg(dir, source, streams, warmupSeconds, measureSeconds);
            log.info("FFmpeg: {}", describe(ff, sourceBytesPerSecond));
            log.info(table(sk, ff));
        } finally {
            Files.deleteIfExists(source);
        }
    }

    private static String describe(Result r, double sourceBytesPerSecond) {
        return String.format(Locale.ROOT, "CPU %.2f s in %.1f s, %d bytes written to %d files (%d at the source's "
                + "rate); the %d publishers used %.2f s of CPU", r.cpuSeconds, r.seconds, r.bytes, r.files,
                Math.round(
                        r.seconds * r.streams * sourceBytesPerSecond),
                r.streams, r.publisherCpuSeconds);
    }

    private static String table(Result sk, Result ff) {
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "%-18s %9s %12s %20s %14s", "recorder", "CPU s/s", "written MB/s",
                "CPU ms/s per stream", "CPU ms per MB"));
        for (Result r : List.of(sk, ff)) {
            rows.add(String.format(Locale.ROOT, "%-18s %9.3f %12.2f %20.2f %14.2f", r.recorder, r.cpuPerSecond(),
                    r.megabytesPerSecond(), r.cpuMsPerStream(), r.cpuMsPerMegabyte()));
        }
        double cpu = sk.cpuPerSecond() / ff.cpuPerSecond();
        double written = sk.megabytesPerSecond() / ff.megabytesPerSecond();
        double perStream = sk.cpuMsPerStream() / ff.cpuMsPerStream();
        double perMegabyte = sk.cpuMsPerMegabyte() / ff.cpuMsPerMegabyte();
        rows.add(String.format(Locale.ROOT, "%-18s %9.2f %12.2f %20.2f %14.2f", "StreamKit / FFmpeg", cpu, written,
                perStream, perMegabyte));
        return "Recording, " + sk.streams + " RTMP streams of about 6 Mbit/s to fragmented MP4, over "
                + String.format(Locale.ROOT, "%.0f", sk.seconds) + " s (CPU of the recorder side only)\n" + String
                        .join("\n", rows);
    }

    private static Result measureStreamKit(Path dir, Path source, Path jar, int streams, int warmup, int seconds)
            throws Exception {
        Path out = Files.createDirectories(dir.resolve("streamkit"));
        int port = freeTcpPort();
        List<String> cmd = new ArrayList<>(List.of("java"));
        String extra = System.getProperty("relay.jvmArgs", "");
        if (!extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "relay", "--host", "127.0.0.1", "--rtmp-port", String.valueOf(
                port), "--record-dir", out.toString()));
        Path relayLog = dir.resolve("streamkit-relay.log");
        Process relay = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(relayLog.toFile()).start();
        List<Process> publishers = new ArrayList<>();
        try {
            awaitLine(relay, relayLog, "RTMP  publish/play:");
            for (int i = 0; i < streams; i++) {
                publishers.add(publisher(dir, source, "streamkit-" + i, "rtmp://127.0.0.1:" + port + "/live/s" + i));
            }
            return sample("StreamKit", streams, warmup, seconds, List.of(relay), publishers, out, dir);
        } finally {
            for (Process p : publishers) {
                stop(p);
            }
            stop(relay);
            deleteTree(out);
        }
    }

    private static Result measureFfmpeg(Path dir, Path source, int streams, int warmup, int seconds)
            throws Exception {
        Path out = Files.createDirectories(dir.resolve("ffmpeg"));
        List<Process> recorders = new ArrayList<>();
        List<Process> publishers = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                int port = freeTcpPort();
                ports.add(port);
                recorders.add(new ProcessBuilder("ffmpeg", "-v", "error", "-listen", "1", "-i", "rtmp://127.0.0.1:"
                        + port + "/live/s" + i, "-c", "copy", "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov",
                        out.resolve("s" + i + ".mp4").toString()).redirectErrorStream(true).redirectOutput(dir
                                .resolve("ffmpeg-recorder-" + i + ".log").toFile())
                        .start());
            }
            for (int i = 0; i < streams; i++) {
                awaitListening(recorders.get(i), ports.get(i));
                publishers.add(publisher(dir, source, "ffmpeg-" + i, "rtmp://127.0.0.1:" + ports.get(i) + "/live/s"
                        + i));
            }
            return sample("FFmpeg", streams, warmup, seconds, recorders, publishers, out, dir);
        } finally {
            for (Process p : publishers) {
                stop(p);
            }
            for (Process p : recorders) {
                stop(p);
            }
            deleteTree(out);
        }
    }

    private static Process publisher(Path dir, Path source, String name, String url) throws IOException {
        return new ProcessBuilder("ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i", source.toString(), "-c",
                "copy", "-f", "flv", url).redirectErrorStream(true).redirectOutput(dir
                        .resolve("publisher-" + name
                                + ".log")
                        .toFile())
                .start();
    }

    /** Waits, checks that every process still runs, then samples CPU and written bytes over the window. */
    private static Result sample(String name, int streams, int warmup, int seconds, List<Process> recorders,
            List<Process> publishers, Path out, Path dir) throws Exception {
        Thread.sleep(warmup * 1000L);
        for (Process p : concat(recorders, publishers)) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + ": a peer exited (" + p.info().command().orElse("?")
                        + "), see the logs in " + dir);
            }
        }
        long cpu0 = cpuTicks(recorders);
        long pub0 = cpuTicks(publishers);
        long b0 = bytes(out);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long cpu1 = cpuTicks(recorders);
        long pub1 = cpuTicks(publishers);
        long b1 = bytes(out);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        int files;
        try (Stream<Path> s = Files.walk(out)) {
            files = (int) s.filter(Files::isRegularFile).count();
        }
        for (Process p : concat(recorders, publishers)) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + ": a peer exited during the measurement, see " + dir);
            }
        }
        return new Result(name, streams, (cpu1 - cpu0) / (double) CLK_TCK, elapsed, b1 - b0, files, (pub1 - pub0)
                / (double) CLK_TCK);
    }

    private static List<Process> concat(List<Process> a, List<Process> b) {
        List<Process> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static long cpuTicks(List<Process> processes) throws IOException {
        long sum = 0;
        for (Process p : processes) {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after the command: state(0) ... utime(11) stime(12)
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return sum;
    }

    private static long bytes(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // replaced by finalization in between
                }
            }).sum();
        }
    }

    /**
     * Waits until the process listens on the port, from {@code /proc/net/tcp}, without connecting
     * (an FFmpeg {@code -listen 1} input accepts exactly one connection).
     */
    private static void awaitListening(Process p, int port) throws Exception {
        String local = String.format(Locale.ROOT, ":%04X ", port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && (f[1] + " ").endsWith(local) && f[3].equals("0A")) {
                    return;
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("an FFmpeg recorder exited before listening on port " + port);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no FFmpeg recorder listens on port " + port + " after 30 s");
    }

    private static int freeTcpPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitLine(Process p, Path logFile, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(logFile) && Files.readString(logFile).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the relay exited; see " + logFile);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the relay did not start within 30 s; see " + logFile);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("failed: " + cmd);
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}
