package io.streamkit.webrtc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SignalingServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private SignalingHub hub;
    private SignalingServer server;

    @BeforeEach
    void start() {
        hub = SignalingHub.builder().reconnectGrace(Duration.ZERO).build();
        server = SignalingServer.builder(hub).host("127.0.0.1").port(0).allowedOrigin("http://app.example:8080")
                .resource("/", "text/html; charset=utf-8", "<h1>hi</h1>".getBytes(StandardCharsets.UTF_8)).build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
        hub.close();
    }

    /** A WebSocket client that queues what it receives. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        JsonNode next() throws Exception {
            String m = messages.poll(5, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no message within 5 s");
            }
            return FakeConnection.JSON.readTree(m);
        }

        void send(String json) {
            ws.sendText(json, true).join();
        }
    }

    private Client open(String origin) {
        Client c = new Client();
        WebSocket.Builder b = http.newWebSocketBuilder();
        if (origin != null) {
            b.header("Origin", origin);
        }
        c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + server.localAddress().getPort() + "/ws"), c).join();
        return c;
    }

    @Test
    void twoClientsJoinOneRoomAndSeeEachOther() throws Exception {
        Client a = open("http://app.example:8080");
        a.send(FakeConnection.json("type", "join", "userId", "alice", "sessionId", "room"));
        String alice = a.next().get("peerId").asText();
        Client b = open("http://app.example:8080");
        b.send(FakeConnection.json("type", "join", "userId", "bob", "sessionId", "room"));
        String bob = b.next().get("peerId").asText();
        JsonNode known = b.next();
        assertEquals("peer_joined", known.get("type").asText());
        assertEquals(alice, known.get("peerId").asText());
        JsonNode announced = a.next();
        assertEquals(bob, announced.get("peerId").asText());
        b.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        JsonNode left = a.next();
        assertEquals("peer_left", left.get("type").asText());
        assertEquals(bob, left.get("peerId").asText());
    }

    @Test
    void malformedJsonIsAnsweredAndTheConnectionStays() throws Exception {
        Client a = open(null);
        a.send("{{{");
        assertEquals("malformed_json", a.next().get("code").asText());
        a.send(FakeConnection.json("type", "ping"));
        assertEquals("pong", a.next().get("type").asText());
    }

    @Test
    void aForeignOriginIsRefused() {
        CompletionException e = assertThrows(CompletionException.class, () -> open("http://evil.example"));
        WebSocketHandshakeException h = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(403, h.getResponse().statusCode());
        assertEquals(1, server.refusedOrigins());
    }

    @Test
    void aMessageOver64KiBClosesTheConnection() throws Exception {
        Client a = open(null);
        a.ws.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}", true);
        int code = a.closed.get(5, TimeUnit.SECONDS);
        // the server sends 1009 and closes; while the client is still writing its frame, the TCP
        // reset may overtake the close frame, which the client then reports as 1006
        assertTrue(code == 1009 || code == 1006, "closed, got " + code);
        assertEquals(1, server.oversizedMessages());
        Client b = open(null);
        b.send(FakeConnection.json("type", "ping"));
        assertEquals("pong", b.next().get("type").asText(), "the server carries on");
    }

    @Test
    void resourcesAreServedOnTheSamePort() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.localAddress().getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("<h1>hi</h1>", page.body());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.localAddress().getPort() + "/nope")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }

    @Test
    void theDemoClientIsServed() throws Exception {
        SignalingServer withPage = SignalingServer.builder(hub).host("127.0.0.1").port(0).clientPage().build().start();
        try {
            String base = "http://127.0.0.1:" + withPage.localAddress().getPort();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(page.body().contains("streamkit-sfu.js"));
            HttpResponse<String> js = http.send(HttpRequest.newBuilder(URI.create(base + "/streamkit-sfu.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, js.statusCode());
            assertTrue(js.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
            assertTrue(js.body().contains("class StreamKitSfuClient"));
        } finally {
            withPage.close();
        }
    }

    @Test
    void builderRefusesBadSettings() {
        SignalingServer.Builder b = SignalingServer.builder(hub);
        assertThrows(IllegalArgumentException.class, () -> b.port(70000));
        assertThrows(IllegalArgumentException.class, () -> b.path("ws"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.allowedOrigin(
                "http://x.example/path"));
        assertTrue(e.getMessage().contains("scheme://host[:port]"));
    }
}
