package io.streamkit.webrtc.sfu;

import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Payload;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Publisher;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamKitException;
import io.streamkit.api.TrackInfo;
import io.streamkit.webrtc.rtp.RtpException;
import io.streamkit.webrtc.rtp.RtpPacket;
import io.streamkit.webrtc.rtp.Vp8Depacketizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one participant's media into a StreamKit stream, so that anything built on streams (a
 * compositor's guest source, a recording of VP8-capable outputs, another transport) can use it:
 * VP8 frames reassembled from RTP (RFC 7741) and Opus packets as they come. Timestamps: each track's
 * RTP clock is anchored to the monotonic arrival time of its first packet, so audio and video of
 * one participant share one timeline. Runs on the media loop.
 */
final class ParticipantBridge {
    private static final Logger log = LoggerFactory.getLogger(ParticipantBridge.class);
    private static final int VIDEO_TIMESCALE = 90_000;
    private static final int AUDIO_TIMESCALE = 48_000;

    private final SfuPeer peer;
    private final StreamKit kit;
    private final String path;
    private final Map<PublishedTrack, TrackState> states = new HashMap<>();
    private Publisher publisher;
    private List<TrackInfo> published = List.of();
    private long epochNanos = Long.MIN_VALUE;
    private boolean failed;

    ParticipantBridge(SfuPeer peer, StreamKit kit, String path) {
        this.peer = peer;
        this.kit = kit;
        this.path = path;
    }

    /** Per-track state: codec, depacketizer, timestamp unwrapping. */
    private static final class TrackState {
        final TrackInfo info;
        final Vp8Depacketizer vp8;
        long firstRtp = -1;
        long firstArrival;
        long lastRtp;
        long rtpCycles;

        TrackState(TrackInfo info) {
            this.info = info;
            this.vp8 = info.codec() == Codec.VP8 ? new Vp8Depacketizer() : null;
        }

        long unwrap(long rtp) {
            if (firstRtp < 0) {
                lastRtp = rtp;
                return rtp;
            }
            long diff = rtp - lastRtp;
            if (diff < -(1L << 31)) {
                rtpCycles += 1L << 32;
            } else if (diff > (1L << 31)) {
                rtpCycles -= 1L << 32;
            }
            lastRtp = rtp;
            return rtp + rtpCycles;
        }
    }

    void onRtp(PublishedTrack track, RtpPacket packet, long arrivalNanos) {
        if (failed) {
            return;
        }
        TrackState st = states.get(track);
        if (st == null) {
            io.streamkit.webrtc.sdp.Codec c = track.codec(packet.payloadType());
            if (c == null) {
                return;
            }
            TrackInfo info = trackInfo(track, c);
            if (info == null) {
                states.put(track, new TrackState(null));
                log.info("room {} peer {}: {} track {} ({}) is not bridged into {} (VP8 and Opus are)", peer.roomId,
                        peer.peerId, track.kind, track.mid, c.name(), path);
                return;
            }
            st = new TrackState(info);
            states.put(track, st);
            if (!publishTracks()) {
                return;
            }
            if (st.vp8 != null) {
                peer.requestKeyframe(track);
            }
        }
        if (st.info == null) {
            return;
        }
        long rtp = st.unwrap(packet.timestamp());
        if (st.firstRtp < 0) {
            st.firstRtp = rtp;
            st.firstArrival = arrivalNanos;
            if (epochNanos == Long.MIN_VALUE) {
                epochNanos = arrivalNanos;
            }
        }
        int clock = track.codec(packet.payloadType()) == null
                ? VIDEO_TIMESCALE
                : track.codec(packet.payloadType()).clockRate();
        long nanos = st.firstArrival - epochNanos + (rtp - st.firstRtp) * 1_000_000_000L / clock;
        byte[] payload = new byte[packet.payloadLength()];
        packet.buffer().getBytes(packet.payloadOffset(), payload);
        if (st.vp8 != null) {
            Vp8Depacketizer.Frame f;
            try {
                boolean waiting = st.vp8.waitingForKeyframe();
                f = st.vp8.add(packet.sequenceNumber(), rtp, packet.marker(), payload);
                if (!waiting && st.vp8.waitingForKeyframe()) {
                    peer.requestKeyframe(track);
                }
            } catch (RtpException e) {
                log.debug("room {} peer {}: bad VP8 payload: {}", peer.roomId, peer.peerId, e.getMessage());
                return;
            }
            if (f != null) {
                long ts = nanos * VIDEO_TIMESCALE / 1_000_000_000L;
                send(MediaPacket.of(st.info, ts, ts, f.keyframe(), Payload.wrap(f.data())));
            }
        } else if (payload.length > 0) {
            long ts = nanos * AUDIO_TIMESCALE / 1_000_000_000L;
            send(MediaPacket.of(st.info, ts, ts, true, Payload.wrap(payload)));
        }
    }

    private TrackInfo trackInfo(PublishedTrack track, io.streamkit.webrtc.sdp.Codec c) {
        int id = states.size();
        String name = c.name().toUpperCase(java.util.Locale.ROOT);
        if (track.isVideo() && name.equals("VP8")) {
            return TrackInfo.builder(id, Codec.VP8).timescale(VIDEO_TIMESCALE).build();
        }
        if (!track.isVideo() && name.equals("OPUS")) {
            return TrackInfo.builder(id, Codec.OPUS).timescale(AUDIO_TIMESCALE).config(CodecConfig.of(opusHead()))
                    .audio(48_000, 2).build();
        }
        return null;
    }

    /** The OpusHead of RFC 7845 section 5.1 for a stereo 48 kHz stream without pre-skip. */
    static byte[] opusHead() {
        byte[] h = new byte[19];
        byte[] magic = "OpusHead".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 0, 8);
        h[8] = 1; // version
        h[9] = 2; // channels
        // pre-skip 0 (bytes 10-11)
        int rate = 48_000;
        h[12] = (byte) rate;
        h[13] = (byte) (rate >> 8);
        h[14] = (byte) (rate >> 16);
        h[15] = (byte) (rate >> 24);
        // output gain 0, mapping family 0
        return h;
    }

    private boolean publishTracks() {
        List<TrackInfo> tracks = new ArrayList<>();
        for (TrackState s : states.values()) {
            if (s.info != null) {
                tracks.add(s.info);
            }
        }
        tracks.sort(java.util.Comparator.comparingInt(TrackInfo::id));
        try {
            if (publisher == null) {
                publisher = kit.stream(path).publish(tracks, PublishPolicy.TAKE_OVER, "webrtc " + peer.peerId);
                log.info("room {} peer {} (user {}) is bridged into stream {}", peer.roomId, peer.peerId, peer.userId,
                        path);
            } else {
                publisher.updateTracks(tracks);
            }
            published = tracks;
            return true;
        } catch (StreamKitException | IllegalArgumentException | IllegalStateException e) {
            failed = true;
            log.warn("room {} peer {}: cannot publish into stream {}: {}", peer.roomId, peer.peerId, path, e
                    .getMessage());
            return false;
        }
    }

    private void send(MediaPacket packet) {
        if (publisher != null && !published.isEmpty()) {
            publisher.send(packet);
        } else {
            packet.release();
        }
    }

    void close() {
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
        states.clear();
    }
}
