package io.streamkit.api;

/**
 * Media or container data could not be parsed or written (for example a truncated NAL unit, an AMF value that does not parse, a malformed MPEG-TS packet).
 */
public class CodecException extends StreamKitException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, specific enough to act on */
    public CodecException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
