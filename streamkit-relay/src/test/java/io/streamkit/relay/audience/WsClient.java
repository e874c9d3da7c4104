package io.streamkit.relay.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client of the audience protocol that queues every JSON message it receives. */
final class WsClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final WebSocket ws;
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    /** Pings received; the JDK client answers each with a pong by itself. */
    final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();

    private WsClient(WebSocket ws) {
        this.ws = ws;
    }

    static WsClient connect(int port, String origin) throws Exception {
        Listener l = new Listener();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            b.header("Origin", origin);
        }
        WebSocket ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/audience"), l).get(5, TimeUnit.SECONDS);
        WsClient c = new WsClient(ws);
        l.client.complete(c);
        return c;
    }

    void send(String text) throws Exception {
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    void send(Object... fields) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < fields.length; i += 2) {
            o.putPOJO((String) fields[i], fields[i + 1]);
        }
        send(JSON.writeValueAsString(o));
    }

    JsonNode next() throws InterruptedException {
        JsonNode n = received.poll(10, TimeUnit.SECONDS);
        if (n == null) {
            throw new AssertionError("no message within 10 s");
        }
        return n;
    }

    /** Skips messages until one of the type arrives. */
    JsonNode next(String type) throws InterruptedException {
        while (true) {
            JsonNode n = next();
            if (type.equals(n.path("type").asText())) {
                return n;
            }
        }
    }

    @Override
    public void close() {
        ws.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        final CompletableFuture<WsClient> client = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String t = text.toString();
                text.setLength(0);
                try {
                    client.join().received.add(JSON.readTree(t));
                } catch (Exception e) {
                    throw new AssertionError("the server sent something that is not JSON: " + t, e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            throw new AssertionError("the server sent a binary frame");
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            client.join().pings.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            client.join().closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            client.join().closed.complete(-1);
        }
    }
}
