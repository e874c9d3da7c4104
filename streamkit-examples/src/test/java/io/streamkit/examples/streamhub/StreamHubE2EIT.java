package io.streamkit.examples.streamhub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamkit.api.StreamState;
import io.streamkit.examples.StreamHubApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The StreamHub app end to end in Debian's headless Chromium, driven by
 * {@code src/test/e2e/streamhub.mjs} (playwright-core, no bundled browser): a streamer page
 * registers and shows its RTMP URL; Debian's ffmpeg publishes to it (and is refused with a wrong
 * secret); two viewer pages pick the stream from the list, play it through hls.js (Low-Latency HLS)
 * and must render frames of the published size; a chat message typed on one viewer page appears on
 * the other and on the streamer page (as text, not markup); the streamer's viewer count goes
 * 0 → 1 → 2 and back to 1 when a viewer tab closes. Screenshots go to
 * {@code target/e2e-screenshots/}.
 */
@Timeout(300)
class StreamHubE2EIT {
    private static final Logger log = LoggerFactory.getLogger(StreamHubE2EIT.class);
    private static final String INSTALL = "apt-get install -y chromium nodejs npm ffmpeg";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path E2E = Path.of("src", "test", "e2e").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void streamerAndTwoViewersWatchAndChat() throws Exception {
        prepare();
        StreamHubApp app = new StreamHubApp();
        new CommandLine(app).parseArgs("--host", "127.0.0.1", "--http-port", "0", "--rtmp-port", "0", "--hls-port",
                "0");
        List<Process> processes = new ArrayList<>();
        try (StreamHubApp.Running hub = app.start()) {
            Path stderr = dir.resolve("streamhub.log");
            Process node = new ProcessBuilder(tool("node"), "streamhub.mjs", "http://127.0.0.1:" + hub.httpPort(),
                    SCREENSHOTS.toString()).directory(E2E.toFile()).redirectError(stderr.toFile()).start();
            processes.add(node);
            BlockingQueue<JsonNode> steps = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> readSteps(node, steps), "streamhub-script");
            reader.setDaemon(true);
            reader.start();

            JsonNode streamer = step(steps, "streamer", 60, stderr);
            String key = streamer.path("streamKey").asText();
            String rtmpUrl = streamer.path("rtmpUrl").asText();
            assertEquals("rtmp://127.0.0.1:" + hub.rtmpPort() + "/live/" + key + "?secret=", rtmpUrl.substring(0,
                    rtmpUrl.indexOf("?secret=") + 8), "the streamer page shows where to publish");
            assertTrue(streamer.path("shownKey").asText().startsWith(key + "?secret="), streamer.toString());

            // a wrong secret is refused before any media flows
            Process wrong = new ProcessBuilder(publishCommand(rtmpUrl.substring(0, rtmpUrl.indexOf("?secret=") + 8)
                    + "wrong", 5)).redirectErrorStream(true).redirectOutput(dir.resolve("wrong.log").toFile())
                    .start();
            processes.add(wrong);
            assertTrue(wrong.waitFor(30, TimeUnit.SECONDS), "ffmpeg with a wrong secret gives up");
            assertNotEquals(0, wrong.exitValue(), "ffmpeg reports the refusal: " + Files.readString(dir.resolve(
                    "wrong.log")));
            assertEquals(1, hub.audience().stats().publishRejected(), "the refusal is counted");

            Process ffmpeg = new ProcessBuilder(publishCommand(rtmpUrl, 150)).redirectErrorStream(true).redirectOutput(
                    dir.resolve("ffmpeg.log").toFile()).start();
            processes.add(ffmpeg);
            await("the RTMP publish is live", 30, () -> hub.kit().findStream("live/" + key).map(s -> s
                    .state() == StreamState.LIVE).orElse(false) && hub.audience().stream(key).orElseThrow().live());
            try (OutputStream in = node.getOutputStream()) {
                in.write("live\n".getBytes(StandardCharsets.UTF_8));
            }

            JsonNode r = step(steps, "result", 240, stderr);
            log.info("StreamHub in Chromium: {}", r.path("playing"));
            for (String viewer : List.of("bob", "carol")) {
                JsonNode first = r.path("playing").path(viewer).path("first");
                JsonNode later = r.path("playing").path(viewer).path("later");
                assertTrue(first.path("frames").asInt() >= 60, viewer + " rendered frames: " + first);
                assertTrue(later.path("frames").asInt() > first.path("frames").asInt(), viewer
                        + "'s frames still rising: " + first + " then " + later);
                assertEquals(640, later.path("width").asInt(), viewer + " video width: " + later);
                assertEquals(360, later.path("height").asInt(), viewer + " video height: " + later);
                assertEquals("1.4.12", r.path("before").path(viewer).path("hlsVersion").asText());
            }

            String chat = r.path("chat").asText();
            long id = -1;
            for (String page : List.of("alice", "bob", "carol")) {
                JsonNode s = r.path("before").path(page);
                assertEquals(0, s.path("errors").size(), page + " got no ERROR: " + s.path("errors"));
                JsonNode messages = s.path("chat");
                assertEquals(1, messages.size(), page + "'s chat: " + messages);
                assertEquals(chat, messages.get(0).path("content").asText());
                assertEquals("bob", messages.get(0).path("from").asText());
                if (id < 0) {
                    id = messages.get(0).path("id").asLong();
                }
                assertEquals(id, messages.get(0).path("id").asLong(), "one message id on every page");
                assertTrue(s.path("chatText").asText().contains(chat), page + " shows the text: " + s.path(
                        "chatText"));
                assertEquals(0, s.path("chatElements").asInt(), page + " did not interpret the message as markup");
            }

            JsonNode before = r.path("before").path("alice");
            JsonNode after = r.path("after").path("alice");
            assertEquals("[0,1,2]", before.path("viewerCountLog").toString(), "the streamer saw 0 -> 1 -> 2");
            assertEquals("[0,1,2,1]", after.path("viewerCountLog").toString(), "then 1 when a tab closed");
            assertEquals(1, after.path("viewers").size(), after.path("viewers").toString());
            assertEquals("bob", after.path("viewers").get(0).path("username").asText());
            assertEquals(1, hub.audience().stream(key).orElseThrow().viewerCount(), "the server agrees");

            step(steps, "done", 30, stderr);
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the script exits");
            assertEquals(0, node.exitValue());
        } finally {
            for (Process p : processes) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** FFmpeg publishing a 640x360 25 fps H.264 + AAC test signal in real time. */
    private static List<String> publishCommand(String url, int seconds) {
        return List.of("ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=25", "-f", "lavfi",
                "-i", "sine=f=440:r=48000", "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast",
                "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", url);
    }

    private static void readSteps(Process node, BlockingQueue<JsonNode> steps) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                try {
                    steps.add(JSON.readTree(line));
                } catch (IOException e) {
                    log.warn("not a step line from the script: {}", line);
                }
            }
        } catch (IOException e) {
            log.warn("reading the script's output: {}", e.toString());
        }
    }

    /** The next step of the given name; fails on a "failed" step or after the timeout. */
    private static JsonNode step(BlockingQueue<JsonNode> steps, String name, int seconds, Path stderr)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            JsonNode s = steps.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s == null) {
                fail("no '" + name + "' step from the script within " + seconds + " s\n" + tail(stderr));
            }
            String step = s.path("step").asText();
            if (step.equals("failed")) {
                fail("the script failed: " + s.path("error").asText() + "\n" + tail(stderr));
            }
            if (step.equals(name)) {
                return s;
            }
        }
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail(what + ": not within " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void prepare() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: the StreamHub browser test needs Debian's Chromium: " + INSTALL);
        }
        tool("ffmpeg");
        if (!Files.exists(E2E.resolve("node_modules/playwright-core/package.json"))) {
            Process npm = new ProcessBuilder(tool("npm"), "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(E2E.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                fail("npm ci in " + E2E + " failed: " + out);
            }
        }
        Files.createDirectories(SCREENSHOTS);
    }

    /** The absolute path of a tool on the PATH, or a failure that says how to install it. */
    private static String tool(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        fail(name + " is missing: " + INSTALL);
        return name;
    }
}
