package io.streamkit.examples.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamkit.webrtc.client.SfuParticipant;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote guest in the studio: the launcher jar runs {@code studio --sfu-port}, a libwebrtc
 * participant (webrtc-java) joins the room "studio" and publishes 640x360 video with audio; the
 * studio must add it as a source, shown in the layout, whose frames are decoded at that size.
 */
@Timeout(120)
class StudioGuestIT {

    @TempDir
    Path dir;

    @Test
    void aWebRtcGuestBecomesALiveSourceOfTheProgram() throws Exception {
        int controlPort = freePort();
        int sfuPort = freePort();
        Path jar = Path.of("target", "streamkit-examples.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " is built by the package phase");
        Path log = dir.resolve("studio.log");
        Process studio = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djava.awt.headless=true", "-jar", jar.toString(), "studio", "--size", "640x360",
                "--duration", "40", "--http-port", String.valueOf(controlPort), "--sfu-port", String.valueOf(sfuPort),
                "--stats-interval", "0")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        try {
            awaitUp(http, "http://127.0.0.1:" + controlPort + "/api/state", studio, log);
            URI signaling = URI.create("ws://127.0.0.1:" + sfuPort + "/ws");
            try (SfuParticipant ann = SfuParticipant.builder(signaling, "studio").userId("ann").videoSize(640, 360)
                    .frameRate(30).publishAudio(true).connect()) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                JsonNode guest = null;
                while (System.nanoTime() < end) {
                    JsonNode state = json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + controlPort + "/api/state")).build(), HttpResponse.BodyHandlers.ofString()).body());
                    for (JsonNode s : state.get("sources")) {
                        if (s.get("id").asText().equals("guest-ann")) {
                            guest = s;
                        }
                    }
                    if (guest != null && guest.path("framesDecoded").asLong() >= 60) {
                        break;
                    }
                    Thread.sleep(250);
                }
                assertTrue(guest != null, () -> "the guest never appeared: " + read(log));
                JsonNode g = guest;
                assertTrue(g.get("visible").asBoolean(), g::toString);
                assertTrue(g.path("framesDecoded").asLong() >= 60, () -> g + " sent " + ann.framesSent() + "\n"
                        + read(log));
                assertEquals(640, g.get("width").asInt(), g::toString);
                assertEquals(360, g.get("height").asInt(), g::toString);
                assertTrue(read(log).contains("Guest ann joined: source guest-ann"), () -> read(log));
            }
        } finally {
            studio.destroy();
            if (!studio.waitFor(20, TimeUnit.SECONDS)) {
                studio.destroyForcibly();
            }
        }
    }

    private static void awaitUp(HttpClient http, String url, Process studio, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (!studio.isAlive()) {
                fail("the studio exited early: " + read(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        fail("the control API did not come up: " + read(log));
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
