package io.streamkit.relay.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.streamkit.api.ConnectionState;
import io.streamkit.api.StreamKitEvent;
import io.streamkit.relay.control.model.InputDef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event WebSocket ({@code /api/v1/events}): pushes to every authenticated client the changes
 * made through the API ({@code change}), alerts ({@code alert}: an input lost, an output failing)
 * and every second the live figures of every input and output ({@code stats}). Clients may send
 * commands ({@code {"type":"output.disable","id":1,"inputId":..,"outputId":..}}); each is checked
 * against the client's role exactly as the REST API does and answered with a {@code result}.
 * A client whose access token expires is disconnected with close code 4001.
 */
final class EventHub {
    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    private static final int MAX_PENDING_BYTES = 1 << 20;

    private final ControlService service;
    private final AuthService auth;
    private final Function<String, InputDef> inputByKey;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> ticker;
    private static final long ALERT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private final Map<String, Long> lastAlert = new ConcurrentHashMap<>();

    EventHub(ControlService service, AuthService auth, Function<String, InputDef> inputByKey,
            ScheduledExecutorService scheduler) {
        this.service = service;
        this.auth = auth;
        this.inputByKey = inputByKey;
        service.addListener(this::changed);
        ticker = scheduler.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** One connected WebSocket client. */
    final class Client {
        final Channel channel;
        final Actor actor;
        final Instant expires;

        Client(Channel channel, Actor actor, Instant expires) {
            this.channel = channel;
            this.actor = actor;
            this.expires = expires;
        }

        void send(Object message) {
            sendText(text(message));
        }

        /** Sends an already serialized message (broadcasts serialize once for every client). */
        void sendText(String text) {
            if (!channel.isActive()) {
                return;
            }
            if (channel.unsafe().outboundBuffer() != null && channel.unsafe().outboundBuffer()
                    .totalPendingWriteBytes() > MAX_PENDING_BYTES) {
                return; // a client that does not read loses stats ticks, never blocks the others
            }
            channel.writeAndFlush(new TextWebSocketFrame(text));
        }

        void onMessage(String text) {
            Object id = null;
            try {
                JsonNode msg = Json.MAPPER.readTree(text);
                if (msg == null || !msg.isObject() || !msg.hasNonNull("type")) {
                    throw ApiException.invalid("type", "every message needs a type");
                }
                id = msg.has("id") ? msg.get("id").asText() : null;
                String type = msg.get("type").asText();
                Object result = switch (type) {
                    case "ping" -> Map.of("pong", Instant.now().toString());
                    case "status" -> service.statuses(actor);
                    case "input.start" -> service.setInputEnabled(actor, field(msg, "inputId"), true);
                    case "input.stop" -> service.setInputEnabled(actor, field(msg, "inputId"), false);
                    case "output.enable" -> service.setOutputEnabled(actor, field(msg, "inputId"), field(msg,
                            "outputId"), true);
                    case "output.disable" -> service.setOutputEnabled(actor, field(msg, "inputId"), field(msg,
                            "outputId"), false);
                    default -> throw ApiException.invalid("type", "unknown message type '" + type
                            + "'; known: ping, status, input.start, input.stop, output.enable, output.disable");
                };
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("type", "result");
                out.put("id", id);
                out.put("ok", true);
                out.put("result", result);
                send(out);
            } catch (ApiException e) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("type", "result");
                out.put("id", id);
                out.put("ok", false);
                out.put("status", e.status());
                out.put("detail", e.getMessage());
                send(out);
            } catch (java.io.IOException e) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("type", "result");
                out.put("ok", false);
                out.put("status", 400);
                out.put("detail", "malformed JSON message: " + e.getMessage().split("\n")[0]);
                send(out);
            }
        }
    }

    private static String field(JsonNode msg, String name) {
        JsonNode n = msg.get(name);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw ApiException.invalid(name, "is required");
        }
        return n.asText();
    }

    /** Checks a token before the WebSocket upgrade. */
    Actor authenticate(String token, String remote) {
        return auth.authenticate(token, remote);
    }

    /** @return when a valid access token expires */
    Instant expiry(String token) {
        return auth.accessTokenExpiry(token);
    }

    Client join(Channel channel, Actor actor, Instant tokenExpiry) {
        Client c = new Client(channel, actor, tokenExpiry);
        clients.add(c);
        c.send(Map.of("type", "hello", "user", actor.email(), "role", actor.role().name()));
        c.send(Map.of("type", "stats", "time", Instant.now().toString(), "inputs", service.statuses(actor),
                "connections", service.connections(actor)));
        return c;
    }

    void leave(Client c) {
        clients.remove(c);
    }

    /** @return connected clients */
    int clients() {
        return clients.size();
    }

    private void changed(String type, String id) {
        broadcast(Map.of("type", "change", "change", type, "id", id, "time", Instant.now().toString()));
    }

    /** Turns kit events into alerts for the configured inputs and outputs. */
    void onKitEvent(StreamKitEvent event) {
        if (event instanceof StreamKitEvent.EndpointStateChanged e && e.state() == ConnectionState.RETRYING) {
            InputDef in = inputByKey.apply(e.path());
            if (in != null) {
                alert("warning", e.output() ? "output.failing" : "input.pull.failing", in, e.uri() + " failed: " + e
                        .error());
            }
        } else if (event instanceof StreamKitEvent.StreamUnpublished e) {
            InputDef in = inputByKey.apply(e.path());
            if (in != null) {
                alert("warning", "input.lost", in, "input '" + in.name() + "' lost its publisher");
            }
        } else if (event instanceof StreamKitEvent.StreamPublished e) {
            InputDef in = inputByKey.apply(e.path());
            if (in != null) {
                alert("info", "input.live", in, "input '" + in.name() + "' is live (" + e.label() + ")");
            }
        }
    }

    private void alert(String level, String kind, InputDef in, String message) {
        // one alert per input and kind a minute: a failing destination retries every few seconds
        long now = System.nanoTime();
        String key = in.id() + "/" + kind;
        Long last = lastAlert.get(key);
        if (!kind.equals("input.live") && last != null && now - last < ALERT_INTERVAL_NANOS) {
            return;
        }
        lastAlert.put(key, now);
        if (lastAlert.size() > 10_000) {
            lastAlert.clear();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "alert");
        m.put("level", level);
        m.put("alert", kind);
        m.put("inputId", in.id());
        m.put("message", message);
        m.put("time", Instant.now().toString());
        broadcast(m);
    }

    private void broadcast(Object message) {
        if (clients.isEmpty()) {
            return;
        }
        String text = text(message);
        for (Client c : clients) {
            c.sendText(text);
        }
    }

    private static String text(Object message) {
        return new String(Json.write(message), java.nio.charset.StandardCharsets.UTF_8);
    }

    private void tick() {
        if (clients.isEmpty()) {
            return;
        }
        try {
            Instant now = Instant.now();
            Object inputs = service.statuses(Actor.system());
            String full = null;
            String redacted = null;
            for (Client c : clients) {
                String stats;
                if (c.actor.role().allows(io.streamkit.relay.control.auth.Permission.MANAGE_STREAMS)) {
                    if (full == null) {
                        full = text(Map.of("type", "stats", "time", now.toString(), "inputs", inputs, "connections",
                                service.connections(c.actor)));
                    }
                    stats = full;
                } else {
                    if (redacted == null) {
                        redacted = text(Map.of("type", "stats", "time", now.toString(), "inputs", inputs,
                                "connections", service.connections(c.actor)));
                    }
                    stats = redacted;
                }
                if (now.isAfter(c.expires)) {
                    c.channel.writeAndFlush(new CloseWebSocketFrame(4001, "token expired")).addListener(f -> c.channel
                            .close());
                    clients.remove(c);
                } else {
                    c.sendText(stats);
                }
            }
        } catch (RuntimeException e) {
            log.warn("stats tick failed: {}", e.toString());
        }
    }

    void close() {
        ticker.cancel(false);
        for (Client c : clients) {
            c.channel.writeAndFlush(new CloseWebSocketFrame(1001, "server shutting down")).addListener(f -> c.channel
                    .close());
        }
        clients.clear();
    }
}
