package io.streamkit.webrtc.sdp;

/** Character classes and small checks of the SDP grammar shared by the model and the parser. */
final class Sdp {
    private Sdp() {
    }

    /** RFC 8866 token characters. */
    static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "!#$%&'*+-.^_`{|}~".indexOf(c) >= 0;
    }

    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Text allowed in a field value: anything but NUL, CR and LF. */
    static boolean isText(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    /** A non-empty string without whitespace, NUL, CR or LF (addresses, protocol names). */
    static boolean isWord(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    static boolean isDigits(String s, int maxLength) {
        if (s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static String requireToken(String value, String what) {
        if (!isToken(value)) {
            throw new IllegalArgumentException(what + " must be a non-empty SDP token, got " + quote(value));
        }
        return value;
    }

    static String requireWord(String value, String what) {
        if (!isWord(value)) {
            throw new IllegalArgumentException(what + " must be non-empty without spaces or control characters, got "
                    + quote(value));
        }
        return value;
    }

    static String requireText(String value, String what) {
        if (!isText(value)) {
            throw new IllegalArgumentException(what + " must not contain NUL, CR or LF, got " + quote(value));
        }
        return value;
    }

    /** Quotes a value for an error message, shortened so that messages stay bounded. */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(value.length(), 60);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < ' ' || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (value.length() > n) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }

    /** Parses a non-negative decimal int within [min, max] or throws with the field's name. */
    static int parseInt(String s, int min, int max, String what) {
        if (!isDigits(s, 10)) {
            throw new SdpParseException(what + " must be a decimal number, got " + quote(s));
        }
        long v = Long.parseLong(s);
        if (v < min || v > max) {
            throw new SdpParseException(what + " must be in [" + min + ", " + max + "], got " + s);
        }
        return (int) v;
    }

    /** Parses a non-negative decimal long within [min, max] or throws with the field's name. */
    static long parseLong(String s, long min, long max, String what) {
        if (!isDigits(s, 19)) {
            throw new SdpParseException(what + " must be a decimal number of at most 19 digits, got " + quote(s));
        }
        long v = Long.parseLong(s);
        if (v < min || v > max) {
            throw new SdpParseException(what + " must be in [" + min + ", " + max + "], got " + s);
        }
        return v;
    }

    /**
     * Runs a parse step, turning a validation failure of a record constructor into a parse failure,
     * so that parsing throws only {@link SdpParseException}.
     */
    static <T> T guard(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new SdpParseException(e.getMessage());
        }
    }

    /** Splits on runs of spaces (tabs are not separators in SDP), dropping leading/trailing empties. */
    static java.util.List<String> words(String s) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && s.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }
}
