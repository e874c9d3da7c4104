package io.streamkit.examples.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamkit.api.StreamKit;
import io.streamkit.compositor.program.Compositor;
import io.streamkit.compositor.program.EncoderSettings;
import io.streamkit.compositor.scene.Layer;
import io.streamkit.compositor.scene.Rect;
import io.streamkit.compositor.scene.Scene;
import io.streamkit.compositor.scene.TextLayer;
import io.streamkit.compositor.scene.VideoLayer;
import io.streamkit.compositor.source.TestPatternSource;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The studio's control API over real HTTP, against a running program of two test patterns. */
@Timeout(60)
class StudioControlServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static StreamKit kit;
    private static Compositor program;
    private static StudioControlServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        kit = StreamKit.builder().build();
        Scene scene = Scene.builder(320, 180).frameRate(15)
                .addLayer(VideoLayer.of("a", new Rect(0, 0, 320, 180)))
                .addLayer(VideoLayer.of("b", new Rect(0, 0, 320, 180)))
                .addLayer(TextLayer.of(StudioController.LOWER_THIRD, "hello", new Rect(10, 140, 200, 30)))
                .build();
        program = Compositor.builder(kit).scene(scene)
                .source(TestPatternSource.builder("a").size(160, 90).frameRate(15).build())
                .source(TestPatternSource.builder("b").size(160, 90).frameRate(15).tone(true).build())
                .encoder(EncoderSettings.DEFAULT.withVideoBitrate(300_000)).publishTo("studio/test").start();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("a", "pattern A");
        labels.put("b", "pattern B");
        StudioController controller = new StudioController(program, labels, List.of("a", "b"), "side-by-side");
        server = new StudioControlServer("127.0.0.1", 0, controller, program::previewJpeg);
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
        program.close();
        kit.close();
    }

    @Test
    void stateListsLayoutSourcesTextAndProgramFigures() throws Exception {
        JsonNode s = get("/api/state", 200);
        assertEquals("side-by-side", s.get("layout").asText());
        assertEquals(5, s.get("layouts").size());
        assertEquals("hello", s.get("text").asText());
        assertEquals("a", s.get("sources").get(0).get("id").asText());
        assertEquals("pattern B", s.get("sources").get(1).get("label").asText());
        assertTrue(s.get("program").has("framesEncoded"));
    }

    @Test
    void layoutChangeMovesTheVideoLayersInTheLiveScene() throws Exception {
        post("/api/layout", "{\"layout\":\"solo\"}", 200);
        assertTrue(video("a").properties().visible());
        assertFalse(video("b").properties().visible(), "solo shows one source");
        JsonNode s = post("/api/layout", "{\"layout\":\"side-by-side\"}", 200);
        assertEquals("side-by-side", s.get("layout").asText());
        assertTrue(video("a").properties().visible() && video("b").properties().visible());
        assertNotEquals(video("a").properties().bounds(), video("b").properties().bounds());
    }

    @Test
    void hideShowMuteAndGainReachSceneAndMixer() throws Exception {
        post("/api/sources/b", "{\"visible\":false}", 200);
        assertFalse(video("b").properties().visible());
        post("/api/sources/b", "{\"visible\":true,\"muted\":true,\"gainDb\":-6}", 200);
        assertTrue(video("b").properties().visible());
        assertTrue(program.mixer().settings("b").muted());
        assertEquals(-6, program.mixer().settings("b").gainDb(), 0.01);
        JsonNode s = post("/api/sources/b", "{\"muted\":false,\"gainDb\":0}", 200);
        assertFalse(s.get("sources").get(1).get("muted").asBoolean());
        assertFalse(program.mixer().settings("b").muted());
    }

    @Test
    void lowerThirdIsEditedLiveAndHiddenWhenEmpty() throws Exception {
        post("/api/text", "{\"text\":\"Breaking: it works\"}", 200);
        TextLayer t = (TextLayer) program.scene().current().layer(StudioController.LOWER_THIRD).orElseThrow();
        assertEquals("Breaking: it works", t.text());
        assertTrue(t.properties().visible());
        JsonNode s = post("/api/text", "{\"text\":\"\"}", 200);
        assertEquals("", s.get("text").asText());
        assertFalse(program.scene().current().layer(StudioController.LOWER_THIRD).orElseThrow().properties()
                .visible());
        post("/api/text", "{\"text\":\"hello\"}", 200);
    }

    @Test
    void badRequestsGetPreciseErrorsAndChangeNothing() throws Exception {
        assertEquals("unknown layout 'mosaic', expected one of [solo, side-by-side, grid, picture-in-picture, "
                + "speaker-strip]", post("/api/layout", "{\"layout\":\"mosaic\"}", 400).get("error").asText());
        assertEquals("expected a string field 'layout'", post("/api/layout", "{\"layout\":3}", 400).get("error")
                .asText());
        assertTrue(post("/api/layout", "{nope", 400).get("error").asText().startsWith("malformed JSON"));
        assertEquals("expected a JSON object", post("/api/layout", "[1]", 400).get("error").asText());
        assertEquals("unknown source 'zz', expected one of [a, b]", post("/api/sources/zz", "{\"muted\":true}", 400)
                .get("error").asText());
        assertEquals("gainDb must be a number", post("/api/sources/a", "{\"gainDb\":\"loud\"}", 400).get("error")
                .asText());
        assertEquals("gainDb must be between -60 and 24, got 40.0", post("/api/sources/a", "{\"gainDb\":40}", 400)
                .get("error").asText());
        assertEquals("visible must be true or false", post("/api/sources/a", "{\"visible\":\"yes\"}", 400).get(
                "error").asText());
        assertEquals("unknown field 'volume', expected visible, muted or gainDb", post("/api/sources/a",
                "{\"volume\":1}", 400).get("error").asText());
        assertEquals("expected at least one of visible, muted, gainDb", post("/api/sources/a", "{}", 400).get(
                "error").asText());
        // a rejected field leaves the valid ones of the same request unapplied
        post("/api/sources/a", "{\"muted\":true,\"gainDb\":99}", 400);
        assertFalse(program.mixer().settings("a").muted());
        assertEquals("text is longer than 200 characters (201)", post("/api/text", "{\"text\":\"" + "x".repeat(201)
                + "\"}", 400).get("error").asText());
        assertEquals("text contains a control character at index 1", post("/api/text", "{\"text\":\"a\\u0007\"}",
                400).get("error").asText());
        assertEquals("GET is not allowed here, use POST", get("/api/layout", 400).get("error").asText());
        assertEquals("no such resource: /api/nothing", get("/api/nothing", 404).get("error").asText());
        assertEquals("request body is larger than 16384 bytes", post("/api/text", "{\"text\":\"" + "y".repeat(20_000)
                + "\"}", 413).get("error").asText());
        assertEquals("side-by-side", get("/api/state", 200).get("layout").asText());
    }

    @Test
    void pageScriptAndPreviewAreServed() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("studio.js"));
        HttpResponse<String> js = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/studio.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(js.body().contains("/api/state"));
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<byte[]> preview;
        do {
            Thread.sleep(200);
            preview = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/preview.jpg")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } while (preview.statusCode() == 503 && System.nanoTime() < end);
        assertEquals(200, preview.statusCode());
        assertEquals("image/jpeg", preview.headers().firstValue("Content-Type").orElse(""));
        assertNotNull(ImageIO.read(new ByteArrayInputStream(preview.body())), "the preview decodes as an image");
    }

    private static VideoLayer video(String source) {
        for (Layer l : program.scene().current().layers()) {
            if (l instanceof VideoLayer v && v.sourceId().equals(source)) {
                return v;
            }
        }
        throw new AssertionError("no video layer for " + source);
    }

    private static JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).POST(
                HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
