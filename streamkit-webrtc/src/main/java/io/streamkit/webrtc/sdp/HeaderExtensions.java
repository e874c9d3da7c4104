package io.streamkit.webrtc.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The RTP header extension URIs the SFU understands
 * (<a href="https://www.rfc-editor.org/rfc/rfc8285">RFC 8285</a>), and the ids it uses in the offers
 * it writes. The ids are the same in every m-line, as BUNDLE requires, and equal to the ones
 * Chromium picks, which keeps captures easy to read.
 */
public final class HeaderExtensions {

    /** The m-line's mid (<a href="https://www.rfc-editor.org/rfc/rfc9143#section-15">RFC 9143</a>). */
    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    /** The simulcast layer's rid (<a href="https://www.rfc-editor.org/rfc/rfc8852">RFC 8852</a>). */
    public static final String RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    /** The rid of the stream an RTX packet repairs (RFC 8852). */
    public static final String REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    /** Client-to-mixer audio level (<a href="https://www.rfc-editor.org/rfc/rfc6464">RFC 6464</a>). */
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    /** Absolute send time (libwebrtc). */
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /** Transport-wide sequence numbers for congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01). */
    public static final String TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    /** Id of {@link #AUDIO_LEVEL} in SFU offers. */
    public static final int AUDIO_LEVEL_ID = 1;
    /** Id of {@link #ABS_SEND_TIME} in SFU offers. */
    public static final int ABS_SEND_TIME_ID = 2;
    /** Id of {@link #TRANSPORT_CC} in SFU offers. */
    public static final int TRANSPORT_CC_ID = 3;
    /** Id of {@link #MID} in SFU offers. */
    public static final int MID_ID = 4;

    private HeaderExtensions() {
    }

    /**
     * The header extensions an SFU offer lists in an m-line of this kind.
     *
     * @param kind {@code audio} or {@code video}
     * @param policy which extensions are enabled
     * @return the mappings
     */
    public static List<Extmap> forOffer(String kind, MediaPolicy policy) {
        List<Extmap> out = new ArrayList<>();
        if (kind.equals("audio") && policy.keepsExtension(AUDIO_LEVEL)) {
            out.add(Extmap.of(AUDIO_LEVEL_ID, AUDIO_LEVEL));
        }
        if (policy.keepsExtension(ABS_SEND_TIME)) {
            out.add(Extmap.of(ABS_SEND_TIME_ID, ABS_SEND_TIME));
        }
        if (policy.keepsExtension(TRANSPORT_CC)) {
            out.add(Extmap.of(TRANSPORT_CC_ID, TRANSPORT_CC));
        }
        if (policy.keepsExtension(MID)) {
            out.add(Extmap.of(MID_ID, MID));
        }
        return out;
    }
}
