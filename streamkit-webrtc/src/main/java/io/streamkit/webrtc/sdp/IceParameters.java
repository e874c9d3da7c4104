package io.streamkit.webrtc.sdp;

import java.util.List;

/**
 * ICE credentials and options of an m-line, resolved from the media level or else the session level
 * (<a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.4">RFC 8839 section 5.4</a>).
 *
 * @param ufrag {@code a=ice-ufrag}
 * @param pwd {@code a=ice-pwd}
 * @param options the words of {@code a=ice-options}, for example {@code trickle}
 * @param lite whether the session has {@code a=ice-lite}
 */
public record IceParameters(String ufrag, String pwd, List<String> options, boolean lite) {

    /** Validates the credentials (RFC 8839 ice-char, lengths 4-256 and 22-256). */
    public IceParameters {
        requireIceChars(ufrag, 4, "ice-ufrag");
        requireIceChars(pwd, 22, "ice-pwd");
        options = List.copyOf(options);
    }

    static void requireIceChars(String s, int min, String what) {
        if (s == null || s.length() < min || s.length() > 256) {
            throw new IllegalArgumentException(what + " must be " + min + " to 256 characters, got " + Sdp.quote(s));
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/')) {
                throw new IllegalArgumentException(what + " may contain only letters, digits, '+' and '/', got "
                        + Sdp.quote(s));
            }
        }
    }
}
