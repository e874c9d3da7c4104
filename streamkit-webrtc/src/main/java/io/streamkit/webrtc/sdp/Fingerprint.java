package io.streamkit.webrtc.sdp;

import java.util.Locale;

/**
 * The DTLS certificate fingerprint {@code a=fingerprint}
 * (<a href="https://www.rfc-editor.org/rfc/rfc8122#section-5">RFC 8122 section 5</a>).
 *
 * @param algorithm the hash function, lower case, for example {@code sha-256}
 * @param value the fingerprint as colon-separated upper-case hex pairs
 */
public record Fingerprint(String algorithm, String value) {

    /** Normalizes the case and validates the hex pairs. */
    public Fingerprint {
        Sdp.requireToken(algorithm, "fingerprint algorithm");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        if (value == null || value.isEmpty() || value.length() > 3 * 64 || value.length() % 3 != 2) {
            throw new IllegalArgumentException("fingerprint must be 1 to 64 colon-separated hex pairs, got "
                    + Sdp.quote(value));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = i % 3 == 2 ? c == ':' : Character.digit(c, 16) >= 0 && c < 128;
            if (!ok) {
                throw new IllegalArgumentException("fingerprint must be colon-separated hex pairs, got "
                        + Sdp.quote(value));
            }
        }
        value = value.toUpperCase(Locale.ROOT);
    }

    /**
     * The fingerprint of a certificate's DER encoding as SDP writes it.
     *
     * @param algorithm the hash function name, for example {@code sha-256}
     * @param digest the digest bytes
     * @return the fingerprint
     */
    public static Fingerprint of(String algorithm, byte[] digest) {
        StringBuilder sb = new StringBuilder();
        for (byte b : digest) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02X", b & 0xff));
        }
        return new Fingerprint(algorithm, sb.toString());
    }

    /**
     * The digest bytes.
     *
     * @return a new array with the bytes the hex pairs denote
     */
    public byte[] bytes() {
        byte[] out = new byte[(value.length() + 1) / 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(value.substring(3 * i, 3 * i + 2), 16);
        }
        return out;
    }

    /**
     * Parses an {@code a=fingerprint} value.
     *
     * @param text for example {@code sha-256 AB:CD:...}
     * @return the fingerprint
     * @throws SdpParseException when the value is not an algorithm and hex pairs
     */
    public static Fingerprint parse(String text) {
        return Sdp.guard(() -> {
            var words = Sdp.words(text);
            if (words.size() != 2) {
                throw new SdpParseException("fingerprint must be '<algorithm> <hex pairs>', got " + Sdp.quote(text));
            }
            return new Fingerprint(words.get(0), words.get(1));
        });
    }

    /** @return the attribute value, e.g. {@code sha-256 AB:CD:...} */
    @Override
    public String toString() {
        return algorithm + ' ' + value;
    }
}
