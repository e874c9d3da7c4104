package io.streamkit.webrtc.sdp;

/**
 * The media-level {@code a=msid} attribute (<a href="https://www.rfc-editor.org/rfc/rfc8830#section-2">RFC
 * 8830 section 2</a>): the MediaStream id and the track id. A stream id of {@code -} means no stream.
 *
 * @param streamId the MediaStream id
 * @param trackId the track id (the "appdata"), or {@code null}
 */
public record Msid(String streamId, String trackId) {

    /** Validates the ids. */
    public Msid {
        requireId(streamId, "msid stream id");
        if (trackId != null) {
            requireId(trackId, "msid track id");
        }
    }

    private static void requireId(String id, String what) {
        Sdp.requireWord(id, what);
        if (id.length() > 256) {
            throw new IllegalArgumentException(what + " must be at most 256 characters");
        }
    }

    /**
     * Parses an {@code a=msid} value.
     *
     * @param value for example {@code stream1 track1}
     * @return the msid
     * @throws SdpParseException when the value has no id, more than two ids, or too long ids
     */
    public static Msid parse(String value) {
        return Sdp.guard(() -> parseUnguarded(value));
    }

    private static Msid parseUnguarded(String value) {
        var words = Sdp.words(value);
        if (words.isEmpty() || words.size() > 2) {
            throw new SdpParseException("msid must be '<stream id> [<track id>]', got " + Sdp.quote(value));
        }
        for (String w : words) {
            if (w.length() > 256) {
                throw new SdpParseException("msid ids must be at most 256 characters");
            }
        }
        return new Msid(words.get(0), words.size() > 1 ? words.get(1) : null);
    }

    /** @return the attribute value, e.g. {@code stream1 track1} */
    @Override
    public String toString() {
        return trackId == null ? streamId : streamId + ' ' + trackId;
    }
}
