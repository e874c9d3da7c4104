package io.streamkit.webrtc.signaling;

import io.streamkit.api.StreamKitException;
import java.util.Objects;

/**
 * A signaling request that was refused. The {@link #code()} is sent to the client in an
 * {@code error} message together with the message text, so both are specific enough to act on.
 */
public class SignalingException extends StreamKitException {
    private static final long serialVersionUID = 1L;

    /** The text did not parse as one JSON object. */
    public static final String MALFORMED_JSON = "malformed_json";
    /** A field is missing, has the wrong type or is out of range. */
    public static final String INVALID_MESSAGE = "invalid_message";
    /** The {@code type} is not part of the protocol. */
    public static final String UNKNOWN_TYPE = "unknown_type";
    /** A message other than {@code join} arrived before the peer joined. */
    public static final String NOT_JOINED = "not_joined";
    /** A second {@code join} on the same connection. */
    public static final String ALREADY_JOINED = "already_joined";
    /** The room has reached its peer limit. */
    public static final String ROOM_FULL = "room_full";
    /** The authentication hook refused the peer. */
    public static final String UNAUTHORIZED = "unauthorized";
    /** The request is valid but not supported by this server (for example, no media plane). */
    public static final String UNSUPPORTED = "unsupported";
    /** The media plane refused an offer, answer or candidate. */
    public static final String MEDIA_ERROR = "media_error";
    /** The client sends faster than the configured message rate. */
    public static final String RATE_LIMITED = "rate_limited";

    private final String code;

    /**
     * @param code one of the constants of this class (sent to the client)
     * @param message what went wrong (sent to the client)
     */
    public SignalingException(String code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code one of the constants of this class
     * @param message what went wrong
     * @param cause the underlying failure (not sent to the client)
     */
    public SignalingException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the machine-readable error code sent to the client */
    public String code() {
        return code;
    }
}
