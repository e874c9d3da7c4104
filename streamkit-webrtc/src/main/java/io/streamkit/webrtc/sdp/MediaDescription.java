package io.streamkit.webrtc.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One media description: an {@code m=} line and the lines that follow it up to the next
 * {@code m=} (<a href="https://www.rfc-editor.org/rfc/rfc8866#section-5.14">RFC 8866 section
 * 5.14</a>). The model is faithful: attributes stay in their order, and lines this model does not
 * type ({@code i=}, {@code b=}, {@code k=}) are kept as {@link Field}s.
 *
 * <p>The typed views ({@link #codecs()}, {@link #extmaps()}, {@link #rids()}, ...) parse the
 * attributes on each call; on a description built in code with malformed values they throw
 * {@link SdpParseException}.
 *
 * @param media the media type, for example {@code audio}, {@code video}, {@code application}
 * @param port the port; 0 marks a rejected or removed m-line
 * @param portCount the number of ports after {@code /}, or 0 when not written
 * @param proto the transport protocol, for example {@code UDP/TLS/RTP/SAVPF}
 * @param formats the format list (payload types for RTP), at least one
 * @param fields the {@code i=}, {@code b=} and {@code k=} lines, kept in that order
 * @param connection the {@code c=} line, or {@code null}
 * @param attributes the {@code a=} lines in order
 */
public record MediaDescription(String media, int port, int portCount, String proto, List<String> formats,
        List<Field> fields, Connection connection, List<Attribute> attributes) {

    /** Validates the m= line and freezes the lists, putting fields in the order SDP requires. */
    public MediaDescription {
        Sdp.requireToken(media, "media type");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("media port must be in 0-65535, got " + port);
        }
        if (portCount < 0) {
            throw new IllegalArgumentException("media port count must be non-negative, got " + portCount);
        }
        requireProto(proto);
        formats = List.copyOf(formats);
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("an m= line needs at least one format");
        }
        for (String f : formats) {
            Sdp.requireWord(f, "media format");
        }
        List<Field> sorted = new ArrayList<>(fields);
        for (Field f : sorted) {
            if (rank(f.type()) < 0) {
                throw new IllegalArgumentException("a media description cannot hold a " + f.type() + "= line");
            }
        }
        sorted.sort(Comparator.comparingInt(f -> rank(f.type())));
        fields = List.copyOf(sorted);
        attributes = List.copyOf(attributes);
    }

    static void requireProto(String proto) {
        if (proto == null || proto.isEmpty()) {
            throw new IllegalArgumentException("media proto must not be empty");
        }
        for (String part : proto.split("/", -1)) {
            Sdp.requireToken(part, "media proto part");
        }
    }

    /** Position of a field type among i=, b=, k= (-1 when not allowed in a media description). */
    static int rank(char type) {
        return switch (type) {
            case 'i' -> 0;
            case 'b' -> 1;
            case 'k' -> 2;
            default -> -1;
        };
    }

    /**
     * A builder for a new media description.
     *
     * @param media the media type
     * @param port the port
     * @param proto the protocol
     * @return the builder
     */
    public static Builder builder(String media, int port, String proto) {
        return new Builder(media, port, proto);
    }

    /**
     * A builder initialized with this description.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(media, port, proto);
        b.portCount = portCount;
        b.formats.addAll(formats);
        b.fields.addAll(fields);
        b.connection = connection;
        b.attributes.addAll(attributes);
        return b;
    }

    /** @return the media description as CRLF-terminated SDP lines, starting with {@code m=} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb);
        return sb.toString();
    }

    void appendTo(StringBuilder sb) {
        sb.append("m=").append(media).append(' ').append(port);
        if (portCount > 0) {
            sb.append('/').append(portCount);
        }
        sb.append(' ').append(proto);
        for (String f : formats) {
            sb.append(' ').append(f);
        }
        sb.append("\r\n");
        for (Field f : fields) {
            if (f.type() == 'i') {
                sb.append(f).append("\r\n");
            }
        }
        if (connection != null) {
            sb.append("c=").append(connection).append("\r\n");
        }
        for (Field f : fields) {
            if (f.type() != 'i') {
                sb.append(f).append("\r\n");
            }
        }
        for (Attribute a : attributes) {
            sb.append("a=").append(a).append("\r\n");
        }
    }

    // ---- generic attribute access

    /**
     * The value of the first attribute with this name.
     *
     * @param name the attribute name
     * @return the value (empty string for a property attribute), or empty when absent
     */
    public Optional<String> attribute(String name) {
        for (Attribute a : attributes) {
            if (a.is(name)) {
                return Optional.of(a.value() == null ? "" : a.value());
            }
        }
        return Optional.empty();
    }

    /**
     * The values of all attributes with this name, in order (empty string for property attributes).
     *
     * @param name the attribute name
     * @return the values
     */
    public List<String> attributes(String name) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.is(name)) {
                out.add(a.value() == null ? "" : a.value());
            }
        }
        return out;
    }

    /**
     * Whether an attribute with this name is present.
     *
     * @param name the attribute name
     * @return true when present
     */
    public boolean hasAttribute(String name) {
        return attributes.stream().anyMatch(a -> a.is(name));
    }

    // ---- typed views

    /**
     * Whether the port is 0 (a rejected m-line, or a removed one in a later offer).
     *
     * @return true when the port is 0
     */
    public boolean isRejected() {
        return port == 0;
    }

    /**
     * {@code a=mid} (<a href="https://www.rfc-editor.org/rfc/rfc5888#section-4">RFC 5888</a>).
     *
     * @return the media identification tag, or empty
     */
    public Optional<String> mid() {
        return attribute("mid");
    }

    /**
     * The media-level direction attribute; SDP's default is sendrecv.
     *
     * @return the last direction attribute, or {@link Direction#SENDRECV} when there is none
     */
    public Direction direction() {
        return explicitDirection().orElse(Direction.SENDRECV);
    }

    /**
     * The media-level direction attribute, if written.
     *
     * @return the last direction attribute, or empty
     */
    public Optional<Direction> explicitDirection() {
        Direction d = null;
        for (Attribute a : attributes) {
            Direction x = Direction.fromAttributeName(a.name());
            if (x != null) {
                d = x;
            }
        }
        return Optional.ofNullable(d);
    }

    /**
     * The payload formats of the m= line that are numbers and have an rtpmap (or are well-known
     * static payload types), in format-list order, with their fmtp parameters, feedback and RTX
     * payload type. RTX formats are listed too (name {@code rtx}).
     *
     * @return the codecs
     * @throws SdpParseException when an rtpmap, fmtp or rtcp-fb attribute is malformed
     */
    public List<Codec> codecs() {
        Map<Integer, String[]> rtpmaps = new LinkedHashMap<>();
        Map<Integer, Map<String, String>> fmtps = new LinkedHashMap<>();
        Map<Integer, List<RtcpFeedback>> fbs = new LinkedHashMap<>();
        List<RtcpFeedback> wildcard = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.value() == null) {
                continue;
            }
            switch (a.name()) {
                case "rtpmap" -> {
                    Object[] r = parseRtpmap(a.value());
                    rtpmaps.putIfAbsent((Integer) r[0], (String[]) r[1]);
                }
                case "fmtp" -> {
                    int sp = a.value().indexOf(' ');
                    int pt = parsePayloadType(sp < 0 ? a.value() : a.value().substring(0, sp), "fmtp");
                    fmtps.putIfAbsent(pt, Codec.parseParameters(sp < 0 ? "" : a.value().substring(sp + 1)));
                }
                case "rtcp-fb" -> {
                    int sp = a.value().indexOf(' ');
                    if (sp <= 0) {
                        throw new SdpParseException("rtcp-fb must be '<pt>|* <type> [<parameter>]', got "
                                + Sdp.quote(a.value()));
                    }
                    String head = a.value().substring(0, sp);
                    RtcpFeedback fb = RtcpFeedback.parse(a.value().substring(sp + 1));
                    if (head.equals("*")) {
                        wildcard.add(fb);
                    } else {
                        fbs.computeIfAbsent(parsePayloadType(head, "rtcp-fb"), k -> new ArrayList<>()).add(fb);
                    }
                }
                default -> {
                    // not a codec attribute
                }
            }
        }
        List<Codec> codecs = new ArrayList<>();
        LinkedHashSet<Integer> seen = new LinkedHashSet<>();
        for (String f : formats) {
            if (!Sdp.isDigits(f, 3)) {
                continue;
            }
            int pt = Integer.parseInt(f);
            if (pt > 127 || !seen.add(pt)) {
                continue;
            }
            String[] map = rtpmaps.containsKey(pt) ? rtpmaps.get(pt) : staticPayloadType(pt);
            if (map == null) {
                continue;
            }
            List<RtcpFeedback> feedback = new ArrayList<>(fbs.getOrDefault(pt, List.of()));
            for (RtcpFeedback fb : wildcard) {
                if (!feedback.contains(fb)) {
                    feedback.add(fb);
                }
            }
            codecs.add(Sdp.guard(() -> new Codec(pt, map[0], Integer.parseInt(map[1]), Integer.parseInt(map[2]),
                    fmtps.getOrDefault(pt, Map.of()), feedback, OptionalInt.empty())));
        }
        // attach RTX payload types to the formats they repair
        List<Codec> out = new ArrayList<>(codecs.size());
        for (Codec c : codecs) {
            Integer rtx = null;
            if (!c.isRtx()) {
                for (Codec r : codecs) {
                    if (r.isRtx() && r.apt().orElse(-1) == c.payloadType()) {
                        rtx = r.payloadType();
                        break;
                    }
                }
            }
            out.add(rtx == null ? c : c.withRtx(rtx));
        }
        return List.copyOf(out);
    }

    /**
     * The codec for a payload type.
     *
     * @param payloadType the payload type
     * @return the codec, or empty when the m-line does not list it
     */
    public Optional<Codec> codec(int payloadType) {
        return codecs().stream().filter(c -> c.payloadType() == payloadType).findFirst();
    }

    static int parsePayloadType(String text, String what) {
        return Sdp.parseInt(text, 0, 127, what + " payload type");
    }

    /** Parses an rtpmap value into {pt, {name, clock, channels}}. */
    static Object[] parseRtpmap(String value) {
        int sp = value.indexOf(' ');
        if (sp <= 0) {
            throw new SdpParseException("rtpmap must be '<pt> <name>/<clock rate>[/<channels>]', got "
                    + Sdp.quote(value));
        }
        int pt = parsePayloadType(value.substring(0, sp), "rtpmap");
        String[] parts = value.substring(sp + 1).strip().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || !Sdp.isWord(parts[0])) {
            throw new SdpParseException("rtpmap must be '<pt> <name>/<clock rate>[/<channels>]', got "
                    + Sdp.quote(value));
        }
        int clock = Sdp.parseInt(parts[1], 1, Integer.MAX_VALUE, "rtpmap clock rate");
        int channels = parts.length == 3 ? Sdp.parseInt(parts[2], 1, 255, "rtpmap channels") : 0;
        return new Object[]{pt, new String[]{parts[0], String.valueOf(clock), String.valueOf(channels)}};
    }

    private static String[] staticPayloadType(int pt) {
        // RFC 3551 table 4 entries that WebRTC peers may list without rtpmap
        return switch (pt) {
            case 0 -> new String[]{"PCMU", "8000", "0"};
            case 8 -> new String[]{"PCMA", "8000", "0"};
            case 9 -> new String[]{"G722", "8000", "0"};
            case 13 -> new String[]{"CN", "8000", "0"};
            default -> null;
        };
    }

    /**
     * {@code a=extmap} lines (<a href="https://www.rfc-editor.org/rfc/rfc8285">RFC 8285</a>).
     *
     * @return the header extension mappings in order
     * @throws SdpParseException when one is malformed
     */
    public List<Extmap> extmaps() {
        return attributes("extmap").stream().map(Extmap::parse).toList();
    }

    /**
     * The id of a header extension by URI.
     *
     * @param uri the extension URI
     * @return the id, or empty when not mapped
     */
    public OptionalInt extmapId(String uri) {
        for (Extmap e : extmaps()) {
            if (e.uri().equals(uri)) {
                return OptionalInt.of(e.id());
            }
        }
        return OptionalInt.empty();
    }

    /**
     * {@code a=ssrc} lines.
     *
     * @return the source attributes in order
     * @throws SdpParseException when one is malformed
     */
    public List<SsrcAttribute> ssrcAttributes() {
        return attributes("ssrc").stream().map(SsrcAttribute::parse).toList();
    }

    /**
     * The distinct SSRCs of the {@code a=ssrc} lines in order of first appearance.
     *
     * @return the SSRCs
     */
    public List<Long> ssrcs() {
        LinkedHashSet<Long> out = new LinkedHashSet<>();
        for (SsrcAttribute s : ssrcAttributes()) {
            out.add(s.ssrc());
        }
        return List.copyOf(out);
    }

    /**
     * {@code a=ssrc-group} lines.
     *
     * @return the groups in order
     * @throws SdpParseException when one is malformed
     */
    public List<SsrcGroup> ssrcGroups() {
        return attributes("ssrc-group").stream().map(SsrcGroup::parse).toList();
    }

    /**
     * {@code a=rid} lines.
     *
     * @return the rids in order
     * @throws SdpParseException when one is malformed
     */
    public List<Rid> rids() {
        return attributes("rid").stream().map(Rid::parse).toList();
    }

    /**
     * {@code a=simulcast}.
     *
     * @return the simulcast description, or empty
     * @throws SdpParseException when it is malformed
     */
    public Optional<Simulcast> simulcast() {
        return attribute("simulcast").map(Simulcast::parse);
    }

    /**
     * The media-level {@code a=msid} (the first one; Unified Plan writes one per m-line).
     *
     * @return the msid, or empty; falls back to the {@code msid} source attribute of {@code a=ssrc}
     * @throws SdpParseException when it is malformed
     */
    public Optional<Msid> msid() {
        Optional<Msid> direct = attribute("msid").map(Msid::parse);
        if (direct.isPresent()) {
            return direct;
        }
        for (SsrcAttribute s : ssrcAttributes()) {
            if (s.attribute().equals("msid") && s.value() != null) {
                return Optional.of(Msid.parse(s.value()));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code a=candidate} lines.
     *
     * @return the candidates in order
     * @throws SdpParseException when one is malformed
     */
    public List<Candidate> candidates() {
        return attributes("candidate").stream().map(Candidate::parse).toList();
    }

    /**
     * Whether {@code a=rtcp-mux} is present (<a href="https://www.rfc-editor.org/rfc/rfc5761">RFC 5761</a>).
     *
     * @return true when present
     */
    public boolean rtcpMux() {
        return hasAttribute("rtcp-mux");
    }

    /**
     * The media-level {@code a=fingerprint}.
     *
     * @return the first fingerprint, or empty
     * @throws SdpParseException when it is malformed
     */
    public Optional<Fingerprint> fingerprint() {
        return attribute("fingerprint").map(Fingerprint::parse);
    }

    /**
     * The media-level {@code a=setup}.
     *
     * @return the DTLS role, or empty
     * @throws SdpParseException when it is malformed
     */
    public Optional<Setup> setup() {
        return attribute("setup").map(Setup::parse);
    }

    /**
     * A builder of media descriptions. Attributes are written in the order they are added.
     */
    public static final class Builder {
        private final String media;
        private int port;
        private int portCount;
        private final String proto;
        private final List<String> formats = new ArrayList<>();
        private final List<Field> fields = new ArrayList<>();
        private Connection connection;
        private final List<Attribute> attributes = new ArrayList<>();

        Builder(String media, int port, String proto) {
            this.media = media;
            this.port = port;
            this.proto = proto;
        }

        /**
         * Sets the port.
         *
         * @param newPort the port
         * @return this builder
         */
        public Builder port(int newPort) {
            this.port = newPort;
            return this;
        }

        /**
         * Appends formats to the m= line.
         *
         * @param newFormats the formats
         * @return this builder
         */
        public Builder formats(List<String> newFormats) {
            formats.addAll(newFormats);
            return this;
        }

        /**
         * Replaces the formats of the m= line.
         *
         * @param newFormats the formats
         * @return this builder
         */
        public Builder setFormats(List<String> newFormats) {
            formats.clear();
            formats.addAll(newFormats);
            return this;
        }

        /**
         * Adds an {@code i=}, {@code b=} or {@code k=} line.
         *
         * @param field the line
         * @return this builder
         */
        public Builder field(Field field) {
            fields.add(field);
            return this;
        }

        /**
         * Sets the {@code c=} line.
         *
         * @param newConnection the connection, or {@code null}
         * @return this builder
         */
        public Builder connection(Connection newConnection) {
            this.connection = newConnection;
            return this;
        }

        /**
         * Appends an attribute.
         *
         * @param attribute the attribute
         * @return this builder
         */
        public Builder attribute(Attribute attribute) {
            attributes.add(attribute);
            return this;
        }

        /**
         * Appends a property attribute such as {@code a=rtcp-mux}.
         *
         * @param name the name
         * @return this builder
         */
        public Builder attribute(String name) {
            return attribute(Attribute.of(name));
        }

        /**
         * Appends a value attribute.
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder attribute(String name, Object value) {
            return attribute(Attribute.of(name, String.valueOf(value)));
        }

        /**
         * Removes every attribute with this name.
         *
         * @param name the name
         * @return this builder
         */
        public Builder removeAttributes(String name) {
            attributes.removeIf(a -> a.is(name));
            return this;
        }

        /**
         * Appends the codecs' payload types to the format list and their rtpmap, rtcp-fb and fmtp
         * attributes, each followed by its RTX format ({@code rtx} rtpmap and {@code apt} fmtp).
         *
         * @param codecs the codecs in preference order
         * @return this builder
         */
        public Builder codecs(List<Codec> codecs) {
            Codec.appendTo(codecs, formats, attributes);
            return this;
        }

        /**
         * Builds the description.
         *
         * @return the immutable description
         * @throws IllegalArgumentException when a field is invalid (for example no formats)
         */
        public MediaDescription build() {
            return new MediaDescription(media, port, portCount, proto, formats, fields, connection, attributes);
        }
    }
}
