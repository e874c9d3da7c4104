package io.streamkit.webrtc.sdp;

/**
 * The media direction attributes ({@code a=sendrecv}, {@code a=sendonly}, {@code a=recvonly},
 * {@code a=inactive}; <a href="https://www.rfc-editor.org/rfc/rfc8866#section-6.7">RFC 8866 section
 * 6.7</a>), always from the point of view of the description's author.
 */
public enum Direction {
    /** Sends and receives. */
    SENDRECV("sendrecv"),
    /** Sends only. */
    SENDONLY("sendonly"),
    /** Receives only. */
    RECVONLY("recvonly"),
    /** Neither sends nor receives. */
    INACTIVE("inactive");

    private final String attributeName;

    Direction(String attributeName) {
        this.attributeName = attributeName;
    }

    /**
     * The attribute name as written in SDP.
     *
     * @return for example {@code sendonly}
     */
    public String attributeName() {
        return attributeName;
    }

    /**
     * Whether the author sends media.
     *
     * @return true for sendrecv and sendonly
     */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /**
     * Whether the author receives media.
     *
     * @return true for sendrecv and recvonly
     */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /**
     * The direction seen from the other side: sendonly becomes recvonly and the reverse.
     *
     * @return the reversed direction
     */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /**
     * The direction named by an attribute, if it is one.
     *
     * @param name an attribute name
     * @return the direction, or {@code null} when the name is not a direction attribute
     */
    public static Direction fromAttributeName(String name) {
        for (Direction d : values()) {
            if (d.attributeName.equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * Parses a direction written without {@code a=} (as in {@code a=extmap:2/recvonly ...}).
     *
     * @param text the direction text
     * @return the direction
     * @throws SdpParseException when the text is not a direction
     */
    public static Direction parse(String text) {
        Direction d = fromAttributeName(text);
        if (d == null) {
            throw new SdpParseException("direction must be sendrecv, sendonly, recvonly or inactive, got "
                    + Sdp.quote(text));
        }
        return d;
    }
}
