package io.streamkit.api;

/**
 * A handshake, offer/answer or parameter negotiation failed (for example an unsupported version or a rejected stream id).
 */
public class NegotiationException extends StreamKitException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, specific enough to act on */
    public NegotiationException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public NegotiationException(String message, Throwable cause) {
        super(message, cause);
    }
}
