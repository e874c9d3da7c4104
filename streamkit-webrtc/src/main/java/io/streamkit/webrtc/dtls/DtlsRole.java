package io.streamkit.webrtc.dtls;

import java.util.Locale;

/**
 * Which side of the DTLS handshake this endpoint plays, as negotiated by the SDP {@code a=setup}
 * attribute.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8842#section-5">RFC 8842 §5 (a=setup for DTLS)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4145#section-4">RFC 4145 §4 (setup attribute)</a>
 */
public enum DtlsRole {
    /** Sends the ClientHello ({@code a=setup:active}). */
    CLIENT,
    /** Waits for the ClientHello ({@code a=setup:passive}); the SFU's role towards browsers. */
    SERVER;

    /**
     * Maps the local {@code a=setup} value of an answer (or of an offer that is not {@code actpass})
     * to a role.
     *
     * @param setup {@code active} or {@code passive}, case-insensitive
     * @return {@link #CLIENT} for {@code active}, {@link #SERVER} for {@code passive}
     * @throws IllegalArgumentException for {@code actpass}, {@code holdconn} or anything else, which
     *     do not determine a role
     */
    public static DtlsRole forLocalSetup(String setup) {
        if (setup == null) {
            throw new IllegalArgumentException("setup attribute is missing");
        }
        switch (setup.trim().toLowerCase(Locale.ROOT)) {
            case "active" :
                return CLIENT;
            case "passive" :
                return SERVER;
            default :
                throw new IllegalArgumentException(
                        "setup attribute '" + setup + "' does not determine a DTLS role (expected active or passive)");
        }
    }
}
