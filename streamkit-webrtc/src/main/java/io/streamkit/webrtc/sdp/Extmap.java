package io.streamkit.webrtc.sdp;

/**
 * An RTP header extension mapping {@code a=extmap}
 * (<a href="https://www.rfc-editor.org/rfc/rfc8285#section-8">RFC 8285 section 8</a>).
 *
 * @param id the local identifier, 1-255 (1-14 for one-byte headers) or 4096-4351
 * @param direction the optional direction (Firefox writes {@code 2/recvonly}), or {@code null}
 * @param uri the extension URI
 * @param attributes extension attributes after the URI, or {@code null}
 */
public record Extmap(int id, Direction direction, String uri, String attributes) {

    /** Validates the id range, the URI and the attributes. */
    public Extmap {
        if (!(id >= 1 && id <= 255 || id >= 4096 && id <= 4351)) {
            throw new IllegalArgumentException("extmap id must be in 1-255 or 4096-4351, got " + id);
        }
        Sdp.requireWord(uri, "extmap URI");
        if (attributes != null) {
            Sdp.requireText(attributes, "extmap attributes");
            if (attributes.isEmpty() || attributes.startsWith(" ") || attributes.endsWith(" ")) {
                throw new IllegalArgumentException("extmap attributes must be non-empty and trimmed");
            }
        }
    }

    /**
     * A mapping without direction or attributes.
     *
     * @param id the identifier
     * @param uri the extension URI
     * @return the mapping
     */
    public static Extmap of(int id, String uri) {
        return new Extmap(id, null, uri, null);
    }

    /**
     * Parses an {@code a=extmap} value.
     *
     * @param value for example {@code 3 urn:ietf:params:rtp-hdrext:sdes:mid}
     * @return the mapping
     * @throws SdpParseException when the value does not follow RFC 8285
     */
    public static Extmap parse(String value) {
        return Sdp.guard(() -> parseUnguarded(value));
    }

    private static Extmap parseUnguarded(String value) {
        int sp = value.indexOf(' ');
        if (sp <= 0) {
            throw new SdpParseException("extmap must be '<id>[/<direction>] <uri>', got " + Sdp.quote(value));
        }
        String head = value.substring(0, sp);
        String rest = value.substring(sp + 1).strip();
        Direction direction = null;
        int slash = head.indexOf('/');
        if (slash >= 0) {
            direction = Direction.parse(head.substring(slash + 1));
            head = head.substring(0, slash);
        }
        int id = Sdp.parseInt(head, 1, 4351, "extmap id");
        if (id > 255 && id < 4096) {
            throw new SdpParseException("extmap id must be in 1-255 or 4096-4351, got " + id);
        }
        if (rest.isEmpty()) {
            throw new SdpParseException("extmap has no URI: " + Sdp.quote(value));
        }
        int sp2 = rest.indexOf(' ');
        String uri = sp2 < 0 ? rest : rest.substring(0, sp2);
        String attrs = sp2 < 0 ? null : rest.substring(sp2 + 1).strip();
        return new Extmap(id, direction, uri, attrs == null || attrs.isEmpty() ? null : attrs);
    }

    /** @return the attribute value, e.g. {@code 3 urn:ietf:params:rtp-hdrext:sdes:mid} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(id);
        if (direction != null) {
            sb.append('/').append(direction.attributeName());
        }
        sb.append(' ').append(uri);
        if (attributes != null) {
            sb.append(' ').append(attributes);
        }
        return sb.toString();
    }
}
