package io.streamkit.api;

/**
 * Root of StreamKit's unchecked exception hierarchy.
 *
 * <p>The hierarchy is deliberately shallow: {@link TransportException} for connection and wire
 * failures, {@link NegotiationException} for handshakes and offer/answer, {@link CodecException}
 * for media that cannot be parsed, and {@link PublishRejectedException} when a stream refuses a
 * publisher. On the packet hot path StreamKit drops and counts instead of throwing.
 */
public class StreamKitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, specific enough to act on */
    public StreamKitException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public StreamKitException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * For exceptions thrown on a packet path, possibly once per packet of a flood: without a stack
     * trace, whose capture would cost more than the work that failed.
     *
     * @param message what went wrong
     * @param writableStackTrace {@code false} to skip capturing the stack trace
     */
    protected StreamKitException(String message, boolean writableStackTrace) {
        super(message, null, true, writableStackTrace);
    }
}
