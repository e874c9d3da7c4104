package io.streamkit.webrtc.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A session description (<a href="https://www.rfc-editor.org/rfc/rfc8866">RFC 8866</a>): the
 * session-level lines and the media descriptions, in order.
 *
 * <p>{@link #parse(String)} reads SDP with CRLF or LF line endings and {@link #toString()} writes
 * CRLF SDP that parses back to an equal model. Lines this model does not type ({@code i=},
 * {@code u=}, {@code e=}, {@code p=}, {@code b=}, {@code r=}, {@code z=}, {@code k=} and further
 * {@code t=}) are kept as {@link Field}s and written back in the position SDP requires.
 *
 * @param version the protocol version, always 0
 * @param origin the {@code o=} line
 * @param sessionName the {@code s=} text ({@code -} in WebRTC)
 * @param fields the untyped session-level lines, in SDP order
 * @param connection the session-level {@code c=} line, or {@code null}
 * @param timing the first {@code t=} line
 * @param attributes the session-level {@code a=} lines in order
 * @param media the media descriptions in order
 */
public record SessionDescription(int version, Origin origin, String sessionName, List<Field> fields,
        Connection connection, Timing timing, List<Attribute> attributes, List<MediaDescription> media) {

    /** The largest SDP text {@link #parse(String)} accepts, in UTF-8 bytes. */
    public static final int MAX_BYTES = 64 * 1024;
    /** The most lines {@link #parse(String)} accepts. */
    public static final int MAX_LINES = 2000;
    /** The most m= lines {@link #parse(String)} accepts. */
    public static final int MAX_MEDIA = 64;

    /** Validates the fields and freezes the lists, putting fields in the order SDP requires. */
    public SessionDescription {
        if (version != 0) {
            throw new IllegalArgumentException("SDP version must be 0, got " + version);
        }
        if (origin == null) {
            throw new IllegalArgumentException("origin is required");
        }
        Sdp.requireText(sessionName, "session name");
        if (sessionName.isEmpty()) {
            throw new IllegalArgumentException("session name must not be empty (write \"-\")");
        }
        if (timing == null) {
            throw new IllegalArgumentException("timing is required");
        }
        List<Field> sorted = new ArrayList<>(fields);
        sorted.sort(Comparator.comparingInt(f -> rank(f.type())));
        fields = List.copyOf(sorted);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }

    /** Position of a session-level field type; c= is 4 and the first t= is 6. */
    static int rank(char type) {
        return switch (type) {
            case 'i' -> 0;
            case 'u' -> 1;
            case 'e' -> 2;
            case 'p' -> 3;
            case 'b' -> 5;
            case 't', 'r' -> 7;
            case 'z' -> 8;
            case 'k' -> 9;
            default -> throw new IllegalArgumentException("not a session-level field type: " + type);
        };
    }

    /**
     * Parses SDP text.
     *
     * @param text the SDP, with CRLF or LF line endings
     * @return the model
     * @throws SdpParseException with the line number and the reason when the text is not valid SDP,
     *     uses an attribute this package types with a malformed value, or exceeds
     *     {@link #MAX_BYTES}, {@link #MAX_LINES} or {@link #MAX_MEDIA}
     */
    public static SessionDescription parse(String text) {
        return SdpParser.parse(text);
    }

    /**
     * A builder for a new description with {@code v=0}, {@code s=-} and {@code t=0 0}.
     *
     * @param origin the origin
     * @return the builder
     */
    public static Builder builder(Origin origin) {
        return new Builder(origin);
    }

    /**
     * A builder initialized with this description.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(origin);
        b.sessionName = sessionName;
        b.fields.addAll(fields);
        b.connection = connection;
        b.timing = timing;
        b.attributes.addAll(attributes);
        b.media.addAll(media);
        return b;
    }

    /** @return the description as CRLF SDP text */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("v=").append(version).append("\r\n");
        sb.append("o=").append(origin).append("\r\n");
        sb.append("s=").append(sessionName).append("\r\n");
        appendFields(sb, 0, 3);
        if (connection != null) {
            sb.append("c=").append(connection).append("\r\n");
        }
        appendFields(sb, 5, 5);
        sb.append("t=").append(timing).append("\r\n");
        appendFields(sb, 7, 9);
        for (Attribute a : attributes) {
            sb.append("a=").append(a).append("\r\n");
        }
        for (MediaDescription m : media) {
            m.appendTo(sb);
        }
        return sb.toString();
    }

    private void appendFields(StringBuilder sb, int fromRank, int toRank) {
        for (Field f : fields) {
            int r = rank(f.type());
            if (r >= fromRank && r <= toRank) {
                sb.append(f).append("\r\n");
            }
        }
    }

    // ---- typed views

    /**
     * The value of the first session-level attribute with this name.
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
     * Whether a session-level attribute with this name is present.
     *
     * @param name the attribute name
     * @return true when present
     */
    public boolean hasAttribute(String name) {
        return attributes.stream().anyMatch(a -> a.is(name));
    }

    /**
     * {@code a=group} lines.
     *
     * @return the groups in order
     * @throws SdpParseException when one is malformed
     */
    public List<Group> groups() {
        List<Group> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.is("group") && a.value() != null) {
                out.add(Group.parse(a.value()));
            }
        }
        return out;
    }

    /**
     * The first {@code a=group:BUNDLE}.
     *
     * @return the BUNDLE group, or empty
     */
    public Optional<Group> bundleGroup() {
        return groups().stream().filter(g -> g.semantics().equals(Group.BUNDLE)).findFirst();
    }

    /**
     * Whether the session has {@code a=ice-lite}.
     *
     * @return true when present
     */
    public boolean iceLite() {
        return hasAttribute("ice-lite");
    }

    /**
     * The media description with this mid.
     *
     * @param mid the media identification tag
     * @return the media description, or empty
     */
    public Optional<MediaDescription> mediaByMid(String mid) {
        return media.stream().filter(m -> m.mid().filter(mid::equals).isPresent()).findFirst();
    }

    /**
     * The ICE credentials of an m-line: media-level attributes win over session-level ones.
     *
     * @param m a media description of this session
     * @return the parameters, or empty when ufrag or pwd is missing
     * @throws SdpParseException when the credentials are malformed
     */
    public Optional<IceParameters> iceParameters(MediaDescription m) {
        Optional<String> ufrag = m.attribute("ice-ufrag").or(() -> attribute("ice-ufrag"));
        Optional<String> pwd = m.attribute("ice-pwd").or(() -> attribute("ice-pwd"));
        if (ufrag.isEmpty() || pwd.isEmpty()) {
            return Optional.empty();
        }
        String options = m.attribute("ice-options").or(() -> attribute("ice-options")).orElse("");
        return Optional.of(Sdp.guard(
                () -> new IceParameters(ufrag.get(), pwd.get(), Sdp.words(options), iceLite())));
    }

    /**
     * The DTLS fingerprint of an m-line: media level, else session level (Firefox writes it there).
     *
     * @param m a media description of this session
     * @return the fingerprint, or empty
     * @throws SdpParseException when it is malformed
     */
    public Optional<Fingerprint> fingerprint(MediaDescription m) {
        return m.fingerprint().or(() -> attribute("fingerprint").map(Fingerprint::parse));
    }

    /**
     * The DTLS role of an m-line: media level, else session level.
     *
     * @param m a media description of this session
     * @return the role, or empty
     * @throws SdpParseException when it is malformed
     */
    public Optional<Setup> setup(MediaDescription m) {
        return m.setup().or(() -> attribute("setup").map(Setup::parse));
    }

    /**
     * The direction of an m-line: media level, else session level, else sendrecv.
     *
     * @param m a media description of this session
     * @return the direction
     */
    public Direction direction(MediaDescription m) {
        return m.explicitDirection().orElseGet(() -> {
            Direction d = Direction.SENDRECV;
            for (Attribute a : attributes) {
                Direction x = Direction.fromAttributeName(a.name());
                if (x != null) {
                    d = x;
                }
            }
            return d;
        });
    }

    /**
     * A builder of session descriptions.
     */
    public static final class Builder {
        private Origin origin;
        private String sessionName = "-";
        private final List<Field> fields = new ArrayList<>();
        private Connection connection;
        private Timing timing = Timing.UNBOUNDED;
        private final List<Attribute> attributes = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();

        Builder(Origin origin) {
            this.origin = origin;
        }

        /**
         * Sets the origin.
         *
         * @param newOrigin the origin
         * @return this builder
         */
        public Builder origin(Origin newOrigin) {
            this.origin = newOrigin;
            return this;
        }

        /**
         * Sets the session name.
         *
         * @param name the name
         * @return this builder
         */
        public Builder sessionName(String name) {
            this.sessionName = name;
            return this;
        }

        /**
         * Adds an untyped session-level line.
         *
         * @param field the line
         * @return this builder
         */
        public Builder field(Field field) {
            fields.add(field);
            return this;
        }

        /**
         * Sets the session-level {@code c=} line.
         *
         * @param newConnection the connection, or {@code null}
         * @return this builder
         */
        public Builder connection(Connection newConnection) {
            this.connection = newConnection;
            return this;
        }

        /**
         * Sets the timing.
         *
         * @param newTiming the timing
         * @return this builder
         */
        public Builder timing(Timing newTiming) {
            this.timing = newTiming;
            return this;
        }

        /**
         * Appends a session-level attribute.
         *
         * @param attribute the attribute
         * @return this builder
         */
        public Builder attribute(Attribute attribute) {
            attributes.add(attribute);
            return this;
        }

        /**
         * Appends a session-level property attribute.
         *
         * @param name the name
         * @return this builder
         */
        public Builder attribute(String name) {
            return attribute(Attribute.of(name));
        }

        /**
         * Appends a session-level value attribute.
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder attribute(String name, Object value) {
            return attribute(Attribute.of(name, String.valueOf(value)));
        }

        /**
         * Removes every session-level attribute with this name.
         *
         * @param name the name
         * @return this builder
         */
        public Builder removeAttributes(String name) {
            attributes.removeIf(a -> a.is(name));
            return this;
        }

        /**
         * Appends a media description.
         *
         * @param m the media description
         * @return this builder
         */
        public Builder media(MediaDescription m) {
            media.add(m);
            return this;
        }

        /**
         * Replaces all media descriptions.
         *
         * @param all the media descriptions in order
         * @return this builder
         */
        public Builder setMedia(List<MediaDescription> all) {
            media.clear();
            media.addAll(all);
            return this;
        }

        /**
         * Builds the description.
         *
         * @return the immutable description
         * @throws IllegalArgumentException when a field is invalid
         */
        public SessionDescription build() {
            return new SessionDescription(0, origin, sessionName, fields, connection, timing, attributes, media);
        }
    }
}
