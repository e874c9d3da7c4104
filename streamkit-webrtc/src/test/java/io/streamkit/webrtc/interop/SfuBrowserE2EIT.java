package io.streamkit.webrtc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamkit.webrtc.sfu.PeerStats;
import io.streamkit.webrtc.sfu.SfuServer;
import io.streamkit.webrtc.sfu.SfuStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Headless Chromium participants (Debian's {@code chromium}, driven by
 * {@code src/test/e2e/sfu-room.mjs} through playwright-core, fake camera and microphone) in one
 * room of a real {@link SfuServer}, through its demo page: every participant decodes video and
 * receives audio from every other one, a mute is seen by the others, a closed tab leaves the room,
 * and the room is deleted when everyone is gone. A second scenario drops 4% of the RTP the SFU
 * sends to the browsers: the browsers' NACKs are answered with RTX retransmissions and video keeps
 * decoding.
 */
class SfuBrowserE2EIT {
    private static final String INSTALL = "apt-get install -y chromium nodejs npm";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path E2E = Path.of("src", "test", "e2e").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private SfuServer sfu;
    private LossyMediaRelay relay;

    @BeforeAll
    static void browserAndScript() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError(
                    CHROMIUM + " is missing: the SFU browser test needs Debian's Chromium: " + INSTALL);
        }
        if (!Files.exists(E2E.resolve("node_modules/playwright-core/package.json"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(E2E.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new AssertionError("npm ci in " + E2E + " failed (needs " + INSTALL + "): " + out);
            }
        }
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stop() {
        if (sfu != null) {
            sfu.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void threeBrowsersSeeAndHearEachOtherMuteAndLeave() throws Exception {
        sfu = SfuServer.builder().host("127.0.0.1").httpPort(0).udpPort(0).reconnectGrace(Duration.ofSeconds(1))
                .clientPage(true).build().start();
        Map<String, JsonNode> steps = run("room-a", 3, false);
        JsonNode joined = steps.get("joined");
        assertEquals(3, joined.get("peers").size());
        List<JsonNode> media = mediaSteps(steps);
        assertEquals(3, media.size(), "every participant reported its media: " + steps.keySet());
        for (JsonNode m : media) {
            JsonNode reports = m.get("publisherReports").get("video");
            assertTrue(reports.get("roundTripTime").asDouble() >= 0 && reports.get("packetsLost").asLong() >= 0,
                    "the browser measured RTT from the SFU's receiver reports: " + reports);
            JsonNode stats = m.get("stats");
            assertEquals(2, stats.size(), "two remote participants seen by " + m.get("peerId") + ": " + stats);
            stats.properties().forEach(e -> {
                JsonNode video = e.getValue().get("video");
                assertTrue(video.get("framesDecoded").asLong() >= 30,
                        "video decoded from " + e.getKey() + ": " + video);
                assertEquals(640, video.get("frameWidth").asInt(), "the fake camera's width: " + video);
                assertEquals(360, video.get("frameHeight").asInt());
                assertTrue(e.getValue().get("audio").get("totalSamplesReceived").asLong() > 4800,
                        "audio received from " + e.getKey());
            });
        }
        assertTrue(steps.containsKey("muted") && steps.containsKey("left") && steps.containsKey("done"), steps
                .keySet().toString());
        assertEquals(0, steps.get("left").get("errors").size(), "no signaling or negotiation error in the "
                + "browsers, also after the renegotiation that follows a leave: " + steps.get("left"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!sfu.hub().rooms().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(sfu.hub().rooms().isEmpty(), "the room is deleted when everyone left: " + sfu.hub().rooms());
        SfuStats stats = sfu.stats();
        assertTrue(stats.packetsForwarded() > 1000, "packets forwarded: " + stats);
        assertEquals(0, stats.dtlsFailures(), "no DTLS failure: " + stats);
        assertEquals(0, stats.srtpErrors(), "no SRTP failure: " + stats);
        assertTrue(stats.peers().isEmpty(), "every participant's media is closed: " + stats.peers());
    }

    @Test
    void lossTowardsTheBrowsersIsRepairedByNack() throws Exception {
        relay = new LossyMediaRelay(0.04, 42);
        sfu = SfuServer.builder().host("127.0.0.1").httpPort(0).udpPort(0).announcedPort(relay.port())
                .reconnectGrace(Duration.ofSeconds(1)).clientPage(true).build().start();
        relay.start(sfu.mediaAddress());
        Map<String, List<PeerStats>> during = new LinkedHashMap<>();
        Map<String, JsonNode> steps = run("room-loss", 2, true, () -> during.put("stats", sfu.stats().peers()));
        for (JsonNode m : mediaSteps(steps)) {
            m.get("stats").properties().forEach(e -> {
                JsonNode video = e.getValue().get("video");
                assertTrue(video.get("nackCount").asLong() > 0, "the browser NACKed lost packets: " + video);
                assertTrue(video.get("retransmittedPacketsReceived").asLong() > 0, "and received RTX: " + video);
                assertTrue(video.get("framesDecoded").asLong() >= 150, "video keeps decoding: " + video);
            });
        }
        assertTrue(relay.dropped.get() > 20, "the relay dropped packets: " + relay.dropped);
        long retransmissions = during.get("stats").stream().mapToLong(PeerStats::retransmissions).sum();
        long nacks = during.get("stats").stream().mapToLong(PeerStats::nacksReceived).sum();
        assertTrue(nacks > 0 && retransmissions > 0, "the SFU counted NACKs " + nacks + " and RTX " + retransmissions);
    }

    @Test
    void lossFromThePublishersIsRepairedByNackToThem() throws Exception {
        relay = new LossyMediaRelay(0, 0.04, 7);
        sfu = SfuServer.builder().host("127.0.0.1").httpPort(0).udpPort(0).announcedPort(relay.port())
                .reconnectGrace(Duration.ofSeconds(1)).clientPage(true).build().start();
        relay.start(sfu.mediaAddress());
        // the browsers' own repair criterion (RTX received from the SFU) does not apply: what the SFU
        // repaired upstream reaches them as ordinary packets
        Map<String, JsonNode> steps = run("room-uplink-loss", 2, false);
        for (JsonNode m : mediaSteps(steps)) {
            m.get("stats").properties().forEach(e -> {
                JsonNode video = e.getValue().get("video");
                assertTrue(video.get("framesDecoded").asLong() >= 30, "video decodes: " + video);
            });
        }
        SfuStats stats = sfu.stats();
        assertTrue(relay.dropped.get() > 5, "the relay dropped publishers' packets: " + relay.dropped);
        LoggerFactory.getLogger(SfuBrowserE2EIT.class).info("uplink loss: relay dropped {}; NACKs to publishers {}, "
                + "repaired {}, unrepaired {}", relay.dropped, stats.nacksSentToPublishers(),
                stats
                        .packetsRepairedFromPublishers(),
                stats.lossesUnrepaired());
        assertTrue(stats.nacksSentToPublishers() > 0, "the SFU NACKed the publishers: " + stats);
        assertTrue(stats.packetsRepairedFromPublishers() > 0, "their retransmissions repaired losses: " + stats);
        assertTrue(stats.packetsRepairedFromPublishers() >= stats.lossesUnrepaired(), "most losses are repaired: "
                + stats + ", relay dropped " + relay.dropped);
    }

    private static List<JsonNode> mediaSteps(Map<String, JsonNode> steps) {
        List<JsonNode> media = new ArrayList<>();
        steps.forEach((k, v) -> {
            if (k.startsWith("media")) {
                media.add(v);
            }
        });
        return media;
    }

    private Map<String, JsonNode> run(String room, int participants, boolean repair) throws Exception {
        return run(room, participants, repair, () -> {
        });
    }

    /** Runs the script; {@code afterMedia} runs when the last participant reported its media. */
    private Map<String, JsonNode> run(String room, int participants, boolean repair, Runnable afterMedia)
            throws Exception {
        String base = "http://127.0.0.1:" + sfu.signalingAddress().getPort();
        List<String> cmd = new ArrayList<>(List.of("node", "sfu-room.mjs", base, room, String.valueOf(participants),
                SCREENSHOTS.toString()));
        if (repair) {
            cmd.add("repair");
        }
        Path stderr = Files.createTempFile("sfu-room", ".log");
        Process node = new ProcessBuilder(cmd).directory(E2E.toFile()).redirectError(stderr.toFile()).start();
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        int mediaCount = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode step = JSON.readTree(line);
                String name = step.get("step").asText();
                if (name.equals("media")) {
                    name = "media" + step.get("page").asInt();
                    if (++mediaCount == participants) {
                        afterMedia.run();
                    }
                }
                steps.put(name, step);
                if (name.equals("failed")) {
                    throw new AssertionError("the browsers failed: " + step.get("error").asText() + "\n" + tail(
                            stderr));
                }
            }
        } finally {
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
        assertEquals(0, node.exitValue(), "sfu-room.mjs exit status; its log:\n" + tail(stderr));
        return steps;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
