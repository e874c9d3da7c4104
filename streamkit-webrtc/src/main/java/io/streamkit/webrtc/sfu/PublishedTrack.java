package io.streamkit.webrtc.sfu;

import io.streamkit.webrtc.rtp.KeyframeRequestThrottle;
import io.streamkit.webrtc.sdp.Codec;
import io.streamkit.webrtc.sdp.Extmap;
import io.streamkit.webrtc.sdp.HeaderExtensions;
import io.streamkit.webrtc.sdp.NegotiatedMedia;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One track a publisher sends (one m-line of its publisher connection). Media-loop confined. */
final class PublishedTrack {
    final SfuPeer owner;
    final String mid;
    final String kind;
    final String trackId;
    final List<Codec> codecs;
    final List<Extmap> extensions;
    final int audioLevelId;
    final int midId;
    final int ridId;
    final int repairedRidId;
    final String preferredRid;
    long ssrc = -1;
    long rtxSsrc = -1;
    final List<ForwardedTrack> forwards = new ArrayList<>();
    final KeyframeRequestThrottle keyframeThrottle = new KeyframeRequestThrottle(Duration.ofMillis(500), 4);
    final SpeakingDetector speaking = new SpeakingDetector();
    long packets;
    long bytes;
    long recoveredSeen;
    /** Gaps in the publisher's sequence numbers, NACKed back to it; null when it does not take NACKs. */
    final io.streamkit.webrtc.rtp.NackGenerator nacks;
    /** Reception statistics of the publisher's stream, for the receiver reports sent to it. */
    io.streamkit.webrtc.rtp.ReceptionStatistics reception;

    PublishedTrack(SfuPeer owner, NegotiatedMedia media) {
        this.owner = owner;
        this.mid = media.mid();
        this.kind = media.kind();
        this.trackId = owner.peerId + "-" + media.mid();
        this.codecs = List.copyOf(media.codecs());
        this.extensions = List.copyOf(media.extensions());
        this.audioLevelId = media.extensionId(HeaderExtensions.AUDIO_LEVEL).orElse(0);
        this.midId = media.extensionId(HeaderExtensions.MID).orElse(0);
        this.ridId = media.extensionId(HeaderExtensions.RTP_STREAM_ID).orElse(0);
        this.repairedRidId = media.extensionId(HeaderExtensions.REPAIRED_RTP_STREAM_ID).orElse(0);
        this.preferredRid = media.rids().isEmpty() ? null : media.rids().get(0);
        boolean nack = isVideo() && codecs.stream().anyMatch(c -> c.feedback().contains(
                io.streamkit.webrtc.sdp.RtcpFeedback.NACK));
        this.nacks = nack
                ? new io.streamkit.webrtc.rtp.NackGenerator(io.streamkit.webrtc.rtp.NackGenerator.Config
                        .defaults())
                : null;
        if (!media.ssrcs().isEmpty()) {
            this.ssrc = media.ssrcs().get(0);
            this.rtxSsrc = media.rtxSsrc(ssrc).orElse(-1L);
        }
    }

    boolean isVideo() {
        return kind.equals("video");
    }

    /** @return the payload type an RTX payload type repairs, or -1 */
    int associatedPayloadType(int rtxPayloadType) {
        for (Codec c : codecs) {
            if (c.rtxPayloadType().isPresent() && c.rtxPayloadType().getAsInt() == rtxPayloadType) {
                return c.payloadType();
            }
        }
        return -1;
    }

    Codec codec(int payloadType) {
        for (Codec c : codecs) {
            if (c.payloadType() == payloadType) {
                return c;
            }
        }
        return null;
    }

    String uriOf(int id) {
        for (Extmap e : extensions) {
            if (e.id() == id) {
                return e.uri();
            }
        }
        return null;
    }
}
