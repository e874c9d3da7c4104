package io.streamkit.webrtc.sdp;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the SFU accepts when it answers and what it lists when it offers: codecs, RTCP feedback and
 * RTP header extensions (<a href="https://www.rfc-editor.org/rfc/rfc8829#section-5.3">JSEP, RFC 8829
 * section 5.3</a>).
 *
 * @param codecs the accepted encoding names (compared ignoring case): any of {@code opus},
 *     {@code VP8}, {@code VP9}, {@code AV1}, {@code H264}
 * @param h264Profiles the accepted H.264 profile_idc values as two lower-case hex digits
 *     ({@code 42} baseline/constrained baseline, {@code 4d} main, {@code 64} high); H.264 also needs
 *     packetization-mode=1
 * @param preferredH264ProfileLevelId the H.264 profile-level-id put first among H.264 formats
 * @param rtx whether RTX formats ({@code apt=}) are kept
 * @param remb whether {@code goog-remb} feedback is kept
 * @param transportCc whether {@code transport-cc} feedback and the transport-wide-cc extension are kept
 * @param extensions the header extension URIs kept, besides transport-wide-cc
 * @param acceptDataChannels whether {@code m=application} (SCTP data channels) is accepted rather
 *     than rejected with port 0
 * @param maxCodecsPerMedia the most primary codecs accepted per m-line, 0 for no limit
 */
