package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamState;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.relay.hls.HlsFormat;
import io.streamkit.relay.hls.HlsOptions;
import io.streamkit.relay.hls.HlsServer;
import io.streamkit.relay.rtmp.RtmpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live HLS played by a real web player: hls.js (pinned in {@code src/test/e2e/package.json}, served
 * from {@code node_modules}) in Debian's headless Chromium, driven by
 * {@code src/test/e2e/hls-playback.mjs} (playwright-core, no bundled browser). Debian's ffmpeg
 * publishes a 1280x720 30 fps H.264 + AAC test signal over RTMP in real time (GOP 2 s); an
 * {@link HlsServer} packages it; the page, served by the script from another port (so every HLS
 * response needs its CORS headers), plays {@code index.m3u8} muted with autoplay. For fMP4, MPEG-TS
 * and low-latency fMP4 (hls.js {@code lowLatencyMode}) the test checks that the rendered frame count
 * rises past 90 and is still rising at the end, that the picture is 1280x720, and that hls.js
 * reported no fatal error; in low-latency mode also that hls.js loaded partial segments through
 * blocking playlist reloads. The latency hls.js computes is logged. A screenshot of each mode goes
 * to {@code target/e2e-screenshots/}.
 */
class HlsPlaybackE2EIT {
    private static final Logger log = LoggerFactory.getLogger(HlsPlaybackE2EIT.class);
    private static final String INSTALL = "apt-get install -y chromium nodejs npm";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path E2E = Path.of("src", "test", "e2e").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots").toAbsolutePath();
    private static final Duration T = Duration.ofSeconds(30);
    /** The most the browser may play before the script reports (the whole mode stays under 60 s). */
    private static final int PLAY_SECONDS = 35;
    /** The script stops once this many frames were rendered (8 s at 30 fps). */
    private static final int TARGET_FRAMES = 240;
    private static final int MIN_FRAMES = 90;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Peers peers;
    private StreamKit kit;
    private int rtmpPort;

