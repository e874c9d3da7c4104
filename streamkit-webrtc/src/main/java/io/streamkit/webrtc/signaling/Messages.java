package io.streamkit.webrtc.signaling;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Parsing, validation and writing of the protocol's JSON messages. */
final class Messages {
    /** Most strings of the protocol: 1 to 256 characters. */
    static final int MAX_STRING = 256;
    /** A whole message, and so an SDP, is at most 64 KiB. */
    static final int MAX_MESSAGE = 64 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8)
                .maxStringLength(MAX_MESSAGE).maxNumberLength(20).build());
    }

    private Messages() {
    }

    /** A received message: its type and its fields. */
    record Received(String type, ObjectNode body) {

        String requiredString(String field, int maxLength) {
            String value = optionalString(field, maxLength);
            if (value == null) {
                throw invalid(field + " is required (a string of 1 to " + maxLength + " characters)");
            }
            return value;
        }

        String optionalString(String field, int maxLength) {
            JsonNode node = body.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                throw invalid(field + " must be a string, got " + kind(node));
            }
            String value = node.textValue();
            if (value.isEmpty() || value.length() > maxLength) {
                throw invalid(field + " must be 1 to " + maxLength + " characters, got " + value.length());
            }
            return value;
        }

        /** A string that may be empty (the end-of-candidates candidate). */
        String stringAllowEmpty(String field, int maxLength) {
            JsonNode node = body.get(field);
            if (node == null || node.isNull()) {
                throw invalid(field + " is required (a string of at most " + maxLength + " characters)");
            }
            if (!node.isTextual()) {
                throw invalid(field + " must be a string, got " + kind(node));
            }
            String value = node.textValue();
            if (value.length() > maxLength) {
                throw invalid(field + " must be at most " + maxLength + " characters, got " + value.length());
            }
            return value;
        }

        Boolean optionalBoolean(String field) {
            JsonNode node = body.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isBoolean()) {
                throw invalid(field + " must be true or false, got " + kind(node));
            }
            return node.booleanValue();
        }

        int optionalInt(String field, int min, int max, int absent) {
            JsonNode node = body.get(field);
            if (node == null || node.isNull()) {
                return absent;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
                throw invalid(field + " must be an integer from " + min + " to " + max + ", got "
                        + abbreviate(node.toString()));
            }
            return node.intValue();
        }

        PcTarget target(PcTarget absent) {
            String value = optionalString("target", MAX_STRING);
            return value == null ? absent : PcTarget.fromWireName(value);
        }
    }

    /**
     * Parses one message.
     *
     * @throws SignalingException {@code malformed_json} or {@code invalid_message}
     */
    static Received parse(String text) {
        if (text.length() > MAX_MESSAGE) {
            throw new SignalingException(SignalingException.INVALID_MESSAGE,
                    "message is " + text.length() + " characters; at most " + MAX_MESSAGE + " are accepted");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new SignalingException(SignalingException.MALFORMED_JSON, "malformed JSON: " + e.getOriginalMessage(),
                    e);
        }
        if (node == null || !node.isObject()) {
            throw new SignalingException(SignalingException.MALFORMED_JSON,
                    "a message must be a JSON object, got " + (node == null ? "nothing" : kind(node)));
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual() || type.textValue().isEmpty()) {
            throw invalid("type is required (a string)");
        }
        if (type.textValue().length() > MAX_STRING) {
            throw invalid("type must be at most " + MAX_STRING + " characters");
        }
        return new Received(type.textValue(), (ObjectNode) node);
    }

    /** @return a new message object of that type */
    static ObjectNode message(String type) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", type);
        return node;
    }

    static ObjectNode peerState(String type, String peerId, MediaState state) {
        ObjectNode node = message(type);
        node.put("peerId", peerId);
        node.put("audioEnabled", state.audioEnabled());
        node.put("videoEnabled", state.videoEnabled());
        node.put("screenEnabled", state.screenEnabled());
        node.put("speaking", state.speaking());
        return node;
    }

    static ObjectNode error(String code, String message, String requestType) {
        ObjectNode node = message("error");
        node.put("code", code);
        node.put("message", message);
        if (requestType != null) {
            node.put("requestType", requestType);
        }
        return node;
    }

    static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    static SignalingException invalid(String message) {
        return new SignalingException(SignalingException.INVALID_MESSAGE, message);
    }

    /** @return the value cut to 40 characters, for error messages that echo client input */
    static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case BINARY -> "binary";
        };
    }
}
