package io.streamkit.relay.interop;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the real peers of the interop suite (Debian's ffmpeg, ffprobe and nginx with the RTMP
 * module) as processes and cleans them up. A missing peer fails the test with the command that
 * installs it; nothing is skipped.
 */
public final class Peers implements AutoCloseable {
    /** The Debian packages the interop suite needs. */
    public static final String INSTALL = "apt-get install -y ffmpeg nginx libnginx-mod-rtmp srt-tools";
    private static final Path NGINX_RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    /**
     * @param dir a folder for logs and configuration
     */
    public Peers(Path dir) {
        this.dir = dir;
    }

    /**
     * @param tool a program name
     * @return its path
     * @throws AssertionError naming the install command when it is missing
     */
    public static String require(String tool) {
        for (String d : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(tool + " is missing; the interop suite needs Debian's peers: " + INSTALL);
    }

    /** @return a port free right now on 127.0.0.1 */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no free port", e);
        }
    }

    /**
     * Starts a process whose output goes to {@code name.log}.
     *
     * @param name a name for the log file
     * @param command the command
     * @return the process
     * @throws IOException when it cannot start
     */
    public Process start(String name, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log")
                .toFile()).start();
        processes.add(p);
        return p;
    }

    /**
     * Runs a command to its end.
     *
     * @param name a name for the log file
     * @param timeout the most it may take
     * @param command the command
     * @return what it printed (stdout and stderr)
     * @throws Exception when it cannot start, times out or fails
     */
    public String run(String name, Duration timeout, List<String> command) throws Exception {
        Process p = start(name, command);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish within " + timeout + ": " + log(name));
        }
        String out = log(name);
        if (p.exitValue() != 0) {
            throw new AssertionError(name + " exited with " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /**
     * @param process a process
     * @param timeout the most to wait
     * @return its exit code
     * @throws InterruptedException when interrupted
     */
    public static int await(Process process, Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not finish within " + timeout);
        }
        return process.exitValue();
    }

    /**
     * @param name the log name
     * @return the log's content
     * @throws IOException when it cannot be read
     */
    public String log(String name) throws IOException {
        Path f = dir.resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    /**
     * FFmpeg publishing a 1280x720 30 fps H.264 + 48 kHz AAC test signal in real time.
     *
     * @param name log name
     * @param seconds duration
     * @param url destination (rtmp, rtmps)
     * @return the process
     * @throws IOException when it cannot start
     */
    public Process publish(String name, int seconds, String url) throws IOException {
        return start(name, List.of(require("ffmpeg"), "-hide_banner", "-loglevel", "warning", "-re", "-f", "lavfi",
                "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v",
                "2M", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-f", "flv", url));
    }

    /**
     * FFmpeg reading a URL into a file without re-encoding.
     *
     * @param name log name
     * @param url source
     * @param out the file (.flv or .mp4)
     * @return the process
     * @throws IOException when it cannot start
     */
    public Process record(String name, String url, Path out) throws IOException {
        return record(name, url, out, 0);
    }

    /**
     * FFmpeg reading at most {@code seconds} of a URL into a file without re-encoding (for
     * servers such as nginx-rtmp that do not tell players when a publisher leaves).
     *
     * @param name log name
     * @param url source
     * @param out the file
     * @param seconds the most media to read, 0 for all
     * @return the process
     * @throws IOException when it cannot start
     */
    public Process record(String name, String url, Path out, double seconds) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(require("ffmpeg"), "-hide_banner", "-loglevel", "warning", "-y",
                "-rw_timeout", "30000000", "-i", url));
        if (seconds > 0) {
            cmd.addAll(List.of("-t", String.valueOf(seconds)));
        }
        cmd.addAll(List.of("-c", "copy", out.toString()));
        return start(name, cmd);
    }

    /**
     * @param file a media file
     * @return ffprobe's compact description of its streams and duration
     * @throws Exception when ffprobe fails
     */
    public String probe(Path file) throws Exception {
        return run("ffprobe-" + file.getFileName(), Duration.ofSeconds(30), List.of(require("ffprobe"), "-v", "error",
                "-show_entries", "stream=codec_name,width,height:format=duration", "-of", "compact", file.toString()));
    }

    /**
     * Decodes every frame of a file and returns FFmpeg's error output (empty when clean).
     *
     * @param file a media file
     * @return errors printed while decoding
     * @throws Exception when ffmpeg fails
     */
    public String decodeErrors(Path file) throws Exception {
        return run("decode-" + file.getFileName(), Duration.ofSeconds(60), List.of(require("ffmpeg"), "-v", "error",
                "-i", file.toString(), "-f", "null", "-")).strip();
    }

    /**
     * Starts nginx with the RTMP module: application {@code live} on the port.
     *
     * @param name log and folder name
     * @param port the RTMP port
     * @return the process
     * @throws IOException when it cannot start
     */
    public Process nginxRtmp(String name, int port) throws IOException {
        String nginx = require("nginx");
        if (!Files.exists(NGINX_RTMP_MODULE)) {
            throw new AssertionError("nginx's RTMP module is missing: " + INSTALL);
        }
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("nginx.conf"), "load_module " + NGINX_RTMP_MODULE + ";\n"
                + "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + d.resolve("nginx.pid") + ";\n"
                + "error_log " + d.resolve("error.log") + " info;\n"
                + "events { worker_connections 1024; }\n"
                + "rtmp { server { listen 127.0.0.1:" + port + "; chunk_size 4096;\n"
                + "  application live { live on; } } }\n");
        return start(name, List.of(nginx, "-p", d.toString(), "-e", d.resolve("error.log").toString(), "-c", d.resolve(
                "nginx.conf").toString()));
    }

    /**
     * Waits until something accepts TCP connections on the port.
     *
     * @param port the port
     * @param timeout the most to wait
     * @throws InterruptedException when interrupted
     */
    public static void awaitPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                if (s.isConnected()) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nothing listens on port " + port + " after " + timeout);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
