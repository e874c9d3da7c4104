package io.streamkit.webrtc.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An {@code a=rid} line (<a href="https://www.rfc-editor.org/rfc/rfc8851#section-4">RFC 8851 section
 * 4</a>): one RTP stream (a simulcast layer) of an m-line, for example {@code a=rid:h send}.
 *
 * @param id the rid, letters, digits, {@code -} and {@code _}
 * @param direction {@code send} or {@code recv}
 * @param restrictions the restrictions in order (for example {@code pt=96,97},
 *     {@code max-width=1280}); a restriction without {@code =} maps to {@code null}
 */
public record Rid(String id, RidDirection direction, Map<String, String> restrictions) {

    /** The direction of an {@code a=rid} line. */
    public enum RidDirection {
        /** The author sends this stream. */
        SEND("send"),
        /** The author receives this stream. */
        RECV("recv");

        private final String value;

        RidDirection(String value) {
            this.value = value;
        }

        /**
         * The direction as written.
         *
         * @return {@code send} or {@code recv}
         */
        public String value() {
            return value;
        }

        /**
         * The opposite direction.
         *
         * @return recv for send and the reverse
         */
        public RidDirection reverse() {
            return this == SEND ? RECV : SEND;
        }
    }

    /** Validates the id and the restrictions and freezes the map. */
    public Rid {
        requireRidId(id);
        if (direction == null) {
            throw new IllegalArgumentException("rid direction is required");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : restrictions.entrySet()) {
            Sdp.requireToken(e.getKey(), "rid restriction name");
            if (e.getValue() != null && (!Sdp.isWord(e.getValue()) || e.getValue().indexOf(';') >= 0)) {
                throw new IllegalArgumentException("rid restriction value must be non-empty without spaces or ';', got "
                        + Sdp.quote(e.getValue()));
            }
            copy.put(e.getKey(), e.getValue());
        }
        restrictions = Collections.unmodifiableMap(copy);
    }

    static void requireRidId(String id) {
        if (id == null || id.isEmpty() || id.length() > 255) {
            throw new IllegalArgumentException("rid id must be 1 to 255 characters, got " + Sdp.quote(id));
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw new IllegalArgumentException("rid id may contain only letters, digits, '-' and '_', got "
                        + Sdp.quote(id));
            }
        }
    }

    /**
     * A rid without restrictions.
     *
     * @param id the rid
     * @param direction send or recv
     * @return the rid line
     */
    public static Rid of(String id, RidDirection direction) {
        return new Rid(id, direction, Map.of());
    }

    /**
     * Parses an {@code a=rid} value.
     *
     * @param value for example {@code h send pt=96;max-width=1280}
     * @return the rid line
     * @throws SdpParseException when the value does not follow RFC 8851
     */
    public static Rid parse(String value) {
        return Sdp.guard(() -> parseUnguarded(value));
    }

    private static Rid parseUnguarded(String value) {
        var words = Sdp.words(value);
        if (words.size() < 2 || words.size() > 3) {
            throw new SdpParseException("rid must be '<id> send|recv [<restrictions>]', got " + Sdp.quote(value));
        }
        RidDirection dir;
        if (words.get(1).equals("send")) {
            dir = RidDirection.SEND;
        } else if (words.get(1).equals("recv")) {
            dir = RidDirection.RECV;
        } else {
            throw new SdpParseException("rid direction must be send or recv, got " + Sdp.quote(words.get(1)));
        }
        Map<String, String> restrictions = new LinkedHashMap<>();
        if (words.size() == 3) {
            for (String item : words.get(2).split(";", -1)) {
                if (item.isEmpty()) {
                    throw new SdpParseException("rid restrictions contain an empty item: " + Sdp.quote(words.get(2)));
                }
                int eq = item.indexOf('=');
                String key = eq < 0 ? item : item.substring(0, eq);
                if (restrictions.containsKey(key)) {
                    throw new SdpParseException("rid restriction " + Sdp.quote(key) + " appears twice");
                }
                restrictions.put(key, eq < 0 ? null : item.substring(eq + 1));
            }
        }
        return new Rid(words.get(0), dir, restrictions);
    }

    /** @return the attribute value, e.g. {@code h send max-width=1280} */
    @Override
    public String toString() {
        String base = id + ' ' + direction.value();
        if (restrictions.isEmpty()) {
            return base;
        }
        return base + ' ' + restrictions.entrySet().stream()
                .map(e -> e.getValue() == null ? e.getKey() : e.getKey() + '=' + e.getValue())
                .collect(Collectors.joining(";"));
    }
}
