package io.streamkit.webrtc.sfu;

import io.streamkit.webrtc.sdp.Codec;
import io.streamkit.webrtc.sdp.Extmap;
import io.streamkit.webrtc.sdp.NegotiatedMedia;
import java.util.HashMap;
import java.util.Map;

/**
 * A published track as one subscriber receives it: its own SSRC and RTX SSRC, the payload types
 * and header extension ids the subscriber negotiated. Sequence numbers and timestamps are the
 * publisher's (one source per track), so a subscriber's NACK names the publisher's sequence numbers.
 * Media-loop confined.
 */
final class ForwardedTrack {
    final PublishedTrack source;
    final SfuPeer subscriber;
    final long ssrc;
    final long rtxSsrc;
    /** Publisher payload type to subscriber payload type; absent: not forwarded. */
    private final Map<Integer, Integer> payloadTypes = new HashMap<>();
    /** Subscriber RTX payload type per subscriber media payload type. */
    private final Map<Integer, Integer> rtxPayloadTypes = new HashMap<>();
    /** Publisher extension id to subscriber extension id (0: dropped), indexed by publisher id. */
    private final int[] extensionIds = new int[256];
    String mid;
    boolean active;
    int rtxSequence;
    long packets;
    long octets;
    long retransmissions;
    long lastRtpTimestamp;
    long lastSrCompact;
    long lastSrNanos;

    ForwardedTrack(PublishedTrack source, SfuPeer subscriber, long ssrc, long rtxSsrc) {
        this.source = source;
        this.subscriber = subscriber;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.rtxSequence = java.util.concurrent.ThreadLocalRandom.current().nextInt(65536);
    }

    /** Applies what the subscriber's answer accepted for this track's m-line. */
    void negotiated(NegotiatedMedia answer) {
        payloadTypes.clear();
        rtxPayloadTypes.clear();
        java.util.Arrays.fill(extensionIds, 0);
        for (Codec theirs : answer.codecs()) {
            if (theirs.isRtx()) {
                continue;
            }
            for (Codec ours : source.codecs) {
                if (!ours.isRtx() && ours.name().equalsIgnoreCase(theirs.name()) && ours.clockRate() == theirs
                        .clockRate() && sameH264Mode(ours, theirs)) {
                    payloadTypes.putIfAbsent(ours.payloadType(), theirs.payloadType());
                }
            }
            theirs.rtxPayloadType().ifPresent(rtx -> rtxPayloadTypes.put(theirs.payloadType(), rtx));
        }
        for (Extmap e : answer.extensions()) {
            for (Extmap p : source.extensions) {
                if (p.uri().equals(e.uri()) && keep(e.uri()) && p.id() < 256) {
                    extensionIds[p.id()] = e.id();
                }
            }
        }
        mid = answer.mid();
        active = !payloadTypes.isEmpty();
    }

    private static boolean keep(String uri) {
        // the mid and rid of the publisher's m-line mean nothing on the subscriber's connection
        return !uri.equals(io.streamkit.webrtc.sdp.HeaderExtensions.MID)
                && !uri.equals(io.streamkit.webrtc.sdp.HeaderExtensions.RTP_STREAM_ID)
                && !uri.equals(io.streamkit.webrtc.sdp.HeaderExtensions.REPAIRED_RTP_STREAM_ID);
    }

    private static boolean sameH264Mode(Codec a, Codec b) {
        if (!a.isNamed("H264")) {
            return true;
        }
        String pa = a.parameter("packetization-mode");
        String pb = b.parameter("packetization-mode");
        String la = a.parameter("profile-level-id");
        String lb = b.parameter("profile-level-id");
        return java.util.Objects.equals(pa == null ? "0" : pa, pb == null ? "0" : pb)
                && (la == null || lb == null || la.regionMatches(true, 0, lb, 0, 2));
    }

    /** @return the subscriber's payload type for a publisher payload type, or -1 */
    int payloadType(int publisherPt) {
        Integer pt = payloadTypes.get(publisherPt);
        return pt == null ? -1 : pt;
    }

    /** @return the subscriber's RTX payload type for its media payload type, or -1 */
    int rtxPayloadType(int subscriberPt) {
        Integer pt = rtxPayloadTypes.get(subscriberPt);
        return pt == null ? -1 : pt;
    }

    int extensionId(int publisherId) {
        return publisherId >= 0 && publisherId < 256 ? extensionIds[publisherId] : 0;
    }
}
