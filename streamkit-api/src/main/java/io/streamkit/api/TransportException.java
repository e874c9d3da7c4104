package io.streamkit.api;

/**
 * A connection could not be made, was lost, or the peer sent bytes that violate the wire protocol.
 */
public class TransportException extends StreamKitException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, specific enough to act on */
    public TransportException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what went wrong
     * @param writableStackTrace {@code false} to skip capturing the stack trace (packet-path errors)
     */
    protected TransportException(String message, boolean writableStackTrace) {
        super(message, writableStackTrace);
    }
}