    @BeforeAll
    static void browserAndScript() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError(CHROMIUM + " is missing: the HLS playback test needs Debian's Chromium: "
                    + INSTALL);
        }
        Peers.require("node");
        Peers.require("npm");
        if (!Files.exists(E2E.resolve("node_modules/hls.js/dist/hls.min.js")) || !Files.exists(E2E.resolve(
                "node_modules/playwright-core/package.json"))) {
            Process npm = new ProcessBuilder(Peers.require("npm"), "ci", "--no-audit", "--no-fund",
                    "--loglevel=error").directory(E2E.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new AssertionError("npm ci in " + E2E + " failed: " + out);
            }
        }
        Files.createDirectories(SCREENSHOTS);
    }

    @BeforeEach
    void start() {
        peers = new Peers(dir);
        kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build();
        rtmpPort = RtmpServer.builder(kit).host("127.0.0.1").port(0).build().start().localAddress().getPort();
    }

    @AfterEach
    void stop() {
        peers.close();
        kit.close();
    }

    @Test
    void fmp4() throws Exception {
        JsonNode r = play("fmp4", HlsOptions.defaults());
        assertTrue(r.path("requests").path("segments").asInt() > 0, "hls.js fetched segN.m4s: " + r.path(
                "requests"));
    }

    @Test
    void mpegTs() throws Exception {
        JsonNode r = play("mpegts", HlsOptions.defaults().withFormat(HlsFormat.MPEG_TS));
        assertTrue(r.path("requests").path("segments").asInt() > 0, "hls.js fetched segN.ts: " + r.path(
                "requests"));
        assertEquals(0, r.path("requests").path("init").asInt(), "no initialization segment in MPEG-TS");
    }

    @Test
    void lowLatency() throws Exception {
        JsonNode r = play("low-latency", HlsOptions.defaults().withLowLatency(true));
        JsonNode requests = r.path("requests");
        assertTrue(r.path("partsLoaded").asInt() > 10, "hls.js loaded partial segments (FRAG_LOADED with a part): "
                + r.path("partsLoaded") + ", " + requests);
        assertTrue(requests.path("parts").asInt() > 10, "the browser requested partN.I.m4s: " + requests);
        assertTrue(requests.path("blocking").asInt() > 10, "hls.js reloaded the playlist with _HLS_msn/_HLS_part: "
                + requests);
        JsonNode level = r.path("lastLevel");
        assertTrue(level.path("canBlockReload").asBoolean(), "hls.js read CAN-BLOCK-RELOAD: " + level);
        assertEquals(0.3, level.path("partTarget").asDouble(), 1e-9, "hls.js read PART-TARGET: " + level);
        assertTrue(r.path("last").path("latency").isNumber(), "hls.js computed a latency: " + r.path("last"));
    }

    /**
     * Publishes, plays the stream in the browser and checks what every mode must do.
     *
     * @return the script's result
     */
    private JsonNode play(String name, HlsOptions options) throws Exception {
        HlsServer hls = HlsServer.builder(kit).host("127.0.0.1").port(0).options(options).build().start();
        String url = "http://127.0.0.1:" + hls.localAddress().getPort() + "/live/show/index.m3u8";
        peers.publish("publisher", PLAY_SECONDS + 20, "rtmp://127.0.0.1:" + rtmpPort + "/live/show");
        RecordingSink.await(T, () -> kit.findStream("live/show").map(s -> s.state() == StreamState.LIVE).orElse(
                false), "the RTMP publish");

        JsonNode r = runScript(name, url, options.lowLatency());
        JsonNode last = r.path("last");
        log.info("hls.js {} in Chromium: first frame after {} ms, {} frames ({} dropped), {}x{}, latency {} s "
                + "(target {} s), edge distance {} s, stalls {}, non-fatal errors {}, segments {}, parts {}, "
                + "requests {}", name, r.path("firstFrameMs"), last.path("frames"), last.path("dropped"),
                last.path(
                        "width"),
                last.path("height"), last.path("latency"), last.path("targetLatency"), last.path(
                        "edgeDistance"),
                r.path("stalls"), r.path("errors"), r.path("segmentsLoaded"), r
                        .path("partsLoaded"),
                r.path("requests"));

        assertEquals(0, r.path("fatal").size(), () -> "hls.js reported a fatal error: " + r.path("fatal")
                + "\nnon-fatal: " + r.path("errors") + "\nrequests: " + r.path("requests") + "\n" + serverLog());
        assertEquals(1280, last.path("width").asInt(), "video width: " + last);
        assertEquals(720, last.path("height").asInt(), "video height: " + last);
        int frames = last.path("frames").asInt();
        assertTrue(frames >= MIN_FRAMES, "frames rendered: " + frames + "; samples " + frameSeries(r));
        JsonNode samples = r.path("samples");
        int earlier = samples.get(Math.max(0, samples.size() - 5)).path("frames").asInt();
        assertTrue(frames > earlier, "frames still rising over the last 2 s: " + frameSeries(r));
        assertTrue(last.path("currentTime").asDouble() > 2, "the playhead moved: " + last);
        assertTrue(r.path("requests").path("failed").isEmpty(), "no request failed: " + r.path("requests"));
        return r;
    }

    private static List<Integer> frameSeries(JsonNode r) {
        List<Integer> frames = new ArrayList<>();
        r.path("samples").forEach(s -> frames.add(s.path("frames").asInt()));
        return frames;
    }

    /** Runs hls-playback.mjs to its end and returns its result line. */
    private JsonNode runScript(String name, String playlistUrl, boolean lowLatency) throws Exception {
        Path stdout = dir.resolve("hls-" + name + ".out");
        Path stderr = dir.resolve("hls-" + name + ".log");
        List<String> cmd = new ArrayList<>(List.of(Peers.require("node"), "hls-playback.mjs", playlistUrl,
                SCREENSHOTS.toString(), "hls-" + name, "frames=" + TARGET_FRAMES, "seconds=" + PLAY_SECONDS));
        if (lowLatency) {
            cmd.add("lowLatency=1");
        }
        Process node = new ProcessBuilder(cmd).directory(E2E.toFile()).redirectOutput(stdout.toFile()).redirectError(
                stderr.toFile()).start();
        try {
            if (!node.waitFor(PLAY_SECONDS + 40, TimeUnit.SECONDS)) {
                fail("the playback script did not finish within " + (PLAY_SECONDS + 40) + " s\n" + tail(stderr));
            }
            JsonNode result = null;
            for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
                JsonNode step = JSON.readTree(line);
                switch (step.path("step").asText()) {
                    case "result" -> result = step;
                    case "failed" -> fail("the playback script failed: " + step.path("error").asText() + "\n" + tail(
                            stderr));
                    default -> {
                        // launched, done
                    }
                }
            }
            assertEquals(0, node.exitValue(), () -> "the playback script failed: " + tail(stderr));
            if (result == null) {
                fail("the playback script printed no result\n" + tail(stderr));
            }
            return result;
        } finally {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
            node.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private String serverLog() {
        try {
            return "publisher: " + peers.log("publisher");
        } catch (IOException e) {
            return "(no publisher log: " + e + ")";
        }
    }

    private static String tail(Path log) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
