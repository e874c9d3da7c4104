package io.streamkit.webrtc.sdp;

import java.util.List;

/**
 * A track the SFU forwards to a subscriber: one sendonly m-line of the subscriber offer.
 *
 * @param trackId the track id written in {@code a=msid} (stable across renegotiations: the m-line
 *     of a track keeps its mid)
 * @param streamId the MediaStream id written in {@code a=msid}
 * @param kind {@code audio} or {@code video}
 * @param ssrc the SSRC the SFU sends the media with
 * @param rtxSsrc the SSRC of its RTX stream, or -1 for none
 * @param cname the RTCP CNAME written in {@code a=ssrc:N cname:...}
 * @param codecs the codecs offered, with the payload types (and RTX payload types) the SFU will use
 */
public record OutgoingTrack(String trackId, String streamId, String kind, long ssrc, long rtxSsrc, String cname,
        List<Codec> codecs) {

    /** Validates the fields. */
    public OutgoingTrack {
        new Msid(streamId, trackId);
        if (!kind.equals("audio") && !kind.equals("video")) {
            throw new IllegalArgumentException("kind must be audio or video, got " + Sdp.quote(kind));
        }
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL || rtxSsrc < -1 || rtxSsrc > 0xFFFF_FFFFL || rtxSsrc == ssrc) {
            throw new IllegalArgumentException("SSRCs must be distinct 32-bit values, got " + ssrc + " / " + rtxSsrc);
        }
        Sdp.requireWord(cname, "cname");
        codecs = List.copyOf(codecs);
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("a track needs at least one codec");
        }
    }
}
