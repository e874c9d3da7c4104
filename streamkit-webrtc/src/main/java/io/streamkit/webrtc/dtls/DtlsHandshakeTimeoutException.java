package io.streamkit.webrtc.dtls;

import java.time.Duration;

/**
 * The DTLS handshake did not complete within the configured time (peer gone, path blocked, or the
 * SDP fingerprint never arrived).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6347#section-4.2.4">RFC 6347 §4.2.4 (timers)</a>
 */
public class DtlsHandshakeTimeoutException extends DtlsHandshakeException {
    private static final long serialVersionUID = 1L;

    /** @param timeout the timeout that expired */
    public DtlsHandshakeTimeoutException(Duration timeout) {
        super(DtlsFailureReason.TIMEOUT, "DTLS handshake did not complete within " + timeout.toMillis() + " ms");
    }
}
