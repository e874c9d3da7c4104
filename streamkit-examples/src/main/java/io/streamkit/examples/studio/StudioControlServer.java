package io.streamkit.examples.studio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The studio's control page and its JSON API, on the JDK's HTTP server:
 * <ul>
 * <li>{@code GET /} the page, {@code GET /studio.js} its script;</li>
 * <li>{@code GET /api/state} layout, sources (shown, muted, gain, state), lower third, program figures;</li>
 * <li>{@code POST /api/layout} {@code {"layout":"grid"}};</li>
 * <li>{@code POST /api/sources/{id}} {@code {"visible":true,"muted":false,"gainDb":-6}} (each field optional);</li>
 * <li>{@code POST /api/text} {@code {"text":"..."}};</li>
 * <li>{@code GET /preview.jpg} the newest preview frame (503 before the first one).</li>
 * </ul>
 * A bad request gets status 400 and {@code {"error":"..."}} naming what is wrong; bodies over
 * 16 KiB get 413.
 */
public final class StudioControlServer implements AutoCloseable {

    private static final int MAX_BODY = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final StudioController controller;
    private final Supplier<Optional<byte[]>> preview;

    /**
     * Starts the server.
     *
     * @param host       the interface to bind
     * @param port       the port, 0 for any free one
     * @param controller the studio's controls
     * @param preview    the newest preview JPEG, if any
     * @throws IOException when the port cannot be bound
     */
    public StudioControlServer(String host, int port, StudioController controller, Supplier<Optional<byte[]>> preview)
            throws IOException {
        this.controller = controller;
        this.preview = preview;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "studio-control");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            try {
                route(ex, method, path);
            } catch (IllegalArgumentException e) {
                json(ex, 400, Map.of("error", e.getMessage()));
            } catch (BodyTooLarge e) {
                json(ex, 413, Map.of("error", "request body is larger than " + MAX_BODY + " bytes"));
            }
        }
    }

    private void route(HttpExchange ex, String method, String path) throws IOException {
        switch (path) {
            case "/", "/index.html" -> {
                requireMethod(method, "GET");
                resource(ex, "index.html", "text/html; charset=utf-8");
            }
            case "/studio.js" -> {
                requireMethod(method, "GET");
                resource(ex, "studio.js", "text/javascript; charset=utf-8");
            }
            case "/api/state" -> {
                requireMethod(method, "GET");
                json(ex, 200, controller.state());
            }
            case "/api/layout" -> {
                requireMethod(method, "POST");
                JsonNode body = body(ex);
                controller.layout(text(body, "layout"));
                json(ex, 200, controller.state());
            }
            case "/api/text" -> {
                requireMethod(method, "POST");
                JsonNode body = body(ex);
                controller.lowerThird(text(body, "text"));
                json(ex, 200, controller.state());
            }
            case "/preview.jpg" -> {
                requireMethod(method, "GET");
                Optional<byte[]> jpeg = preview.get();
                if (jpeg.isEmpty()) {
                    json(ex, 503, Map.of("error", "no preview frame yet"));
                } else {
                    ex.getResponseHeaders().set("Cache-Control", "no-store");
                    send(ex, 200, "image/jpeg", jpeg.get());
                }
            }
            default -> {
                if (path.startsWith("/api/sources/")) {
                    requireMethod(method, "POST");
                    source(ex, path.substring("/api/sources/".length()));
                } else {
                    json(ex, 404, Map.of("error", "no such resource: " + path));
                }
            }
        }
    }

    private void source(HttpExchange ex, String id) throws IOException {
        JsonNode body = body(ex);
        if (body.size() == 0) {
            throw new IllegalArgumentException("expected at least one of visible, muted, gainDb");
        }
        for (var it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("visible") && !f.equals("muted") && !f.equals("gainDb")) {
                throw new IllegalArgumentException("unknown field '" + f + "', expected visible, muted or gainDb");
            }
        }
        // validate every field before changing anything
        Boolean visible = bool(body, "visible");
        Boolean muted = bool(body, "muted");
        Double gain = null;
        if (body.has("gainDb")) {
            if (!body.get("gainDb").isNumber()) {
                throw new IllegalArgumentException("gainDb must be a number");
            }
            gain = body.get("gainDb").asDouble();
        }
        if (gain != null) {
            controller.gainDb(id, gain);
        }
        if (muted != null) {
            controller.muted(id, muted);
        }
        if (visible != null) {
            controller.visible(id, visible);
        }
        json(ex, 200, controller.state());
    }

    private static Boolean bool(JsonNode body, String field) {
        if (!body.has(field)) {
            return null;
        }
        if (!body.get(field).isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return body.get(field).asBoolean();
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("expected a string field '" + field + "'");
        }
        return n.asText();
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw new IllegalArgumentException(method + " is not allowed here, use " + expected);
        }
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        byte[] data;
        try (InputStream in = ex.getRequestBody()) {
            data = in.readNBytes(MAX_BODY + 1);
        }
        if (data.length > MAX_BODY) {
            throw new BodyTooLarge();
        }
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return node;
    }

    private void resource(HttpExchange ex, String name, String type) throws IOException {
        try (InputStream in = StudioControlServer.class.getResourceAsStream("/io/streamkit/examples/studio/" + name)) {
            if (in == null) {
                json(ex, 404, Map.of("error", "missing resource " + name));
                return;
            }
            send(ex, 200, type, in.readAllBytes());
        }
    }

    private static void json(HttpExchange ex, int status, Object value) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(value));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Thrown when a request body exceeds the limit. */
    private static final class BodyTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge() {
            super(null, null, false, false);
        }
    }

}
