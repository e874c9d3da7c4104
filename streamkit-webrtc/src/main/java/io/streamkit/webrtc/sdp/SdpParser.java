package io.streamkit.webrtc.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads SDP text into a {@link SessionDescription}, enforcing the line order of RFC 8866 section
 * 9, the grammar of the attributes this package types, and the size bounds.
 */
final class SdpParser {

    private static final String SESSION_ORDER = "v o s i u e p c b t r z k a m";

    private SdpParser() {
    }

    static SessionDescription parse(String text) {
        if (text == null) {
            throw new SdpParseException("SDP text is null");
        }
        checkSize(text);
        List<String> lines = splitLines(text);
        if (lines.isEmpty()) {
            throw new SdpParseException("SDP is empty");
        }
        return new SdpParser.Reader(lines).read();
    }

    private static void checkSize(String text) {
        if (text.length() > SessionDescription.MAX_BYTES) {
            throw new SdpParseException("SDP is longer than " + SessionDescription.MAX_BYTES + " bytes");
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        if (bytes > SessionDescription.MAX_BYTES) {
            throw new SdpParseException("SDP is longer than " + SessionDescription.MAX_BYTES + " bytes");
        }
    }

    /** Splits on LF, removing one CR before each LF; trailing empty lines are dropped. */
    private static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int n = text.length();
        while (start < n) {
            int lf = text.indexOf('\n', start);
            int end = lf < 0 ? n : lf;
            int contentEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            lines.add(text.substring(start, contentEnd));
            if (lines.size() > SessionDescription.MAX_LINES) {
                throw new SdpParseException(SessionDescription.MAX_LINES + 1,
                        "SDP has more than " + SessionDescription.MAX_LINES + " lines");
            }
            start = lf < 0 ? n : lf + 1;
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** One pass over the lines. */
    private static final class Reader {
        private final List<String> lines;
        private int lineNo;

        private Origin origin;
        private String sessionName;
        private final List<Field> sessionFields = new ArrayList<>();
        private Connection sessionConnection;
        private Timing timing;
        private final List<Attribute> sessionAttributes = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();

        // the media description being read
        private String[] mLine;
        private int mPort;
        private int mPortCount;
        private List<String> mFormats;
        private List<Field> mFields;
        private Connection mConnection;
        private List<Attribute> mAttributes;
        private int mRank;

        Reader(List<String> lines) {
            this.lines = lines;
        }

        SessionDescription read() {
            int sessionRank = -1;
            for (int i = 0; i < lines.size(); i++) {
                lineNo = i + 1;
                String line = lines.get(i);
                checkLine(line);
                char type = line.charAt(0);
                String value = line.substring(2);
                if (lineNo == 1) {
                    if (type != 'v') {
                        fail("SDP must start with v=0, got " + Sdp.quote(line));
                    }
                    if (!value.equals("0")) {
                        fail("v= must be 0, got " + Sdp.quote(value));
                    }
                    continue;
                }
                if (lineNo == 2) {
                    if (type != 'o') {
                        fail("the second line must be o=, got " + Sdp.quote(line));
                    }
                    origin = parseOrigin(value);
                    continue;
                }
                if (lineNo == 3) {
                    if (type != 's') {
                        fail("the third line must be s=, got " + Sdp.quote(line));
                    }
                    if (value.isEmpty()) {
                        fail("s= must not be empty (WebRTC writes s=-)");
                    }
                    sessionName = value;
                    continue;
                }
                if (type == 'v' || type == 'o' || type == 's') {
                    fail(type + "= may appear only once, at the start");
                }
                if (type == 'm') {
                    if (timing == null) {
                        fail("t= is missing before the first m= line");
                    }
                    finishMedia();
                    startMedia(value);
                    continue;
                }
                if (mLine != null) {
                    readMediaLine(type, value);
                    continue;
                }
                int rank = sessionRank(type);
                if (rank < sessionRank || rank == sessionRank && "iucztk".indexOf(type) >= 0 && type != 't') {
                    fail(type + "= is out of order or repeated at session level (order: " + SESSION_ORDER + ")");
                }
                if (rank >= 8 && timing == null) {
                    fail("t= is missing before " + type + "=");
                }
                sessionRank = rank;
                switch (type) {
                    case 'c' -> sessionConnection = parseConnection(value);
                    case 't' -> {
                        if (timing == null) {
                            timing = parseTiming(value);
                            sessionRank = 6;
                        } else {
                            parseTiming(value);
                            sessionFields.add(field(type, value));
                            sessionRank = 7;
                        }
                    }
                    case 'r' -> {
                        if (timing == null) {
                            fail("r= must follow a t= line");
                        }
                        sessionFields.add(field(type, value));
                        sessionRank = 7;
                    }
                    case 'a' -> {
                        Attribute a = parseAttribute(value);
                        checkTypedAttribute(a, true);
                        sessionAttributes.add(a);
                    }
                    default -> sessionFields.add(field(type, value));
                }
            }
            lineNo = lines.size();
            if (origin == null || sessionName == null) {
                fail("SDP ends before the v=, o= and s= lines are complete");
            }
            if (timing == null) {
                fail("SDP has no t= line");
            }
            finishMedia();
            try {
                return new SessionDescription(0, origin, sessionName, sessionFields, sessionConnection, timing,
                        sessionAttributes, media);
            } catch (IllegalArgumentException e) {
                throw new SdpParseException(lineNo, e.getMessage());
            }
        }

        private int sessionRank(char type) {
            return switch (type) {
                case 'i' -> 0;
                case 'u' -> 1;
                case 'e' -> 2;
                case 'p' -> 3;
                case 'c' -> 4;
                case 'b' -> 5;
                case 't', 'r' -> timing == null ? 6 : 7;
                case 'z' -> 8;
                case 'k' -> 9;
                case 'a' -> 10;
                default -> throw new SdpParseException(lineNo, "unexpected line type " + type + "=");
            };
        }

        private void checkLine(String line) {
            if (line.isEmpty()) {
                fail("empty line");
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                fail("a line must be '<type>=<value>', got " + Sdp.quote(line));
            }
            char type = line.charAt(0);
            if ("vosiuepcbtrzkam".indexOf(type) < 0) {
                fail("unknown line type " + Sdp.quote(String.valueOf(type)));
            }
            for (int i = 2; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == 0) {
                    fail("NUL character at column " + (i + 1));
                }
                if (c == '\r') {
                    fail("carriage return inside a line at column " + (i + 1));
                }
            }
        }

        private void startMedia(String value) {
            if (media.size() >= SessionDescription.MAX_MEDIA) {
                fail("SDP has more than " + SessionDescription.MAX_MEDIA + " m= lines");
            }
            List<String> w = Sdp.words(value);
            if (w.size() < 4) {
                fail("m= must be '<media> <port>[/<count>] <proto> <format> ...', got " + Sdp.quote(value));
            }
            if (!Sdp.isToken(w.get(0))) {
                fail("m= media type must be a token, got " + Sdp.quote(w.get(0)));
            }
            String port = w.get(1);
            int slash = port.indexOf('/');
            mPort = at(() -> Sdp.parseInt(slash < 0 ? port : port.substring(0, slash), 0, 65535, "m= port"));
            mPortCount = slash < 0 ? 0 : at(() -> Sdp.parseInt(port.substring(slash + 1), 1, 65535, "m= port count"));
            at(() -> {
                MediaDescription.requireProto(w.get(2));
                return null;
            });
            mLine = new String[]{w.get(0), w.get(2)};
            mFormats = new ArrayList<>(w.subList(3, w.size()));
            for (String f : mFormats) {
                at(() -> Sdp.requireWord(f, "m= format"));
            }
            mFields = new ArrayList<>();
            mConnection = null;
            mAttributes = new ArrayList<>();
            mRank = -1;
        }

        private void readMediaLine(char type, String value) {
            int rank = switch (type) {
                case 'i' -> 0;
                case 'c' -> 1;
                case 'b' -> 2;
                case 'k' -> 3;
                case 'a' -> 4;
                default -> {
                    fail(type + "= is not allowed in a media description");
                    yield -1;
                }
            };
            if (rank < mRank || rank == mRank && (type == 'i' || type == 'c' || type == 'k')) {
                fail(type + "= is out of order or repeated in a media description (order: m i c b k a)");
            }
            mRank = rank;
            switch (type) {
                case 'c' -> mConnection = parseConnection(value);
                case 'a' -> {
                    Attribute a = parseAttribute(value);
                    checkTypedAttribute(a, false);
                    mAttributes.add(a);
                }
                default -> mFields.add(field(type, value));
            }
        }

        private void finishMedia() {
            if (mLine == null) {
                return;
            }
            int line = lineNo;
            try {
                media.add(new MediaDescription(mLine[0], mPort, mPortCount, mLine[1], mFormats, mFields,
                        mConnection, mAttributes));
            } catch (IllegalArgumentException e) {
                throw new SdpParseException(line, e.getMessage());
            }
            mLine = null;
        }

        private Origin parseOrigin(String value) {
            List<String> w = Sdp.words(value);
            if (w.size() != 6) {
                fail("o= must be '<username> <session id> <version> <nettype> <addrtype> <address>', got "
                        + Sdp.quote(value));
            }
            if (!Sdp.isDigits(w.get(1), 20)) {
                fail("o= session id must be 1 to 20 decimal digits, got " + Sdp.quote(w.get(1)));
            }
            long version = at(() -> Sdp.parseLong(w.get(2), 0, Long.MAX_VALUE, "o= session version"));
            return at(() -> new Origin(w.get(0), w.get(1), version, w.get(3), w.get(4), w.get(5)));
        }

        private Connection parseConnection(String value) {
            List<String> w = Sdp.words(value);
            if (w.size() != 3) {
                fail("c= must be '<nettype> <addrtype> <address>', got " + Sdp.quote(value));
            }
            return at(() -> new Connection(w.get(0), w.get(1), w.get(2)));
        }

        private Timing parseTiming(String value) {
            List<String> w = Sdp.words(value);
            if (w.size() != 2) {
                fail("t= must be '<start> <stop>', got " + Sdp.quote(value));
            }
            return at(() -> new Timing(Sdp.parseLong(w.get(0), 0, Long.MAX_VALUE, "t= start"),
                    Sdp.parseLong(w.get(1), 0, Long.MAX_VALUE, "t= stop")));
        }

        private Field field(char type, String value) {
            if (value.isEmpty()) {
                fail(type + "= must not be empty");
            }
            return at(() -> new Field(type, value));
        }

        private Attribute parseAttribute(String value) {
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            if (!Sdp.isToken(name)) {
                fail("attribute name must be a token, got " + Sdp.quote(name));
            }
            return at(() -> new Attribute(name, colon < 0 ? null : value.substring(colon + 1)));
        }

        /** Checks the grammar of the attributes this package gives typed views of. */
        private void checkTypedAttribute(Attribute a, boolean sessionLevel) {
            String v = a.value();
            at(() -> {
                switch (a.name()) {
                    case "rtpmap" -> MediaDescription.parseRtpmap(require(a));
                    case "fmtp" -> {
                        String s = require(a);
                        int sp = s.indexOf(' ');
                        MediaDescription.parsePayloadType(sp < 0 ? s : s.substring(0, sp), "fmtp");
                        Codec.parseParameters(sp < 0 ? "" : s.substring(sp + 1));
                    }
                    case "rtcp-fb" -> {
                        String s = require(a);
                        int sp = s.indexOf(' ');
                        if (sp <= 0) {
                            throw new SdpParseException("rtcp-fb must be '<pt>|* <type> [<parameter>]', got "
                                    + Sdp.quote(s));
                        }
                        if (!s.startsWith("* ")) {
                            MediaDescription.parsePayloadType(s.substring(0, sp), "rtcp-fb");
                        }
                        RtcpFeedback.parse(s.substring(sp + 1));
                    }
                    case "extmap" -> Extmap.parse(require(a));
                    case "ssrc" -> SsrcAttribute.parse(require(a));
                    case "ssrc-group" -> SsrcGroup.parse(require(a));
                    case "rid" -> Rid.parse(require(a));
                    case "simulcast" -> Simulcast.parse(require(a));
                    case "msid" -> Msid.parse(require(a));
                    case "candidate" -> Candidate.parse(require(a));
                    case "fingerprint" -> Fingerprint.parse(require(a));
                    case "setup" -> Setup.parse(require(a));
                    case "group" -> Group.parse(require(a));
                    case "mid" -> {
                        if (!Sdp.isToken(require(a)) || v.length() > 256) {
                            throw new SdpParseException("mid must be a token of at most 256 characters, got "
                                    + Sdp.quote(v));
                        }
                    }
                    case "ice-ufrag", "ice-pwd" -> {
                        try {
                            IceParameters.requireIceChars(require(a), 1, a.name());
                        } catch (IllegalArgumentException e) {
                            throw new SdpParseException(e.getMessage());
                        }
                    }
                    default -> {
                        // other attributes are kept verbatim
                    }
                }
                return null;
            });
            if (sessionLevel && a.is("mid")) {
                fail("a=mid is a media-level attribute");
            }
        }

        private String require(Attribute a) {
            if (a.value() == null || a.value().isEmpty()) {
                throw new SdpParseException("a=" + a.name() + " needs a value");
            }
            return a.value();
        }

        /** Runs a step, locating its failure at the current line. */
        private <T> T at(java.util.function.Supplier<T> step) {
            try {
                return step.get();
            } catch (SdpParseException e) {
                throw e.lineNumber() > 0 ? e : e.atLine(lineNo);
            } catch (IllegalArgumentException e) {
                throw new SdpParseException(lineNo, e.getMessage());
            }
        }

        private void fail(String reason) {
            throw new SdpParseException(lineNo, reason);
        }
    }
}
