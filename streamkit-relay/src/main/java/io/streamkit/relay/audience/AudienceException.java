package io.streamkit.relay.audience;

import java.util.Objects;

/**
 * A request the audience refuses, with a precise {@link Code}. Over WebSocket it becomes
 * {@code {"type":"ERROR","code":...,"message":...,"requestType":...}}; nothing else changes: the
 * connection, its memberships and every other user carry on.
 */
public final class AudienceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request was refused. */
    public enum Code {
        /** The text frame is not JSON. */
        MALFORMED_JSON,
        /** The JSON is not an object with a string {@code type}. */
        INVALID_MESSAGE,
        /** The {@code type} is not part of the protocol. */
        UNKNOWN_TYPE,
        /** A required field is absent or null. */
        MISSING_FIELD,
        /** A field has the wrong JSON type or a value outside its range. */
        INVALID_FIELD,
        /** A string field is longer than the protocol allows. */
        FIELD_TOO_LONG,
        /** A chat message is longer than the configured maximum. */
        MESSAGE_TOO_LONG,
        /** The request needs a registered user on this connection. */
        NOT_REGISTERED,
        /** This connection already has a user. */
        ALREADY_REGISTERED,
        /** Another user has this name. */
        USERNAME_TAKEN,
        /** No user has this resume token. */
        UNKNOWN_TOKEN,
        /** No stream has this key. */
        UNKNOWN_STREAM,
        /** The connection has not joined this stream. */
        NOT_A_MEMBER,
        /** The stream has reached its viewer limit. */
        STREAM_FULL,
        /** The user sent more chat messages than the rate limit allows. */
        RATE_LIMITED,
        /** The chat moderator refused the message. */
        REJECTED_BY_MODERATION,
        /** Binary frames are not part of the protocol. */
        BINARY_NOT_SUPPORTED
    }

    private final Code code;
    private final String field;

    /**
     * @param code why
     * @param message what exactly, for the client and the log
     */
    public AudienceException(Code code, String message) {
        this(code, null, message);
    }

    /**
     * @param code why
     * @param field the offending field, or {@code null}
     * @param message what exactly, for the client and the log
     */
    public AudienceException(Code code, String field, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    /** @return why */
    public Code code() {
        return code;
    }

    /** @return the offending field, or {@code null} */
    public String field() {
        return field;
    }
}
