package io.streamkit.relay.control;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The control plane's JSON mapping: strict on input (unknown fields refused), ISO-8601 times. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new JavaTimeModule()).enable(
            DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).enable(
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(
                    SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16)
                .maxStringLength(16_384).maxNumberLength(32).build());
    }

    private Json() {
    }

    /**
     * Reads a request body.
     *
     * @throws ApiException {@link ApiException.Kind#INVALID} naming the offending field
     */
    static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiException.invalid("body", "a JSON object is required");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiException.invalid("body", "a JSON object is required, got null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null
                    ? ""
                    : e.getKnownPropertyIds().stream().map(
                            Object::toString).sorted().collect(Collectors.joining(", "));
            throw ApiException.invalid(path(e, e.getPropertyName()), "unknown field; allowed: " + known);
        } catch (InvalidFormatException e) {
            Class<?> target = e.getTargetType();
            String expected = target.isEnum()
                    ? "one of " + Arrays.toString(target.getEnumConstants())
                    : "a " + target.getSimpleName();
            throw ApiException.invalid(path(e, null), "must be " + expected + ", got " + e.getValue());
        } catch (MismatchedInputException e) {
            throw ApiException.invalid(path(e, null), "has the wrong type: " + e.getOriginalMessage().split(
                    "\n")[0]);
        } catch (JsonParseException e) {
            throw ApiException.invalid("body", "malformed JSON at line " + e.getLocation().getLineNr() + " column " + e
                    .getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw ApiException.invalid("body", "cannot be read: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.invalid("body", "cannot be read: " + e.getMessage());
        }
    }

    private static String path(JsonMappingException e, String fallback) {
        String p = e.getPath().stream().map(r -> r.getFieldName() != null
                ? r.getFieldName()
                : "[" + r.getIndex() + "]").collect(Collectors.joining("."));
        return p.isEmpty() ? (fallback == null ? "body" : fallback) : p;
    }

    /** Serializes a value. */
    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
