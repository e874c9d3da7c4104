package io.streamkit.webrtc.sdp;

/**
 * One RTCP feedback type of a codec, from {@code a=rtcp-fb}
 * (<a href="https://www.rfc-editor.org/rfc/rfc4585#section-4.2">RFC 4585 section 4.2</a>), for
 * example {@code nack}, {@code nack pli}, {@code ccm fir}, {@code goog-remb}, {@code transport-cc}.
 *
 * @param type the feedback type, for example {@code nack}
 * @param parameter the parameter, for example {@code pli}, or {@code null}
 */
public record RtcpFeedback(String type, String parameter) {

    /** Generic NACK. */
    public static final RtcpFeedback NACK = new RtcpFeedback("nack", null);
    /** Picture loss indication. */
    public static final RtcpFeedback NACK_PLI = new RtcpFeedback("nack", "pli");
    /** Full intra request. */
    public static final RtcpFeedback CCM_FIR = new RtcpFeedback("ccm", "fir");
    /** Receiver estimated maximum bitrate. */
    public static final RtcpFeedback GOOG_REMB = new RtcpFeedback("goog-remb", null);
    /** Transport-wide congestion control feedback. */
    public static final RtcpFeedback TRANSPORT_CC = new RtcpFeedback("transport-cc", null);

    /** Validates the type and the parameter. */
    public RtcpFeedback {
        Sdp.requireToken(type, "rtcp-fb type");
        if (parameter != null) {
            Sdp.requireText(parameter, "rtcp-fb parameter");
            if (parameter.isEmpty() || parameter.startsWith(" ") || parameter.endsWith(" ")) {
                throw new IllegalArgumentException("rtcp-fb parameter must be non-empty and trimmed, got "
                        + Sdp.quote(parameter));
            }
        }
    }

    /**
     * Parses the part of an {@code a=rtcp-fb} value after the payload type.
     *
     * @param text for example {@code nack pli}
     * @return the feedback
     * @throws SdpParseException when the type is not a token
     */
    public static RtcpFeedback parse(String text) {
        return Sdp.guard(() -> parseUnguarded(text));
    }

    private static RtcpFeedback parseUnguarded(String text) {
        String t = text.strip();
        int sp = t.indexOf(' ');
        String type = sp < 0 ? t : t.substring(0, sp);
        String param = sp < 0 ? null : t.substring(sp + 1).strip();
        if (!Sdp.isToken(type)) {
            throw new SdpParseException("rtcp-fb type must be a token, got " + Sdp.quote(type));
        }
        return new RtcpFeedback(type, param == null || param.isEmpty() ? null : param);
    }

    /** @return the feedback as written after the payload type, e.g. {@code nack pli} */
    @Override
    public String toString() {
        return parameter == null ? type : type + ' ' + parameter;
    }
}
