package io.streamkit.webrtc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An {@code a=ssrc-group} line (<a href="https://www.rfc-editor.org/rfc/rfc5576#section-4.2">RFC 5576
 * section 4.2</a>): {@code FID} pairs a media SSRC with its RTX SSRC
 * (<a href="https://www.rfc-editor.org/rfc/rfc4588#section-8.1">RFC 4588</a>), {@code SIM} lists
 * simulcast SSRCs (legacy libwebrtc).
 *
 * @param semantics the group semantics, for example {@code FID}
 * @param ssrcs the SSRCs in order
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) {

    /** Validates the semantics token and every SSRC. */
    public SsrcGroup {
        Sdp.requireToken(semantics, "ssrc-group semantics");
        ssrcs = List.copyOf(ssrcs);
        for (long s : ssrcs) {
            if (s < 0 || s > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("SSRC must be in 0 to 4294967295, got " + s);
            }
        }
    }

    /**
     * Parses an {@code a=ssrc-group} value.
     *
     * @param value for example {@code FID 1234 5678}
     * @return the group
     * @throws SdpParseException when the value does not follow RFC 5576
     */
    public static SsrcGroup parse(String value) {
        return Sdp.guard(() -> parseUnguarded(value));
    }

    private static SsrcGroup parseUnguarded(String value) {
        List<String> words = Sdp.words(value);
        if (words.isEmpty() || !Sdp.isToken(words.get(0))) {
            throw new SdpParseException("ssrc-group must start with a semantics token, got " + Sdp.quote(value));
        }
        List<Long> ssrcs = new ArrayList<>();
        for (String w : words.subList(1, words.size())) {
            ssrcs.add(Sdp.parseLong(w, 0, 0xFFFF_FFFFL, "ssrc-group SSRC"));
        }
        return new SsrcGroup(words.get(0), ssrcs);
    }

    /** @return the attribute value, e.g. {@code FID 1234 5678} */
    @Override
    public String toString() {
        return ssrcs.isEmpty()
                ? semantics
                : semantics + " " + ssrcs.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }
}
