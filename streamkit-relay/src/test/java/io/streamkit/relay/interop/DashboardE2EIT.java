package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamState;
import io.streamkit.api.StreamStats;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.relay.control.Actor;
import io.streamkit.relay.control.Restreamer;
import io.streamkit.relay.control.model.AuditQuery;
import io.streamkit.relay.control.model.InputDef;
import io.streamkit.relay.control.model.OutputDef;
import io.streamkit.relay.rtmp.RtmpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restreamer's dashboard in a real browser: Debian's headless Chromium, driven by
 * {@code src/test/e2e/dashboard.mjs} (playwright-core from npm, no bundled browser). The script
 * signs in, adds an input, reads its stream key from the page, has this test start FFmpeg on it,
 * adds an output to a second RTMP server in this JVM, and disables it again; this test checks at
 * each step that the media really flows (or stops) at the destination. A second scenario checks
 * that a VIEWER sees no editing controls and that the API refuses its changes. Screenshots of every
 * step go to {@code target/e2e-screenshots/}.
 *
 * <p>The script reports one JSON object per line on its standard output and, when it needs the
 * test ({@code need-publish}, {@code need-check}), waits for a {@code {"ok":...}} line on its
 * standard input.
 */
class DashboardE2EIT {
    private static final String INSTALL = "apt-get install -y chromium nodejs npm";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path E2E = Path.of("src", "test", "e2e").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots").toAbsolutePath();
    private static final Duration T = Duration.ofSeconds(60);
    private static final Duration SCENARIO = Duration.ofMinutes(6);
    private static final String ADMIN = "admin@example.com";
    private static final String ADMIN_PASSWORD = "correct-horse-battery";
    private static final String DESTINATION_PATH = "live/copy";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Peers peers;
    private StreamKit kit;
    private StreamKit otherKit;
    private Restreamer restreamer;
    private RtmpServer destination;
    private String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void browserAndScript() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError(CHROMIUM + " is missing: the dashboard test needs Debian's Chromium: "
                    + INSTALL);
        }
        Peers.require("node");
        Peers.require("npm");
        Path lock = E2E.resolve("node_modules/playwright-core/package.json");
        if (!Files.exists(lock)) {
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
        otherKit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build();
        destination = RtmpServer.builder(otherKit).host("127.0.0.1").port(0).build().start();
        restreamer = Restreamer.builder(kit).host("127.0.0.1").httpPort(0).rtmpPort(0).srtPort(0)
                .passwordIterations(1000).initialAdmin(ADMIN, ADMIN_PASSWORD).start();
        baseUrl = "http://127.0.0.1:" + restreamer.httpAddress().getPort() + "/";
    }

    @AfterEach
    void stop() {
        peers.close();
        restreamer.close();
        kit.close();
        otherKit.close();
    }

    @Test
    void operatorPublishesRestreamsAndStopsAnOutputFromTheBrowser() throws Exception {
        String dest = "rtmp://127.0.0.1:" + destination.localAddress().getPort() + "/" + DESTINATION_PATH;
        Map<String, JsonNode> steps = runScenario("operator", Map.of("email", ADMIN, "password", ADMIN_PASSWORD,
                "dest", dest), this::operatorRequest);

        assertTrue(steps.get("input-validation").path("message").asText().contains("must be 1 to 64 characters"),
                "the server's message is shown next to the name: " + steps.get("input-validation"));
        assertTrue(steps.get("output-live").path("urlMessage").asText().contains("rtmp://"),
                "the server's message is shown next to the URL: " + steps.get("output-live"));
        assertTrue(steps.get("input-live").path("bps").asLong() > 0, "the page showed the input's bitrate: "
                + steps.get("input-live"));
        assertFalse(steps.get("output-live").path("shownUrl").asText().contains("copy"),
                "the output's URL is shown redacted: " + steps.get("output-live"));

        InputDef input = restreamer.service().inputs(Actor.system()).stream().filter(i -> i.name().equals(
                "Studio A")).findFirst().orElseThrow(() -> new AssertionError("the input was not created"));
        assertEquals(steps.get("input-added").path("key").asText(), input.streamKey(),
                "the page showed the input's real stream key");
        List<OutputDef> outputs = restreamer.service().outputs(Actor.system(), input.id());
        assertEquals(1, outputs.size(), "one output: " + outputs);
        assertEquals(dest, outputs.get(0).url());
        assertFalse(outputs.get(0).enabled(), "the output was disabled from the page");
        List<String> actions = restreamer.service().audit(Actor.system(), AuditQuery.latest(100)).stream().map(
                e -> e.actor() + " " + e.action()).toList();
        for (String a : List.of("input.create", "output.create", "output.disable", "connection.kick")) {
            assertTrue(actions.contains(ADMIN + " " + a), a + " by the admin is audited: " + actions);
        }
    }

    @Test
    void viewerSeesNoEditingControlsAndTheApiRefusesItsChanges() throws Exception {
        String adminToken = login(ADMIN, ADMIN_PASSWORD);
        JsonNode viewer = call("POST", "/users", adminToken, Map.of("email", "viewer@example.com", "password",
                "viewer-password-1", "role", "VIEWER"), 201);
        assertEquals("VIEWER", viewer.path("role").asText());
        JsonNode input = call("POST", "/inputs", adminToken, Map.of("name", "Main feed", "kind", "RTMP"), 201);
        call("POST", "/inputs/" + input.path("id").asText() + "/outputs", adminToken, Map.of("name", "YouTube",
                "url", "rtmp://127.0.0.1:" + destination.localAddress().getPort() + "/live/yt"), 201);

        String viewerToken = login("viewer@example.com", "viewer-password-1");
        JsonNode refused = call("DELETE", "/inputs/" + input.path("id").asText(), viewerToken, null, 403);
        assertTrue(refused.path("detail").asText().contains("VIEWER"), "the problem says why: " + refused);
        call("GET", "/users", viewerToken, null, 403);

        Map<String, JsonNode> steps = runScenario("viewer", Map.of("email", "viewer@example.com", "password",
                "viewer-password-1"), (step, reply) -> {
                    throw new AssertionError("the viewer scenario asks nothing: " + step);
                });
        JsonNode forbidden = steps.get("forbidden");
        assertEquals(403, forbidden.path("status").asInt(), "the API refuses the VIEWER's change: " + forbidden);
        assertTrue(forbidden.path("contentType").asText().startsWith("application/problem+json"), forbidden
                .toString());
        assertTrue(steps.get("viewer-read-only").path("tooltip").asText().contains("VIEWER"), steps.get(
                "viewer-read-only").toString());
        assertEquals(1, restreamer.service().inputs(Actor.system()).size(), "nothing was created or deleted");
    }

    /** Answers the operator scenario's requests. */
    private void operatorRequest(JsonNode step, Writer reply) throws Exception {
        switch (step.path("step").asText() + " " + step.path("check").asText()) {
            case "need-publish " -> {
                String key = step.path("key").asText();
                String url = "rtmp://127.0.0.1:" + restreamer.rtmpAddress().getPort() + "/" + key;
                assertEquals(url, step.path("ingestUrl").asText(), "the page shows the ingest URL");
                peers.start("ffmpeg-publisher", List.of(Peers.require("ffmpeg"), "-hide_banner", "-loglevel",
                        "warning", "-re", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25", "-f", "lavfi", "-i",
                        "sine", "-t", "240", "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt",
                        "yuv420p", "-c:a", "aac", "-f", "flv", url));
                answer(reply, null);
            }
            case "need-check destination-live" -> answer(reply, check(() -> {
                RecordingSink.await(T, () -> destination().map(s -> s.state() == StreamState.LIVE).orElse(false),
                        "the destination stream " + DESTINATION_PATH + " to be live");
                long before = destination().map(StreamStats::bytesIn).orElse(0L);
                Thread.sleep(1500);
                long after = destination().map(StreamStats::bytesIn).orElse(0L);
                assertTrue(after > before, "the destination keeps receiving: " + before + " -> " + after);
            }));
            case "need-check destination-stopped" -> answer(reply, check(() -> {
                RecordingSink.await(T, () -> destination().map(s -> s.state() != StreamState.LIVE).orElse(true),
                        "the destination stream to stop");
                long before = destination().map(StreamStats::bytesIn).orElse(0L);
                Thread.sleep(1500);
                long after = destination().map(StreamStats::bytesIn).orElse(0L);
                assertEquals(before, after, "the destination receives nothing any more");
                assertTrue(kit.findStream(restreamer.service().inputs(Actor.system()).get(0).streamKey()).map(
                        s -> s.stats().state() == StreamState.LIVE).orElse(false), "the input is still live");
            }));
            default -> throw new AssertionError("unexpected request from the script: " + step);
        }
    }

    private Optional<StreamStats> destination() {
        return otherKit.findStream(DESTINATION_PATH).map(s -> s.stats());
    }

    /** A check whose failure is answered to the script rather than thrown. */
    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }

    private static String check(Check c) {
        try {
            c.run();
            return null;
        } catch (AssertionError | Exception e) {
            return e.getMessage();
        }
    }

    private static void answer(Writer reply, String error) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", error == null);
        if (error != null) {
            m.put("error", error);
        }
        reply.write(JSON.writeValueAsString(m) + "\n");
        reply.flush();
    }

    /** Handles a request line of the script. */
    @FunctionalInterface
    private interface Requests {
        void handle(JsonNode step, Writer reply) throws Exception;
    }

    /**
     * Runs one scenario of the script to its end.
     *
     * @return the steps it reported, by name
     */
    private Map<String, JsonNode> runScenario(String scenario, Map<String, String> args, Requests requests)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("node"), "dashboard.mjs", baseUrl, SCREENSHOTS
                .toString(), scenario));
        args.forEach((k, v) -> cmd.add(k + "=" + v));
        Path stderr = dir.resolve("dashboard-" + scenario + ".log");
        Process node = new ProcessBuilder(cmd).directory(E2E.toFile()).redirectError(stderr.toFile()).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("{\"step\":\"failed\",\"error\":\"reading the script's output: " + e.getMessage() + "\"}");
            }
            lines.add("{\"step\":\"eof\"}");
        }, "dashboard-e2e-reader");
        reader.setDaemon(true);
        reader.start();
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        long deadline = System.nanoTime() + SCENARIO.toNanos();
        try (Writer reply = new java.io.OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("the " + scenario + " scenario did not finish within " + SCENARIO + "; steps " + steps
                            .keySet() + "\n" + tail(stderr));
                }
                JsonNode step;
                try {
                    step = JSON.readTree(line);
                } catch (IOException e) {
                    fail("the script printed a line that is not JSON: " + line);
                    return steps;
                }
                String name = step.path("step").asText();
                if (name.startsWith("need-")) {
                    requests.handle(step, reply);
                    continue;
                }
                if (name.equals("failed") || name.equals("eof")) {
                    String last = steps.isEmpty() ? "start" : new ArrayList<>(steps.keySet()).get(steps.size() - 1);
                    fail("the " + scenario + " scenario failed after step " + last + ": " + step.path("error")
                            .asText(line) + "\nscreenshot: " + step.path("screenshot").asText("none") + "\nffmpeg: "
                            + peers.log("ffmpeg-publisher") + "\nbrowser log:\n" + tail(stderr));
                }
                steps.put(name, step);
                if (name.equals("done")) {
                    break;
                }
            }
            assertEquals(0, Peers.await(node, T), () -> "the script failed: " + tail(stderr));
        } finally {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
        }
        return steps;
    }

    private static String tail(Path log) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private String login(String email, String password) throws Exception {
        return call("POST", "/auth/login", null, Map.of("email", email, "password", password), 200).path(
                "accessToken").asText();
    }

    private JsonNode call(String method, String path, String token, Object body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "api/v1" + path)).timeout(T).method(
                method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, res.statusCode(), () -> method + " " + path + ": " + res.body());
        return res.body().isEmpty() ? JSON.nullNode() : JSON.readTree(res.body());
    }
}
