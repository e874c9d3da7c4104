package io.streamkit.webrtc.sdp;

/**
 * One {@code a=ssrc} line (<a href="https://www.rfc-editor.org/rfc/rfc5576#section-4.1">RFC 5576
 * section 4.1</a>), for example {@code a=ssrc:1234 cname:abc} or {@code a=ssrc:1234 msid:s t}.
 *
 * @param ssrc the synchronization source, 0 to 2^32-1
 * @param attribute the source attribute name, for example {@code cname}
 * @param value the source attribute value, or {@code null}
 */
public record SsrcAttribute(long ssrc, String attribute, String value) {

    /** Validates the SSRC range and the attribute. */
    public SsrcAttribute {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("SSRC must be in 0 to 4294967295, got " + ssrc);
        }
        Sdp.requireToken(attribute, "ssrc attribute name");
        if (value != null) {
            Sdp.requireText(value, "ssrc attribute value");
        }
    }

    /**
     * Parses an {@code a=ssrc} value.
     *
     * @param value for example {@code 1234 cname:abc}
     * @return the source attribute
     * @throws SdpParseException when the value does not follow RFC 5576
     */
    public static SsrcAttribute parse(String value) {
        return Sdp.guard(() -> parseUnguarded(value));
    }

    private static SsrcAttribute parseUnguarded(String value) {
        int sp = value.indexOf(' ');
        if (sp <= 0) {
            throw new SdpParseException("ssrc must be '<ssrc> <attribute>[:<value>]', got " + Sdp.quote(value));
        }
        long ssrc = Sdp.parseLong(value.substring(0, sp), 0, 0xFFFF_FFFFL, "SSRC");
        String rest = value.substring(sp + 1);
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        if (!Sdp.isToken(name)) {
            throw new SdpParseException("ssrc attribute name must be a token, got " + Sdp.quote(name));
        }
        return new SsrcAttribute(ssrc, name, colon < 0 ? null : rest.substring(colon + 1));
    }

    /** @return the attribute value, e.g. {@code 1234 cname:abc} */
    @Override
    public String toString() {
        return ssrc + " " + attribute + (value == null ? "" : ":" + value);
    }
}
