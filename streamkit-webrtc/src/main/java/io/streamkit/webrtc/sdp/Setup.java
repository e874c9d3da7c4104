package io.streamkit.webrtc.sdp;

/**
 * The DTLS role attribute {@code a=setup} (<a href="https://www.rfc-editor.org/rfc/rfc4145#section-4">RFC
 * 4145 section 4</a>, for DTLS <a href="https://www.rfc-editor.org/rfc/rfc8842#section-5">RFC 8842
 * section 5</a>): the offerer writes {@code actpass}, the answerer {@code active} (DTLS client) or
 * {@code passive} (DTLS server).
 */
public enum Setup {
    /** The endpoint initiates the DTLS handshake (client). */
    ACTIVE("active"),
    /** The endpoint waits for the DTLS handshake (server). */
    PASSIVE("passive"),
    /** Either role; only valid in an offer. */
    ACTPASS("actpass"),
    /** No connection yet; not used by WebRTC. */
    HOLDCONN("holdconn");

    private final String value;

    Setup(String value) {
        this.value = value;
    }

    /**
     * The attribute value as written in SDP.
     *
     * @return for example {@code passive}
     */
    public String value() {
        return value;
    }

    /**
     * Parses an {@code a=setup} value.
     *
     * @param text the value
     * @return the role
     * @throws SdpParseException when the value is not one of the four roles
     */
    public static Setup parse(String text) {
        for (Setup s : values()) {
            if (s.value.equals(text)) {
                return s;
            }
        }
        throw new SdpParseException("setup must be active, passive, actpass or holdconn, got " + Sdp.quote(text));
    }
}
