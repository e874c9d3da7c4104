package io.streamkit.relay.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AudienceServerTest {
    private Audience audience;
    private AudienceServer server;

    @BeforeEach
    @BeforeProperty
    void start() {
        audience = Audience.builder().chatRateLimit(100, Duration.ofSeconds(1)).build();
        server = AudienceServer.builder(audience).bind("127.0.0.1", 0).allowedOrigin("http://good.example")
                .resource("/", "text/html", "<p>hi</p>".getBytes(java.nio.charset.StandardCharsets.UTF_8)).start();
    }

    @AfterEach
    @AfterProperty
    void stop() {
        server.close();
        audience.close();
    }

    private WsClient client() throws Exception {
        return WsClient.connect(server.port(), null);
    }

    @Test
    void registerJoinChatAndPresenceOverWebSocket() throws Exception {
        try (WsClient streamer = client(); WsClient v1 = client(); WsClient v2 = client()) {
            streamer.send("type", "USER_REGISTER", "username", "alice", "role", "STREAMER");
            JsonNode reg = streamer.next("USER_REGISTERED");
            String key = reg.get("streamKey").asText();
            assertEquals("STREAMER", reg.get("role").asText());
            assertTrue(reg.hasNonNull("publishSecret"));
            assertTrue(reg.hasNonNull("token"));

            v1.send("type", "USER_REGISTER", "username", "bob", "role", "VIEWER");
            JsonNode r1 = v1.next("USER_REGISTERED");
            assertFalse(r1.has("streamKey"));
            assertFalse(r1.has("publishSecret"));
            v1.send("type", "STREAM_JOIN", "streamKey", key);
            JsonNode joined = v1.next("STREAM_JOINED");
            assertEquals(1, joined.get("viewerCount").asInt());
            assertEquals("alice", joined.get("streamer").asText());
            JsonNode vj = streamer.next("VIEWER_JOINED");
            assertEquals("bob", vj.get("username").asText());
            assertEquals(1, vj.get("viewerCount").asInt());

            v2.send("type", "USER_REGISTER", "username", "carol", "role", "VIEWER");
            v2.next("USER_REGISTERED");
            v2.send("type", "STREAM_JOIN", "streamKey", key);
            v2.next("STREAM_JOINED");
            assertEquals(2, streamer.next("VIEWER_JOINED").get("viewerCount").asInt());

            v1.send("type", "CHAT_MESSAGE_SEND", "streamKey", key, "content", "hello \"world\" ✓");
            for (WsClient c : new WsClient[]{streamer, v1, v2}) {
                JsonNode m = c.next("CHAT_MESSAGE_BROADCAST");
                assertEquals("hello \"world\" ✓", m.get("content").asText());
                assertEquals(1, m.get("id").asLong());
                assertEquals("bob", m.get("from").get("username").asText());
                assertEquals(key, m.get("streamKey").asText());
                assertTrue(m.get("time").asText().endsWith("Z"));
            }

            v2.ws.abort(); // a tab closes without a word
            JsonNode left = streamer.next("VIEWER_LEFT");
            assertEquals("carol", left.get("username").asText());
            assertEquals(1, left.get("viewerCount").asInt());

            v1.send("type", "STREAM_LIST");
            JsonNode list = v1.next("STREAM_LIST");
            assertEquals(key, list.get("streams").get(0).get("streamKey").asText());
            assertEquals(1, list.get("streams").get(0).get("viewerCount").asInt());

            audience.setLive(key, true);
            assertEquals(key, v1.next("STREAM_LIVE").get("streamKey").asText());
        }
    }

    @Test
    void aSilentViewerThatOnlyReceivesChatIsPingedAndKept() throws Exception {
        try (AudienceServer quick = AudienceServer.builder(audience).bind("127.0.0.1", 0)
                .keepAlive(Duration.ofMillis(200)).start();
                WsClient streamer = WsClient.connect(quick.port(), null);
                WsClient viewer = WsClient.connect(quick.port(), null)) {
            streamer.send("type", "USER_REGISTER", "username", "alice", "role", "STREAMER");
            String key = streamer.next("USER_REGISTERED").get("streamKey").asText();
            viewer.send("type", "USER_REGISTER", "username", "bob", "role", "VIEWER");
            viewer.next("USER_REGISTERED");
            viewer.send("type", "STREAM_JOIN", "streamKey", key);
            viewer.next("STREAM_JOINED");
            // the viewer says nothing for 1.5 s (7 intervals) while chat keeps flowing to it
            for (int i = 0; i < 15; i++) {
                streamer.send("type", "CHAT_MESSAGE_SEND", "streamKey", key, "content", "line " + i);
                Thread.sleep(100);
            }
            for (int i = 0; i < 15; i++) {
                assertEquals("line " + i, viewer.next("CHAT_MESSAGE_BROADCAST").get("content").asText());
            }
            assertTrue(viewer.pings.get() >= 2, "a viewer that only receives is pinged; pings "
                    + viewer.pings.get());
            assertFalse(viewer.closed.isDone(), "a viewer that answers pings is kept");
            assertEquals(2, quick.stats().openConnections());
        }
    }

    @Test
    void aClientThatAnswersNothingIsPingedThenClosed() throws Exception {
        try (AudienceServer quick = AudienceServer.builder(audience).bind("127.0.0.1", 0)
                .keepAlive(Duration.ofMillis(200)).start();
                java.net.Socket s = new java.net.Socket("127.0.0.1", quick.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /audience HTTP/1.1\r\nHost: 127.0.0.1:" + quick.port()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(s
                    .getInputStream()));
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
            long t0 = System.nanoTime();
            java.util.List<Integer> opcodes = new java.util.ArrayList<>();
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    break;
                }
                int len = in.readUnsignedByte() & 0x7f;
                in.skipNBytes(len);
                opcodes.add(b0 & 0x0f);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(java.util.List.of(0x9, 0x8), opcodes, "a ping, then a close");
            assertTrue(ms >= 300, "closed after two silent intervals, not at once: " + ms + " ms");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (quick.stats().openConnections() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, quick.stats().openConnections(), "the connection is counted closed");
        }
    }

    @Test
    void theKeepAliveIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> AudienceServer.builder(audience)
                .keepAlive(Duration.ofMillis(10)));
    }

    @Test
    void aReloadedPageResumesItsIdentityWithTheToken() throws Exception {
        try (WsClient first = client(); WsClient second = client()) {
            first.send("type", "USER_REGISTER", "username", "alice", "role", "STREAMER");
            JsonNode reg = first.next("USER_REGISTERED");
            second.send("type", "USER_REGISTER", "token", reg.get("token").asText());
            JsonNode again = second.next("USER_REGISTERED");
            assertEquals(reg.get("userId"), again.get("userId"));
            assertEquals(reg.get("streamKey"), again.get("streamKey"));
            assertFalse(again.has("publishSecret"), "secrets are sent once");
            assertFalse(again.has("token"));
        }
    }

    private static void assertError(WsClient c, String code, String requestType) throws Exception {
        JsonNode e = c.next("ERROR");
        assertEquals(code, e.get("code").asText(), e.toString());
        if (requestType == null) {
            assertFalse(e.has("requestType"), e.toString());
        } else {
            assertEquals(requestType, e.get("requestType").asText(), e.toString());
        }
        assertFalse(e.get("message").asText().isBlank());
    }

    @Test
    void everyBadMessageIsAnsweredWithItsPreciseError() throws Exception {
        try (WsClient c = client()) {
            c.send("{not json");
            assertError(c, "MALFORMED_JSON", null);
            c.send("[1,2]");
            assertError(c, "INVALID_MESSAGE", null);
            c.send("{\"content\":\"no type\"}");
            assertError(c, "INVALID_MESSAGE", null);
            c.send("type", "DANCE");
            assertError(c, "UNKNOWN_TYPE", "DANCE");
            c.send("type", "STREAM_JOIN", "streamKey", "k");
            assertError(c, "NOT_REGISTERED", "STREAM_JOIN");
            c.send("type", "USER_REGISTER", "username", "bob");
            assertError(c, "MISSING_FIELD", "USER_REGISTER");
            c.send("type", "USER_REGISTER", "username", "bob", "role", "ADMIN");
            assertError(c, "INVALID_FIELD", "USER_REGISTER");
            c.send("type", "USER_REGISTER", "username", 42, "role", "VIEWER");
            assertError(c, "INVALID_FIELD", "USER_REGISTER");
            c.send("type", "USER_REGISTER", "username", "bob", "role", "VIEWER", "admin", true);
            assertError(c, "INVALID_FIELD", "USER_REGISTER");
            c.send("type", "USER_REGISTER", "username", "b".repeat(300), "role", "VIEWER");
            assertError(c, "FIELD_TOO_LONG", "USER_REGISTER");
            c.send("type", "USER_REGISTER", "username", "bob", "role", "VIEWER");
            c.next("USER_REGISTERED");
            c.send("type", "USER_REGISTER", "username", "bob", "role", "VIEWER");
            assertError(c, "ALREADY_REGISTERED", "USER_REGISTER");
            c.send("type", "STREAM_JOIN", "streamKey", "nope");
            assertError(c, "UNKNOWN_STREAM", "STREAM_JOIN");
            c.send("type", "CHAT_MESSAGE_SEND", "streamKey", "nope", "content", "x".repeat(501));
            assertError(c, "MESSAGE_TOO_LONG", "CHAT_MESSAGE_SEND");
            c.ws.sendBinary(ByteBuffer.wrap(new byte[]{1, 2, 3}), true).get(5, TimeUnit.SECONDS);
            assertError(c, "BINARY_NOT_SUPPORTED", null);
            // the connection still works
            c.send("type", "STREAM_LIST");
            c.next("STREAM_LIST");
        }
        assertEquals(1L, server.stats().badFrames());
        assertEquals(1L, audience.stats().errors().get(AudienceException.Code.MALFORMED_JSON));
        assertEquals(4L, audience.stats().errors().get(AudienceException.Code.INVALID_FIELD) + audience.stats()
                .errors().get(AudienceException.Code.MISSING_FIELD));
    }

    @Test
    void aFloodOfRequestsIsRateLimitedAndTheOthersCarryOn() throws Exception {
        try (WsClient flood = client(); WsClient calm = client()) {
            for (int i = 0; i < 100; i++) {
                flood.send("type", "STREAM_LIST");
            }
            int limited = 0;
            for (int i = 0; i < 100; i++) {
                JsonNode n = flood.next();
                if ("ERROR".equals(n.get("type").asText())) {
                    assertEquals("RATE_LIMITED", n.get("code").asText());
                    limited++;
                }
            }
            assertTrue(limited >= 30, "a burst of 60 then 20/s: most of 100 instant requests are refused, got "
                    + limited);
            calm.send("type", "STREAM_LIST");
            assertEquals("STREAM_LIST", calm.next().get("type").asText());
        }
    }

    @Test
    void anOversizedFrameClosesOnlyThatConnection() throws Exception {
        try (WsClient big = client(); WsClient other = client()) {
            big.send("{\"type\":\"STREAM_LIST\",\"pad\":\"" + "x".repeat(20_000) + "\"}");
            big.closed.get(10, TimeUnit.SECONDS);
            assertEquals(1, server.stats().oversizedMessages());
            other.send("type", "STREAM_LIST");
            assertEquals("STREAM_LIST", other.next().get("type").asText());
        }
    }

    @Test
    void foreignOriginsAreRefusedAndPagesAreServed() throws Exception {
        Exception refused = assertThrows(Exception.class, () -> WsClient.connect(server.port(),
                "http://evil.example"));
        assertEquals(403, handshakeStatus(refused), refused.toString());
        try (WsClient ok = WsClient.connect(server.port(), "http://good.example")) {
            ok.send("type", "STREAM_LIST");
            ok.next("STREAM_LIST");
        }
        assertEquals(1, server.stats().refusedOrigins());
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("<p>hi</p>", page.body());
    }

    @Test
    void theAuthenticatorDecidesWhoConnects() throws Exception {
        try (AudienceServer guarded = AudienceServer.builder(audience).bind("127.0.0.1", 0).authenticator(
                (token, remote) -> "letmein".equals(token)).start()) {
            HttpClient http = HttpClient.newHttpClient();
            Exception e = assertThrows(Exception.class, () -> http.newWebSocketBuilder().buildAsync(URI.create(
                    "ws://127.0.0.1:" + guarded.port() + "/audience"), new java.net.http.WebSocket.Listener() {
                    }).get(5, TimeUnit.SECONDS));
            assertEquals(401, handshakeStatus(e), e.toString());
            java.net.http.WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
                    + guarded.port() + "/audience?access_token=letmein"), new java.net.http.WebSocket.Listener() {
                    }).get(5, TimeUnit.SECONDS);
            ws.abort();
            assertEquals(1, guarded.stats().refusedAuth());
        }
    }

    private static int handshakeStatus(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.http.WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
        }
        return -1;
    }

    /** Random text frames get only ERROR replies and never disturb another client. */
    @Property(tries = 40)
    void randomTextGetsOnlyErrors(@ForAll String junk) throws Exception {
        try (WsClient c = client(); WsClient other = client()) {
            c.send(junk.isEmpty() ? " " : junk);
            JsonNode reply = c.next();
            assertEquals("ERROR", reply.get("type").asText(), reply.toString());
            other.send("type", "STREAM_LIST");
            assertEquals("STREAM_LIST", other.next().get("type").asText());
        }
    }
}
