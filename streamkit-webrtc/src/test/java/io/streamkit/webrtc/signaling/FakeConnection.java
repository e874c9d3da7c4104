package io.streamkit.webrtc.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A connection that records what the hub sends, for tests. */
final class FakeConnection implements SignalingConnection {
    static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> received = new ArrayList<>();
    int closeCode = -1;
    String closeReason;

    @Override
    public synchronized void send(String json) {
        try {
            received.add(JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    synchronized List<JsonNode> all() {
        return new ArrayList<>(received);
    }

    synchronized List<JsonNode> ofType(String type) {
        return received.stream().filter(m -> m.path("type").asText().equals(type)).collect(Collectors.toList());
    }

    synchronized List<String> types() {
        return received.stream().map(m -> m.path("type").asText()).collect(Collectors.toList());
    }

    synchronized JsonNode last() {
        return received.get(received.size() - 1);
    }

    synchronized void clear() {
        received.clear();
    }

    static String json(Object... keyValues) {
        com.fasterxml.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            n.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        }
        return n.toString();
    }
}