public record MediaPolicy(List<String> codecs, Set<String> h264Profiles, String preferredH264ProfileLevelId,
        boolean rtx, boolean remb, boolean transportCc, Set<String> extensions, boolean acceptDataChannels,
        int maxCodecsPerMedia) {

    /** The audio codecs this package knows how to answer. */
    static final Set<String> AUDIO_CODECS = Set.of("opus");
    /** The video codecs this package knows how to answer. */
    static final Set<String> VIDEO_CODECS = Set.of("vp8", "vp9", "av1", "h264");

    /** Validates and freezes the collections. */
    public MediaPolicy {
        codecs = List.copyOf(codecs);
        for (String c : codecs) {
            String n = c.toLowerCase(Locale.ROOT);
            if (!AUDIO_CODECS.contains(n) && !VIDEO_CODECS.contains(n)) {
                throw new IllegalArgumentException("unsupported codec " + Sdp.quote(c)
                        + "; supported: opus, VP8, VP9, AV1, H264");
            }
        }
        Set<String> profiles = new LinkedHashSet<>();
        for (String p : h264Profiles) {
            if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
                throw new IllegalArgumentException("H.264 profile must be two hex digits, got " + Sdp.quote(p));
            }
            profiles.add(p.toLowerCase(Locale.ROOT));
        }
        h264Profiles = Set.copyOf(profiles);
        if (preferredH264ProfileLevelId == null || preferredH264ProfileLevelId.length() != 6) {
            throw new IllegalArgumentException("preferred H.264 profile-level-id must be six hex digits");
        }
        preferredH264ProfileLevelId = preferredH264ProfileLevelId.toLowerCase(Locale.ROOT);
        extensions = Set.copyOf(extensions);
        if (maxCodecsPerMedia < 0) {
            throw new IllegalArgumentException("maxCodecsPerMedia must be non-negative");
        }
    }

    /**
     * The defaults: opus, VP8, VP9, AV1 and H.264 (42/4d/64, preferring 42e01f); RTX; feedback
     * nack, nack pli, ccm fir; extensions mid, rtp-stream-id, repaired-rtp-stream-id,
     * ssrc-audio-level, abs-send-time; data channels rejected.
     *
     * @return the default policy
     */
    public static MediaPolicy defaults() {
        return new MediaPolicy(List.of("opus", "VP8", "VP9", "AV1", "H264"), Set.of("42", "4d", "64"), "42e01f",
                true, false, false,
                Set.of(HeaderExtensions.MID, HeaderExtensions.RTP_STREAM_ID, HeaderExtensions.REPAIRED_RTP_STREAM_ID,
                        HeaderExtensions.AUDIO_LEVEL, HeaderExtensions.ABS_SEND_TIME),
                false, 0);
    }

    /**
     * A copy accepting only these codecs.
     *
     * @param names encoding names
     * @return the copy
     */
    public MediaPolicy withCodecs(List<String> names) {
        return new MediaPolicy(names, h264Profiles, preferredH264ProfileLevelId, rtx, remb, transportCc, extensions,
                acceptDataChannels, maxCodecsPerMedia);
    }

    /**
     * A copy with transport-cc feedback and the transport-wide-cc extension on or off.
     *
     * @param enabled whether to keep them
     * @return the copy
     */
    public MediaPolicy withTransportCc(boolean enabled) {
        return new MediaPolicy(codecs, h264Profiles, preferredH264ProfileLevelId, rtx, remb, enabled, extensions,
                acceptDataChannels, maxCodecsPerMedia);
    }

    /**
     * A copy with goog-remb feedback on or off.
     *
     * @param enabled whether to keep it
     * @return the copy
     */
    public MediaPolicy withRemb(boolean enabled) {
        return new MediaPolicy(codecs, h264Profiles, preferredH264ProfileLevelId, rtx, enabled, transportCc,
                extensions, acceptDataChannels, maxCodecsPerMedia);
    }

    /**
     * A copy that accepts or rejects data channel m-lines.
     *
     * @param enabled whether to accept them
     * @return the copy
     */
    public MediaPolicy withDataChannels(boolean enabled) {
        return new MediaPolicy(codecs, h264Profiles, preferredH264ProfileLevelId, rtx, remb, transportCc, extensions,
                enabled, maxCodecsPerMedia);
    }

    /**
     * A copy that accepts at most this many primary codecs per m-line.
     *
     * @param max the limit, 0 for none
     * @return the copy
     */
    public MediaPolicy withMaxCodecsPerMedia(int max) {
        return new MediaPolicy(codecs, h264Profiles, preferredH264ProfileLevelId, rtx, remb, transportCc, extensions,
                acceptDataChannels, max);
    }

    /**
     * Whether a header extension is kept.
     *
     * @param uri the extension URI
     * @return true when kept
     */
    public boolean keepsExtension(String uri) {
        return extensions.contains(uri) || transportCc && uri.equals(HeaderExtensions.TRANSPORT_CC);
    }

    /**
     * Whether an RTCP feedback type is kept.
     *
     * @param fb the feedback
     * @return true for nack, nack pli, ccm fir, and goog-remb / transport-cc when enabled
     */
    public boolean keepsFeedback(RtcpFeedback fb) {
        return fb.equals(RtcpFeedback.NACK) || fb.equals(RtcpFeedback.NACK_PLI) || fb.equals(RtcpFeedback.CCM_FIR)
                || remb && fb.equals(RtcpFeedback.GOOG_REMB) || transportCc && fb.equals(RtcpFeedback.TRANSPORT_CC);
    }

    /**
     * Whether an offered codec can be accepted in an m-line of this kind.
     *
     * @param kind {@code audio} or {@code video}
     * @param c the offered codec
     * @return true when this policy accepts it
     */
    public boolean accepts(String kind, Codec c) {
        String n = c.name().toLowerCase(Locale.ROOT);
        boolean listed = codecs.stream().anyMatch(c::isNamed);
        if (!listed) {
            return false;
        }
        if (kind.equals("audio")) {
            return n.equals("opus") && c.clockRate() == 48000 && c.channels() == 2;
        }
        if (!kind.equals("video") || !VIDEO_CODECS.contains(n) || c.clockRate() != 90000) {
            return false;
        }
        return switch (n) {
            case "h264" -> {
                String plid = c.h264ProfileLevelId();
                yield "1".equals(c.parameter("packetization-mode")) && plid != null
                        && h264Profiles.contains(plid.substring(0, 2));
            }
            case "vp9" -> {
                String p = c.parameter("profile-id");
                yield p == null || p.equals("0");
            }
            case "av1" -> {
                String p = c.parameter("profile");
                yield p == null || p.equals("0");
            }
            default -> true;
        };
    }

    /** Ranks H.264 formats: the preferred profile-level-id first, then by profile_idc 42, 4d, 64. */
    int h264Rank(Codec c) {
        String plid = c.h264ProfileLevelId();
        if (plid == null) {
            return 9;
        }
        if (plid.equals(preferredH264ProfileLevelId)) {
            return 0;
        }
        return switch (plid.substring(0, 2)) {
            case "42" -> 1;
            case "4d" -> 2;
            case "64" -> 3;
            default -> 4;
        };
    }
}
