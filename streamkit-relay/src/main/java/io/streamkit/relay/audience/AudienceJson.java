package io.streamkit.relay.audience;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.streamkit.relay.audience.AudienceException.Code;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Set;

/**
 * The audience protocol's JSON: one object per message with a {@code type}. Reading is strict
 * (unknown fields refused, sizes bounded); writing produces UTF-8 bytes once per event, shared by
 * every connection it is broadcast to. The schema is in the audience guide.
 */
final class AudienceJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().streamReadConstraints(StreamReadConstraints
            .builder().maxNestingDepth(4).maxStringLength(16_384).maxNumberLength(20).build()).build();
    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY).build();
    private static final int MAX_STRING_FIELD = 256;

    /** A parsed request. */
    record Request(String type, JsonNode body) {
        String requiredString(String field) {
            String s = optionalString(field);
            if (s == null) {
                throw new AudienceException(Code.MISSING_FIELD, field,
                        type + " needs the string field '" + field + "'");
            }
            return s;
        }

        String optionalString(String field) {
            JsonNode n = body.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isTextual()) {
                throw new AudienceException(Code.INVALID_FIELD, field, "'" + field + "' must be a string, got "
                        + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            return n.textValue();
        }

        /** String fields other than chat content are at most 256 characters. */
        String boundedString(String field, boolean required) {
            String s = required ? requiredString(field) : optionalString(field);
            if (s != null && s.length() > MAX_STRING_FIELD) {
                throw new AudienceException(Code.FIELD_TOO_LONG, field, "'" + field + "' has " + s.length()
                        + " characters; at most " + MAX_STRING_FIELD + " are allowed");
            }
            return s;
        }

        void allowOnly(Set<String> fields) {
            Iterator<String> names = body.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!name.equals("type") && !fields.contains(name)) {
                    throw new AudienceException(Code.INVALID_FIELD, name, type + " has no field '"
                            + (name.length() > 40 ? name.substring(0, 40) + "…" : name) + "'; allowed: "
                            + String.join(", ", fields));
                }
            }
        }
    }

    private AudienceJson() {
    }

    /**
     * @param text one text frame
     * @return the request
     * @throws AudienceException {@code MALFORMED_JSON} or {@code INVALID_MESSAGE}
     */
    static Request parse(String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            throw new AudienceException(Code.MALFORMED_JSON, "not valid JSON: " + (m.length() > 120
                    ? m.substring(0,
                            120) + "…"
                    : m));
        }
        if (node == null || !node.isObject()) {
            throw new AudienceException(Code.INVALID_MESSAGE, "a message is a JSON object with a 'type'");
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual() || type.textValue().isEmpty()) {
            throw new AudienceException(Code.INVALID_MESSAGE, "type", "the message has no string 'type'");
        }
        if (type.textValue().length() > 64) {
            throw new AudienceException(Code.FIELD_TOO_LONG, "type", "'type' is longer than 64 characters");
        }
        return new Request(type.textValue(), node);
    }

    /**
     * @param event an event
     * @return its JSON as UTF-8
     */
    static byte[] write(AudienceEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", event.type());
            if (event instanceof AudienceEvent.UserRegistered r) {
                writeUserFields(g, r.user());
                if (r.user().streamKey() != null) {
                    g.writeStringField("streamKey", r.user().streamKey());
                }
                if (r.token() != null) {
                    g.writeStringField("token", r.token());
                }
                if (r.publishSecret() != null) {
                    g.writeStringField("publishSecret", r.publishSecret());
                }
            } else if (event instanceof AudienceEvent.StreamJoined j) {
                g.writeStringField("streamKey", j.streamKey());
                g.writeStringField("streamer", j.streamer().username());
                g.writeBooleanField("owner", j.owner());
                g.writeNumberField("viewerCount", j.viewerCount());
                g.writeBooleanField("live", j.live());
                if (j.owner()) {
                    g.writeArrayFieldStart("viewers");
                    for (AudienceUser v : j.viewers()) {
                        g.writeStartObject();
                        writeUserFields(g, v);
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeArrayFieldStart("history");
                for (ChatMessage m : j.history()) {
                    g.writeStartObject();
                    writeChatFields(g, m);
                    g.writeEndObject();
                }
                g.writeEndArray();
            } else if (event instanceof AudienceEvent.StreamLeft l) {
                g.writeStringField("streamKey", l.streamKey());
            } else if (event instanceof AudienceEvent.ViewerJoined v) {
                g.writeStringField("streamKey", v.streamKey());
                writeUserFields(g, v.viewer());
                g.writeNumberField("viewerCount", v.viewerCount());
            } else if (event instanceof AudienceEvent.ViewerLeft v) {
                g.writeStringField("streamKey", v.streamKey());
                writeUserFields(g, v.viewer());
                g.writeNumberField("viewerCount", v.viewerCount());
            } else if (event instanceof AudienceEvent.ChatBroadcast c) {
                writeChatFields(g, c.message());
            } else if (event instanceof AudienceEvent.StreamStatus s) {
                writeStreamFields(g, s.stream());
            } else if (event instanceof AudienceEvent.StreamList l) {
                g.writeArrayFieldStart("streams");
                for (StreamInfo s : l.streams()) {
                    g.writeStartObject();
                    writeStreamFields(g, s);
                    g.writeEndObject();
                }
                g.writeEndArray();
            } else if (event instanceof AudienceEvent.Failure f) {
                g.writeStringField("code", f.code().name());
                g.writeStringField("message", f.message());
                if (f.field() != null) {
                    g.writeStringField("field", f.field());
                }
                if (f.requestType() != null) {
                    g.writeStringField("requestType", f.requestType());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + event.type(), e);
        }
        return out.toByteArray();
    }

    private static void writeUserFields(JsonGenerator g, AudienceUser u) throws IOException {
        g.writeStringField("userId", u.userId());
        g.writeStringField("username", u.username());
        g.writeStringField("role", u.role().name());
    }

    private static void writeChatFields(JsonGenerator g, ChatMessage m) throws IOException {
        g.writeStringField("streamKey", m.streamKey());
        g.writeNumberField("id", m.id());
        g.writeObjectFieldStart("from");
        writeUserFields(g, m.from());
        g.writeEndObject();
        g.writeStringField("content", m.content());
        g.writeStringField("time", m.time().toString());
    }

    private static void writeStreamFields(JsonGenerator g, StreamInfo s) throws IOException {
        g.writeStringField("streamKey", s.streamKey());
        g.writeStringField("streamer", s.streamer());
        g.writeBooleanField("live", s.live());
        g.writeNumberField("viewerCount", s.viewerCount());
    }
}
