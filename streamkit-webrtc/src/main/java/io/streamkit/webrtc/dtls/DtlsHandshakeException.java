package io.streamkit.webrtc.dtls;

import io.streamkit.api.NegotiationException;
import java.util.Objects;

/**
 * A DTLS handshake failed; {@link #reason()} says why. Subclasses mark the failures callers often
 * handle separately.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6347">RFC 6347 (DTLS 1.2)</a>
 */
public class DtlsHandshakeException extends NegotiationException {
    private static final long serialVersionUID = 1L;

    private final DtlsFailureReason reason;

    /**
     * @param reason the failure category
     * @param message what went wrong, specific enough to act on
     */
    public DtlsHandshakeException(DtlsFailureReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * @param reason the failure category
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public DtlsHandshakeException(DtlsFailureReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return the failure category */
    public DtlsFailureReason reason() {
        return reason;
    }
}
