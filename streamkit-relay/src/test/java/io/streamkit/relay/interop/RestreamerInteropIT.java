package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamState;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.relay.control.ApiClient;
import io.streamkit.relay.control.Restreamer;
import io.streamkit.relay.rtmp.RtmpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restreamer driven through its REST API against real FFmpeg peers: RTMP and SRT inputs with
 * generated keys, outputs to another RTMP server turned on and off live, kicking a connection.
 */
class RestreamerInteropIT {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private Peers peers;
    private StreamKit kit;
    private StreamKit destKit;
    private Restreamer restreamer;
    private int destPort;
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        peers = new Peers(dir);
        kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build();
        restreamer = Restreamer.builder(kit).host("127.0.0.1").httpPort(0).rtmpPort(0).srtPort(0).dataDir(dir.resolve(
                "data")).passwordIterations(1000).initialAdmin("admin@example.com", "correct-horse-battery").start();
        destKit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build();
        destPort = RtmpServer.builder(destKit).host("127.0.0.1").port(0).build().start().localAddress().getPort();
        api = new ApiClient(restreamer.httpAddress().getPort());
        api.login("admin@example.com", "correct-horse-battery");
    }

    @AfterEach
    void stop() throws Exception {
        peers.close();
        restreamer.closeAsync().get(10, TimeUnit.SECONDS);
        kit.close();
        destKit.close();
    }

    private JsonNode call(String method, String path, String body, int expected) throws Exception {
        ApiClient.Res r = api.call(method, "/api/v1" + path, body);
        assertEquals(expected, r.status(), () -> method + " " + path + ": " + r.raw());
        return r.body();
    }

    private JsonNode awaitStatus(String inputId, java.util.function.Predicate<JsonNode> ok, String what)
            throws Exception {
        long end = System.nanoTime() + T.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            last = call("GET", "/inputs/" + inputId + "/status", null, 200);
            if (ok.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; last status " + last);
    }

    private static JsonNode output(JsonNode status, String outputId) {
        for (JsonNode o : status.get("outputs")) {
            if (o.get("id").asText().equals(outputId)) {
                return o;
            }
        }
        throw new AssertionError("no output " + outputId + " in " + status);
    }

    @Test
    void rtmpInputToTwoOutputsToggledLive() throws Exception {
        JsonNode input = call("POST", "/inputs", "{\"name\":\"Studio\",\"kind\":\"RTMP\"}", 201);
        String id = input.get("id").asText();
        String key = input.get("streamKey").asText();
        int rtmpPort = restreamer.rtmpAddress().getPort();

        Process intruder = peers.publish("intruder", 3, "rtmp://127.0.0.1:" + rtmpPort + "/not-a-key");
        assertNotEquals(0, Peers.await(intruder, T), "an unknown key cannot publish");

        String a = call("POST", "/inputs/" + id + "/outputs", "{\"name\":\"A\",\"url\":\"rtmp://127.0.0.1:" + destPort
                + "/live/a\"}", 201).get("id").asText();
        String b = call("POST", "/inputs/" + id + "/outputs", "{\"name\":\"B\",\"url\":\"rtmp://127.0.0.1:" + destPort
                + "/live/b\"}", 201).get("id").asText();
        Process publisher = peers.publish("publisher", 30, "rtmp://127.0.0.1:" + rtmpPort + "/" + key);
        JsonNode live = awaitStatus(id, s -> s.get("state").asText().equals("LIVE") && s.get("bitrate1s").asLong() > 0
                && output(s, a).get("state").asText().equals("LIVE") && output(s, b).get("state").asText().equals(
                        "LIVE"),
                "the input and both outputs live");
        assertTrue(live.get("bitrate1s").asLong() > 100_000, live.toString());

        Path copy = dir.resolve("b.flv");
        Process player = peers.record("player", "rtmp://127.0.0.1:" + destPort + "/live/b", copy, 4);
        assertEquals(0, Peers.await(player, T), () -> "player: " + log("player"));
        String probe = peers.probe(copy);
        assertTrue(probe.contains("codec_name=h264") && probe.contains("width=1280") && probe.contains("height=720"),
                probe);
        assertTrue(probe.contains("codec_name=aac"), probe);

        // disable A live: its destination stops, B and the input carry on
        call("POST", "/inputs/" + id + "/outputs/" + a + "/disable", null, 200);
        RecordingSink.await(T, () -> destKit.findStream("live/a").map(s -> s.state() != StreamState.LIVE).orElse(
                true), "live/a to stop at the destination");
        long bBytes = output(call("GET", "/inputs/" + id + "/status", null, 200), b).get("bytes").asLong();
        JsonNode after = awaitStatus(id, s -> output(s, b).get("bytes").asLong() > bBytes + 100_000,
                "B to keep sending");
        assertEquals("STOPPED", output(after, a).get("state").asText());
        assertEquals("LIVE", after.get("state").asText());
        assertEquals(StreamState.LIVE, destKit.findStream("live/b").orElseThrow().state());

        // the publisher shows up among the connections and can be kicked
        JsonNode conns = call("GET", "/connections", null, 200);
        String connId = null;
        for (JsonNode c : conns) {
            if (c.get("publishing").asBoolean() && key.equals(c.get("path").asText())) {
                connId = c.get("id").asText();
            }
        }
        assertTrue(connId != null, conns.toString());
        call("DELETE", "/connections/" + connId, null, 204);
        assertNotEquals(0, Peers.await(publisher, T), "the kicked publisher's ffmpeg fails");
        awaitStatus(id, s -> !s.get("state").asText().equals("LIVE"), "the input to stop after the kick");
        JsonNode audit = call("GET", "/audit?action=connection.kick", null, 200);
        assertEquals(1, audit.size(), audit.toString());
    }

    @Test
    void srtInputWithPassphraseIsPublishedAndRead() throws Exception {
        JsonNode input = call("POST", "/inputs", "{\"name\":\"Field\",\"kind\":\"SRT\",\"latencyMs\":300,"
                + "\"passphrase\":\"field-secret-123\",\"pbKeyLen\":32}", 201);
        String id = input.get("id").asText();
        String key = input.get("streamKey").asText();
        int srtPort = restreamer.srtAddress().getPort();
        String base = "srt://127.0.0.1:" + srtPort + "?mode=caller&latency=300000&pbkeylen=32";
        Process wrong = srtPublish("wrong", 3, base + "&passphrase=not-the-secret-1&streamid=publish:" + key);
        assertNotEquals(0, Peers.await(wrong, T), "a wrong passphrase is refused: " + log("wrong"));
        Process viaRtmp = peers.publish("rtmp-intruder", 3, "rtmp://127.0.0.1:" + restreamer.rtmpAddress().getPort()
                + "/" + key);
        assertNotEquals(0, Peers.await(viaRtmp, T), "an SRT input cannot be published over RTMP");

        Process publisher = srtPublish("publisher", 20, base + "&passphrase=field-secret-123&streamid=publish:" + key);
        awaitStatus(id, s -> s.get("state").asText().equals("LIVE") && s.get("bitrate1s").asLong() > 0,
                "the SRT input live");
        JsonNode conns = call("GET", "/connections", null, 200);
        assertTrue(conns.toString().contains("\"srt\"") && conns.toString().contains("rttMs"), conns.toString());

        Path out = dir.resolve("read.ts");
        peers.run("reader", T, List.of(Peers.require("ffmpeg"), "-v", "error", "-y", "-i", base
                + "&passphrase=field-secret-123&streamid=read:" + key, "-t", "4", "-c", "copy", out.toString()));
        String probe = peers.probe(out);
        assertTrue(probe.contains("codec_name=h264") && probe.contains("width=1280"), probe);
        publisher.destroy();
    }

    private Process srtPublish(String name, int seconds, String url) throws Exception {
        return peers.start(name, List.of(Peers.require("ffmpeg"), "-hide_banner", "-loglevel", "warning", "-re", "-f",
                "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=48000", "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset",
                "veryfast", "-tune", "zerolatency", "-b:v", "2M", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-f", "mpegts", url));
    }

    private String log(String name) {
        try {
            return peers.log(name);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
