package io.streamkit.webrtc.dtls;

/**
 * The certificate the peer presented in the DTLS handshake does not hash to the fingerprint its SDP
 * announced: the handshake is aborted (possible man in the middle, or mixed-up sessions).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8122#section-5">RFC 8122 §5</a>
 */
public class DtlsFingerprintMismatchException extends DtlsHandshakeException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    /**
     * @param expected the fingerprint from the SDP, in SDP form
     * @param actual the fingerprint of the presented certificate with the same hash function
     */
    public DtlsFingerprintMismatchException(String expected, String actual) {
        super(DtlsFailureReason.FINGERPRINT_MISMATCH,
                "peer certificate fingerprint " + actual + " does not match the SDP fingerprint " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    /** @return the fingerprint announced in the SDP */
    public String expected() {
        return expected;
    }

    /** @return the fingerprint of the certificate the peer presented */
    public String actual() {
        return actual;
    }
}
