package io.streamkit.webrtc.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * One payload format of an m-line, assembled from {@code a=rtpmap}, {@code a=fmtp} and
 * {@code a=rtcp-fb} (<a href="https://www.rfc-editor.org/rfc/rfc8866#section-6.6">RFC 8866 section
 * 6.6</a>, <a href="https://www.rfc-editor.org/rfc/rfc4585#section-4.2">RFC 4585 section 4.2</a>),
 * with the payload type of its retransmission format when an {@code rtx} format names it by
 * {@code apt=} (<a href="https://www.rfc-editor.org/rfc/rfc4588#section-8.1">RFC 4588 section 8.1</a>).
 *
 * @param payloadType the RTP payload type, 0-127
 * @param name the encoding name as written, for example {@code VP8}, {@code H264}, {@code opus},
 *     {@code rtx}
 * @param clockRate the RTP clock rate
 * @param channels the channel count as written in rtpmap, or 0 when rtpmap has none
 * @param parameters the fmtp parameters in order; a parameter without {@code =} maps to {@code null}
 * @param feedback the rtcp-fb types for this payload type (including those written for {@code *})
 * @param rtxPayloadType the payload type of the rtx format whose {@code apt} is this one, if any
 */
public record Codec(int payloadType, String name, int clockRate, int channels, Map<String, String> parameters,
        List<RtcpFeedback> feedback, OptionalInt rtxPayloadType) {

    /** Validates the fields and freezes the collections. */
    public Codec {
        requirePayloadType(payloadType);
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0 || !Sdp.isWord(name)) {
            throw new IllegalArgumentException("codec name must be non-empty without '/' or spaces, got "
                    + Sdp.quote(name));
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException("codec clock rate must be positive, got " + clockRate);
        }
        if (channels < 0 || channels > 255) {
            throw new IllegalArgumentException("codec channels must be in 0-255, got " + channels);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String key = e.getKey();
            if (!Sdp.isWord(key) || key.indexOf(';') >= 0 || key.indexOf('=') >= 0) {
                throw new IllegalArgumentException("fmtp parameter name must be non-empty without spaces, ';' or '=',"
                        + " got " + Sdp.quote(key));
            }
            String v = e.getValue();
            if (v != null && (!Sdp.isText(v) || v.indexOf(';') >= 0 || !v.equals(v.strip()))) {
                throw new IllegalArgumentException("fmtp parameter value must be trimmed text without ';', got "
                        + Sdp.quote(v));
            }
            copy.put(key, v);
        }
        parameters = Collections.unmodifiableMap(copy);
        feedback = List.copyOf(feedback);
        if (rtxPayloadType == null) {
            rtxPayloadType = OptionalInt.empty();
        }
        rtxPayloadType.ifPresent(Codec::requirePayloadType);
    }

    static void requirePayloadType(int pt) {
        if (pt < 0 || pt > 127) {
            throw new IllegalArgumentException("payload type must be in 0-127, got " + pt);
        }
    }

    /**
     * A codec without parameters, feedback or RTX.
     *
     * @param payloadType the payload type
     * @param name the encoding name
     * @param clockRate the clock rate
     * @param channels the channel count, 0 to leave it out of rtpmap
     * @return the codec
     */
    public static Codec of(int payloadType, String name, int clockRate, int channels) {
        return new Codec(payloadType, name, clockRate, channels, Map.of(), List.of(), OptionalInt.empty());
    }

    /**
     * A copy with other fmtp parameters.
     *
     * @param newParameters the parameters in order
     * @return the copy
     */
    public Codec withParameters(Map<String, String> newParameters) {
        return new Codec(payloadType, name, clockRate, channels, newParameters, feedback, rtxPayloadType);
    }

    /**
     * A copy with other feedback types.
     *
     * @param newFeedback the feedback types
     * @return the copy
     */
    public Codec withFeedback(List<RtcpFeedback> newFeedback) {
        return new Codec(payloadType, name, clockRate, channels, parameters, newFeedback, rtxPayloadType);
    }

    /**
     * A copy with another RTX payload type.
     *
     * @param rtx the RTX payload type, or {@code null} for none
     * @return the copy
     */
    public Codec withRtx(Integer rtx) {
        return new Codec(payloadType, name, clockRate, channels, parameters, feedback,
                rtx == null ? OptionalInt.empty() : OptionalInt.of(rtx));
    }

    /**
     * A copy with another payload type.
     *
     * @param pt the payload type
     * @return the copy
     */
    public Codec withPayloadType(int pt) {
        return new Codec(pt, name, clockRate, channels, parameters, feedback, rtxPayloadType);
    }

    /**
     * Whether the encoding name equals the given one, ignoring case (SDP encoding names are
     * case-insensitive).
     *
     * @param encodingName for example {@code h264}
     * @return true when equal ignoring case
     */
    public boolean isNamed(String encodingName) {
        return name.equalsIgnoreCase(encodingName);
    }

    /**
     * Whether this is a retransmission format.
     *
     * @return true for {@code rtx}
     */
    public boolean isRtx() {
        return isNamed("rtx");
    }

    /**
     * The payload type a retransmission format repairs ({@code apt=}).
     *
     * @return the associated payload type, or empty when absent or not a number
     */
    public OptionalInt apt() {
        String v = parameter("apt");
        if (v == null || !Sdp.isDigits(v, 3)) {
            return OptionalInt.empty();
        }
        int pt = Integer.parseInt(v);
        return pt <= 127 ? OptionalInt.of(pt) : OptionalInt.empty();
    }

    /**
     * An fmtp parameter, name compared ignoring case.
     *
     * @param parameterName for example {@code packetization-mode}
     * @return the value, or {@code null} when absent or written without value
     */
    public String parameter(String parameterName) {
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (e.getKey().equalsIgnoreCase(parameterName)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * Whether this codec has the given feedback type.
     *
     * @param fb the feedback
     * @return true when listed
     */
    public boolean hasFeedback(RtcpFeedback fb) {
        return feedback.contains(fb);
    }

    /**
     * The {@code a=rtpmap} value.
     *
     * @return for example {@code 111 opus/48000/2}
     */
    public String rtpmapValue() {
        return payloadType + " " + name + '/' + clockRate + (channels > 0 ? "/" + channels : "");
    }

    /**
     * The {@code a=fmtp} value.
     *
     * @return for example {@code 111 minptime=10;useinbandfec=1}, or {@code null} without parameters
     */
    public String fmtpValue() {
        if (parameters.isEmpty()) {
            return null;
        }
        return payloadType + " " + parameters.entrySet().stream()
                .map(e -> e.getValue() == null ? e.getKey() : e.getKey() + '=' + e.getValue())
                .collect(Collectors.joining(";"));
    }

    /**
     * Parses fmtp parameters: items separated by {@code ;}, each {@code name=value} or a bare value
     * (as in {@code 0-15} of telephone-event or {@code 111/111} of RED).
     *
     * @param text the part of an {@code a=fmtp} value after the payload type
     * @return the parameters in order
     * @throws SdpParseException when an item is empty or a name repeats
     */
    public static Map<String, String> parseParameters(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String t = text.strip();
        if (t.isEmpty()) {
            return out;
        }
        String[] items = t.split(";", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            if (item.isEmpty()) {
                if (i > 0 && i == items.length - 1) {
                    continue; // a trailing ';' is tolerated
                }
                throw new SdpParseException("fmtp has an empty parameter: " + Sdp.quote(text));
            }
            int eq = item.indexOf('=');
            String key = (eq < 0 ? item : item.substring(0, eq)).strip();
            String value = eq < 0 ? null : item.substring(eq + 1).strip();
            if (key.isEmpty() || !Sdp.isWord(key)) {
                throw new SdpParseException("fmtp parameter name must be non-empty without spaces, got "
                        + Sdp.quote(item));
            }
            if (out.containsKey(key)) {
                throw new SdpParseException("fmtp parameter " + Sdp.quote(key) + " appears twice");
            }
            out.put(key, value);
        }
        return out;
    }

    /**
     * The H.264 profile-level-id as six lower-case hex digits.
     *
     * @return the profile-level-id, or {@code null} when absent or malformed
     */
    public String h264ProfileLevelId() {
        String v = parameter("profile-level-id");
        if (v == null || v.length() != 6) {
            return null;
        }
        for (int i = 0; i < 6; i++) {
            if (Character.digit(v.charAt(i), 16) < 0) {
                return null;
            }
        }
        return v.toLowerCase(Locale.ROOT);
    }

    /**
     * Lists the codecs as the lines to write: their formats and {@code a=rtpmap}, {@code a=rtcp-fb}
     * and {@code a=fmtp} attributes, each followed by its RTX format when it has one.
     */
    static void appendTo(List<Codec> codecs, List<String> formats, List<Attribute> attributes) {
        List<Integer> written = new ArrayList<>();
        for (Codec c : codecs) {
            formats.add(String.valueOf(c.payloadType));
            written.add(c.payloadType);
            attributes.add(Attribute.of("rtpmap", c.rtpmapValue()));
            for (RtcpFeedback fb : c.feedback) {
                attributes.add(Attribute.of("rtcp-fb", c.payloadType + " " + fb));
            }
            String fmtp = c.fmtpValue();
            if (fmtp != null) {
                attributes.add(Attribute.of("fmtp", fmtp));
            }
            if (c.rtxPayloadType.isPresent() && !written.contains(c.rtxPayloadType.getAsInt())) {
                int rtx = c.rtxPayloadType.getAsInt();
                formats.add(String.valueOf(rtx));
                written.add(rtx);
                attributes.add(Attribute.of("rtpmap", rtx + " rtx/" + c.clockRate));
                attributes.add(Attribute.of("fmtp", rtx + " apt=" + c.payloadType));
            }
        }
    }
}
