package io.streamkit.webrtc.sdp;

import java.util.List;

/**
 * A session-level {@code a=group} line (<a href="https://www.rfc-editor.org/rfc/rfc5888#section-5">RFC
 * 5888 section 5</a>), in WebRTC {@code a=group:BUNDLE 0 1 2}
 * (<a href="https://www.rfc-editor.org/rfc/rfc9143">RFC 9143</a>).
 *
 * @param semantics the semantics, for example {@code BUNDLE}
 * @param mids the identification tags in order
 */
public record Group(String semantics, List<String> mids) {

    /** The BUNDLE semantics. */
    public static final String BUNDLE = "BUNDLE";

    /** Validates the semantics and the tags. */
    public Group {
        Sdp.requireToken(semantics, "group semantics");
        mids = List.copyOf(mids);
        for (String mid : mids) {
            Sdp.requireToken(mid, "group identification tag");
        }
    }

    /**
     * Parses an {@code a=group} value.
     *
     * @param value for example {@code BUNDLE 0 1}
     * @return the group
     * @throws SdpParseException when the semantics or a tag is not a token
     */
    public static Group parse(String value) {
        return Sdp.guard(() -> parseUnguarded(value));
    }

    private static Group parseUnguarded(String value) {
        List<String> words = Sdp.words(value);
        if (words.isEmpty()) {
            throw new SdpParseException("group has no semantics");
        }
        for (String w : words) {
            if (!Sdp.isToken(w)) {
                throw new SdpParseException("group semantics and tags must be tokens, got " + Sdp.quote(w));
            }
        }
        return new Group(words.get(0), words.subList(1, words.size()));
    }

    /** @return the attribute value, e.g. {@code BUNDLE 0 1} */
    @Override
    public String toString() {
        return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
    }
}
