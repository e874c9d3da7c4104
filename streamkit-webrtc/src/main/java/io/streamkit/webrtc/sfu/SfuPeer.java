package io.streamkit.webrtc.sfu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.NegotiationException;
import io.streamkit.webrtc.rtp.FullIntraRequest;
import io.streamkit.webrtc.rtp.GenericNack;
import io.streamkit.webrtc.rtp.NtpTime;
import io.streamkit.webrtc.rtp.PictureLossIndication;
import io.streamkit.webrtc.rtp.ReceiverReport;
import io.streamkit.webrtc.rtp.ReceptionStatistics;
import io.streamkit.webrtc.rtp.ReportBlock;
import io.streamkit.webrtc.rtp.RtcpCompound;
import io.streamkit.webrtc.rtp.RtcpException;
import io.streamkit.webrtc.rtp.RtcpPacket;
import io.streamkit.webrtc.rtp.RtpException;
import io.streamkit.webrtc.rtp.RtpHeaderExtensions;
import io.streamkit.webrtc.rtp.RtpPacket;
import io.streamkit.webrtc.rtp.RtpPacketCache;
import io.streamkit.webrtc.rtp.SenderInfo;
import io.streamkit.webrtc.rtp.SenderReport;
import io.streamkit.webrtc.sdp.Codec;
import io.streamkit.webrtc.sdp.NegotiatedMedia;
import io.streamkit.webrtc.sdp.OutgoingTrack;
import io.streamkit.webrtc.sdp.PublisherAnswerer;
import io.streamkit.webrtc.sdp.PublisherNegotiation;
import io.streamkit.webrtc.sdp.SessionDescription;
import io.streamkit.webrtc.sdp.Setup;
import io.streamkit.webrtc.sdp.SubscriberAnswer;
import io.streamkit.webrtc.sdp.SubscriberOffer;
import io.streamkit.webrtc.sdp.SubscriberOfferer;
import io.streamkit.webrtc.signaling.PcTarget;
import io.streamkit.webrtc.signaling.PeerMedia;
import io.streamkit.webrtc.signaling.PeerSignals;
import io.streamkit.webrtc.signaling.SignalingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participant's media: its publisher connection (the tracks it sends) and its subscriber
 * connection (every other participant's tracks, forwarded). Everything runs on the media event
 * loop; the {@link PeerMedia} methods, called by the signaling hub, hand their work over to it.
 */
final class SfuPeer implements PeerMedia, PeerTransport.Listener {
    private static final Logger log = LoggerFactory.getLogger(SfuPeer.class);
    /** The SSRC the SFU uses as the sender of its own RTCP feedback. */
    static final long SFU_SSRC = 0x5354524BL;

    final SfuEngine engine;
    final String roomId;
    SfuRoom room;
    final String peerId;
    final String userId;
    private ParticipantBridge bridge; // media loop
    private final PeerSignals signals;
    private final ByteBufAllocator alloc;

    // publisher side
    private PeerTransport publisher;
    private SessionDescription lastPublisherAnswer;
    private final Map<String, PublishedTrack> tracks = new LinkedHashMap<>();
    private final Map<Long, PublishedTrack> tracksBySsrc = new HashMap<>();
    private final Set<Long> ignoredSsrcs = new HashSet<>();
    private final RtpPacketCache cache;

    // subscriber side
    private PeerTransport subscriber;
    private final Map<String, ForwardedTrack> forwards = new LinkedHashMap<>();
    private final Map<Long, ForwardedTrack> forwardsBySsrc = new HashMap<>();
    private SessionDescription lastOffer;
    private SessionDescription lastAnswer;
    private SessionDescription pendingOffer;
    private Map<String, String> pendingMids = Map.of();
    private boolean renegotiateAfterAnswer;
    private boolean closed;

    // statistics (media loop)
    final PeerCounters counters = new PeerCounters();

    SfuPeer(SfuEngine engine, String roomId, String peerId, String userId, PeerSignals signals) {
        this.engine = engine;
        this.roomId = roomId;
        this.peerId = peerId;
        this.userId = userId;
        this.signals = signals;
        this.alloc = engine.allocator();
        this.cache = new RtpPacketCache(alloc, 1024, Duration.ofSeconds(2), 16);
    }

    // ---------------------------------------------------------------- signaling (any thread)

    @Override
    public void publisherOffer(String sdp) {
        engine.execute(() -> onPublisherOffer(sdp));
    }

    @Override
    public void subscriberAnswer(String sdp) {
        engine.execute(() -> onSubscriberAnswer(sdp));
    }

    @Override
    public void resumed() {
        engine.execute(() -> {
            if (pendingOffer != null) {
                signals.sendOffer(PcTarget.SUBSCRIBER, pendingOffer.toString());
            }
        });
    }

    @Override
    public void close() {
        engine.execute(this::onClose);
    }

    // ---------------------------------------------------------------- negotiation (media loop)

    private void onPublisherOffer(String sdp) {
        if (closed) {
            return;
        }
        PublisherNegotiation negotiation;
        try {
            SessionDescription offer = SessionDescription.parse(sdp);
            if (publisher == null) {
                publisher = engine.newTransport(peerId + "/publisher", this);
            }
            negotiation = PublisherAnswerer.answer(offer, engine.localParameters(publisher.localIce()),
                    lastPublisherAnswer);
            publisher.setRemote(negotiation.remoteIce().ufrag(), negotiation.remoteIce().pwd(),
                    negotiation.remoteFingerprint().algorithm() + " " + negotiation.remoteFingerprint().value());
        } catch (NegotiationException | IllegalArgumentException e) {
            log.info("room {} peer {}: publisher offer refused: {}", roomId, peerId, e.getMessage());
            signals.sendError(SignalingException.MEDIA_ERROR, "publisher offer refused: " + e.getMessage());
            return;
        }
        lastPublisherAnswer = negotiation.answer();
        signals.sendAnswer(PcTarget.PUBLISHER, negotiation.answer().toString());
        Set<String> sending = new HashSet<>();
        for (NegotiatedMedia m : negotiation.media()) {
            if (!m.remoteDirection().sends()) {
                continue;
            }
            sending.add(m.mid());
            if (!tracks.containsKey(m.mid())) {
                PublishedTrack track = new PublishedTrack(this, m);
                tracks.put(m.mid(), track);
                if (track.ssrc >= 0) {
                    tracksBySsrc.put(track.ssrc, track);
                }
                if (track.rtxSsrc >= 0) {
                    tracksBySsrc.put(track.rtxSsrc, track);
                }
                log.debug("room {} peer {} publishes {} track {}", roomId, peerId, track.kind, track.mid);
                room.trackAdded(track);
            }
        }
        for (PublishedTrack gone : new ArrayList<>(tracks.values())) {
            if (!sending.contains(gone.mid)) {
                removeTrack(gone);
            }
        }
    }

    private void removeTrack(PublishedTrack track) {
        engine.trackGone(track);
        tracks.remove(track.mid);
        tracksBySsrc.values().removeIf(t -> t == track);
        if (track.ssrc >= 0) {
            cache.remove(track.ssrc);
        }
        room.trackRemoved(track);
    }

    /** Another participant's track is to be forwarded to this one. */
    void addForward(PublishedTrack track) {
        if (closed || forwards.containsKey(track.trackId)) {
            return;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long ssrc = r.nextLong(1, 0xFFFF_FFFFL);
        boolean rtx = track.codecs.stream().anyMatch(c -> c.rtxPayloadType().isPresent());
        long rtxSsrc = rtx ? (ssrc + 1) & 0xFFFF_FFFFL : -1;
        ForwardedTrack ft = new ForwardedTrack(track, this, ssrc, rtxSsrc);
        forwards.put(track.trackId, ft);
        forwardsBySsrc.put(ssrc, ft);
        track.forwards.add(ft);
        renegotiate();
    }

    void removeForward(PublishedTrack track) {
        ForwardedTrack ft = forwards.remove(track.trackId);
        if (ft != null) {
            ft.active = false;
            forwardsBySsrc.remove(ft.ssrc);
            track.forwards.remove(ft);
            renegotiate();
        }
    }

    private void renegotiate() {
        if (closed) {
            return;
        }
        if (pendingOffer != null) {
            renegotiateAfterAnswer = true;
            return;
        }
        if (forwards.isEmpty()) {
            // Nothing to send: an offer of rejected m-lines only would have no BUNDLE group, which
            // max-bundle clients refuse. The stale m-lines carry no packets and are rejected or
            // recycled by the next offer that has tracks.
            return;
        }
        if (subscriber == null) {
            subscriber = engine.newTransport(peerId + "/subscriber", this);
        }
        List<OutgoingTrack> outgoing = new ArrayList<>();
        for (ForwardedTrack ft : forwards.values()) {
            List<Codec> codecs = new ArrayList<>();
            for (Codec c : ft.source.codecs) {
                if (!c.isRtx()) {
                    codecs.add(c);
                }
            }
            outgoing.add(new OutgoingTrack(ft.source.trackId, ft.source.owner.peerId, ft.source.kind, ft.ssrc,
                    ft.rtxSsrc, "streamkit-" + ft.source.owner.peerId, codecs));
        }
        try {
            SubscriberOffer offer = SubscriberOfferer.offer(outgoing, engine.localParameters(subscriber.localIce()),
                    lastOffer, lastAnswer);
            pendingOffer = offer.offer();
            pendingMids = offer.midByTrackId();
        } catch (NegotiationException | IllegalArgumentException e) {
            log.warn("room {} peer {}: cannot write the subscriber offer", roomId, peerId, e);
            signals.sendError(SignalingException.MEDIA_ERROR, "the server could not offer the room's tracks: "
                    + e.getMessage());
            return;
        }
        signals.sendOffer(PcTarget.SUBSCRIBER, pendingOffer.toString());
    }

    private void onSubscriberAnswer(String sdp) {
        if (closed) {
            return;
        }
        if (pendingOffer == null) {
            signals.sendError(SignalingException.INVALID_MESSAGE, "no subscriber offer is waiting for an answer");
            return;
        }
        SubscriberAnswer answer;
        SessionDescription parsed;
        try {
            parsed = SessionDescription.parse(sdp);
            answer = SubscriberOfferer.parseAnswer(pendingOffer, parsed);
            if (answer.remoteSetup() != Setup.ACTIVE) {
                throw new NegotiationException("the subscriber must answer a=setup:active (the server is the DTLS "
                        + "server), got " + answer.remoteSetup());
            }
            subscriber.setRemote(answer.remoteIce().ufrag(), answer.remoteIce().pwd(),
                    answer.remoteFingerprint().algorithm() + " " + answer.remoteFingerprint().value());
        } catch (NegotiationException | IllegalArgumentException e) {
            log.info("room {} peer {}: subscriber answer refused: {}", roomId, peerId, e.getMessage());
            signals.sendError(SignalingException.MEDIA_ERROR, "subscriber answer refused: " + e.getMessage());
            return;
        }
        lastOffer = pendingOffer;
        lastAnswer = parsed;
        Map<String, ForwardedTrack> byMid = new HashMap<>();
        for (Map.Entry<String, String> e : pendingMids.entrySet()) {
            ForwardedTrack ft = forwards.get(e.getKey());
            if (ft != null) {
                byMid.put(e.getValue(), ft);
            }
        }
        pendingOffer = null;
        for (NegotiatedMedia m : answer.media()) {
            ForwardedTrack ft = byMid.get(m.mid());
            if (ft != null) {
                boolean wasActive = ft.active;
                ft.negotiated(m);
                if (ft.active && !wasActive && subscriber.connected() && ft.source.isVideo()) {
                    requestKeyframe(ft.source);
                }
            }
        }
        if (renegotiateAfterAnswer) {
            renegotiateAfterAnswer = false;
            renegotiate();
        }
    }

    // ---------------------------------------------------------------- transports (media loop)

    @Override
    public void onConnected(PeerTransport transport) {
        log.debug("room {} peer {}: {} connected ({})", roomId, peerId, transport, transport.profile());
        if (transport == subscriber) {
            for (ForwardedTrack ft : forwards.values()) {
                if (ft.active && ft.source.isVideo()) {
                    requestKeyframe(ft.source);
                }
            }
        }
    }

    @Override
    public void onFailed(PeerTransport transport, String reason) {
        log.info("room {} peer {}: {} failed: {}", roomId, peerId, transport, reason);
        signals.sendError(SignalingException.MEDIA_ERROR, transport == publisher
                ? "publisher connection failed: " + reason
                : "subscriber connection failed: " + reason);
    }

    @Override
    public void onRtp(PeerTransport transport, ByteBuf buf) {
        if (transport != publisher) {
            engine.counters().unknownSsrc.increment();
            return;
        }
        RtpPacket packet;
        try {
            packet = RtpPacket.parse(buf);
        } catch (RtpException e) {
            engine.counters().rtpErrors.increment();
            engine.counters().rateLimited("room {} peer {}: malformed RTP dropped: {}", roomId, peerId,
                    e.getMessage());
            return;
        }
        counters.packetsIn++;
        counters.bytesIn += packet.length();
        long ssrc = packet.ssrc();
        PublishedTrack track = tracksBySsrc.get(ssrc);
        if (track == null) {
            track = learnSsrc(packet);
            if (track == null) {
                return;
            }
        }
        long now = System.nanoTime();
        if (ssrc == track.rtxSsrc) {
            repairFromRtx(track, packet, now);
            return;
        }
        if (track.nacks != null) {
            track.nacks.onPacket(packet.sequenceNumber(), now);
            long recovered = track.nacks.recoveredCount();
            if (recovered != track.recoveredSeen) {
                engine.counters().packetsRepairedFromPublishers.add(recovered - track.recoveredSeen);
                track.recoveredSeen = recovered;
            }
            int[] due = track.nacks.due(now);
            if (due.length > 0) {
                engine.counters().nacksSentToPublishers.increment();
                sendPublisherRtcp(List.of(GenericNack.of(SFU_SSRC, track.ssrc, due)));
            }
            if (track.nacks.pollKeyframeRequest()) {
                requestKeyframe(track);
            }
        }
        media(track, packet, now);
    }

    /**
     * Turns a publisher's retransmission (RFC 4588: original sequence number first, on the RTX SSRC
     * and payload type) back into the packet it repairs and handles it like one that came in time.
     * Padding-only probes and packets already received are dropped.
     */
    private void repairFromRtx(PublishedTrack track, RtpPacket rtx, long now) {
        int apt = track.associatedPayloadType(rtx.payloadType());
        if (track.nacks == null || track.ssrc < 0 || apt < 0 || rtx.payloadLength() < 3) {
            engine.counters().rtxDropped.increment();
            return;
        }
        ByteBuf in = rtx.buffer();
        int osn = in.getUnsignedShort(rtx.payloadOffset());
        ByteBuf cached = cache.get(track.ssrc, osn, now);
        if (cached != null) {
            cached.release();
            engine.counters().rtxDropped.increment();
            return;
        }
        int header = rtx.payloadOffset() - rtx.offset();
        int body = rtx.payloadLength() - 2;
        ByteBuf out = alloc.buffer(header + body);
        try {
            out.writeBytes(in, rtx.offset(), header);
            out.writeBytes(in, rtx.payloadOffset() + 2, body);
            out.setByte(0, out.getByte(0) & ~0x20); // no padding any more
            out.setByte(1, (out.getByte(1) & 0x80) | apt);
            out.setShort(2, osn);
            out.setInt(8, (int) track.ssrc);
            RtpPacket repaired;
            try {
                repaired = RtpPacket.parse(out);
            } catch (RtpException e) {
                engine.counters().rtxDropped.increment();
                return;
            }
            track.nacks.onPacket(osn, now);
            long recovered = track.nacks.recoveredCount();
            if (recovered != track.recoveredSeen) {
                engine.counters().packetsRepairedFromPublishers.add(recovered - track.recoveredSeen);
                track.recoveredSeen = recovered;
            }
            media(track, repaired, now);
        } finally {
            out.release();
        }
    }

    /** One media packet of a published track, in time or repaired: cache, bridge, forward. */
    private void media(PublishedTrack track, RtpPacket packet, long now) {
        track.packets++;
        track.bytes += packet.length();
        if (track.reception == null) {
            Codec codec = track.codec(packet.payloadType());
            track.reception = new ReceptionStatistics(packet.ssrc(), codec == null ? 90_000 : codec.clockRate());
        }
        track.reception.onPacket(packet.sequenceNumber(), packet.timestamp(), now);
        cache.put(packet, now);
        if (engine.bridge() != null) {
            if (bridge == null) {
                bridge = new ParticipantBridge(this, engine.bridge().kit(), engine.bridge().path(roomId, userId));
            }
            bridge.onRtp(track, packet, now);
        }
        if (track.audioLevelId > 0) {
            RtpHeaderExtensions.AudioLevel level = RtpHeaderExtensions.audioLevel(packet, track.audioLevelId);
            if (level != null && track.speaking.add(level.level())) {
                signals.reportSpeaking(track.speaking.speaking());
            }
        }
        for (int i = 0; i < track.forwards.size(); i++) {
            ForwardedTrack ft = track.forwards.get(i);
            if (ft.active && ft.subscriber.subscriberReady()) {
                ft.subscriber.forward(ft, packet);
            }
        }
    }

    private PublishedTrack learnSsrc(RtpPacket packet) {
        long ssrc = packet.ssrc();
        if (ignoredSsrcs.contains(ssrc)) {
            return null;
        }
        for (PublishedTrack t : tracks.values()) {
            if (t.midId == 0) {
                continue;
            }
            String mid = RtpHeaderExtensions.mid(packet, t.midId);
            if (mid == null || !mid.equals(t.mid)) {
                continue;
            }
            String repaired = t.repairedRidId == 0
                    ? null
                    : RtpHeaderExtensions.repairedRtpStreamId(packet, t.repairedRidId);
            String rid = t.ridId == 0 ? null : RtpHeaderExtensions.rtpStreamId(packet, t.ridId);
            if (repaired != null && t.rtxSsrc < 0 && t.ssrc >= 0 && (t.preferredRid == null || t.preferredRid.equals(
                    repaired))) {
                t.rtxSsrc = ssrc;
                tracksBySsrc.put(ssrc, t);
                return t;
            }
            if (repaired == null && t.ssrc < 0 && (t.preferredRid == null || t.preferredRid.equals(rid))) {
                t.ssrc = ssrc;
                tracksBySsrc.put(ssrc, t);
                log.debug("room {} peer {}: track {} is SSRC {} (rid {})", roomId, peerId, t.mid, ssrc, rid);
                for (ForwardedTrack ft : t.forwards) {
                    if (ft.active && t.isVideo()) {
                        requestKeyframe(t);
                        break;
                    }
                }
                return t;
            }
        }
        if (ignoredSsrcs.size() < 64) {
            ignoredSsrcs.add(ssrc);
        }
        engine.counters().unknownSsrc.increment();
        return null;
    }

    boolean subscriberReady() {
        return subscriber != null && subscriber.connected();
    }

    /** Sends one publisher packet to this subscriber, with its SSRC, payload type and extension ids. */
    void forward(ForwardedTrack ft, RtpPacket packet) {
        int pt = ft.payloadType(packet.payloadType());
        if (pt < 0) {
            return;
        }
        ByteBuf out = packet.copyWithExtensions(alloc, ft::extensionId);
        RtpPacket copy = RtpPacket.parse(out);
        copy.setSsrc(ft.ssrc);
        copy.setPayloadType(pt);
        ft.packets++;
        ft.octets += copy.payloadLength();
        ft.lastRtpTimestamp = copy.timestamp();
        counters.packetsOut++;
        counters.bytesOut += copy.length();
        engine.counters().packetsForwarded.increment();
        subscriber.sendRtp(out);
    }

    @Override
    public void onRtcp(PeerTransport transport, ByteBuf buf) {
        List<RtcpPacket> packets;
        try {
            packets = RtcpCompound.parse(buf, false);
        } catch (RtcpException e) {
            engine.counters().rtcpErrors.increment();
            engine.counters().rateLimited("room {} peer {}: malformed RTCP dropped: {}", roomId, peerId,
                    e.getMessage());
            return;
        }
        if (transport == publisher) {
            for (RtcpPacket p : packets) {
                if (p instanceof SenderReport sr) {
                    relaySenderReport(sr);
                }
            }
        } else if (transport == subscriber) {
            for (RtcpPacket p : packets) {
                subscriberFeedback(p);
            }
        }
    }

    private void relaySenderReport(SenderReport sr) {
        PublishedTrack track = tracksBySsrc.get(sr.ssrc());
        if (track == null || sr.ssrc() == track.rtxSsrc) {
            return;
        }
        if (track.reception != null) {
            track.reception.onSenderReport(sr.senderInfo().ntpTimestamp(), System.nanoTime());
        }
        // Re-stamped with the SFU's clock at arrival: every subscriber's RTT can then be measured
        // from its receiver reports, and audio and video of one publisher stay mapped alike.
        long ntp = NtpTime.fromUnixNanos(System.currentTimeMillis() * 1_000_000L);
        for (ForwardedTrack ft : track.forwards) {
            if (ft.active && ft.subscriber.subscriberReady()) {
                ft.lastSrCompact = NtpTime.compact(ntp);
                ft.lastSrNanos = System.nanoTime();
                ft.subscriber.sendRtcp(List.of(new SenderReport(ft.ssrc, new SenderInfo(ntp, sr.senderInfo()
                        .rtpTimestamp(), ft.packets, ft.octets), List.of())));
            }
        }
    }

    private void subscriberFeedback(RtcpPacket p) {
        if (p instanceof GenericNack nack) {
            ForwardedTrack ft = forwardsBySsrc.get(nack.mediaSsrc());
            if (ft == null) {
                return;
            }
            int[] seqs = nack.sequenceNumbers();
            counters.nacksReceived += seqs.length;
            engine.counters().nacksReceived.add(seqs.length);
            for (int seq : seqs) {
                retransmit(ft, seq);
            }
        } else if (p instanceof PictureLossIndication pli) {
            ForwardedTrack ft = forwardsBySsrc.get(pli.mediaSsrc());
            if (ft != null) {
                counters.keyframeRequestsReceived++;
                requestKeyframe(ft.source);
            }
        } else if (p instanceof FullIntraRequest fir) {
            for (FullIntraRequest.Entry e : fir.entries()) {
                ForwardedTrack ft = forwardsBySsrc.get(e.ssrc());
                if (ft != null) {
                    counters.keyframeRequestsReceived++;
                    requestKeyframe(ft.source);
                }
            }
        } else if (p instanceof ReceiverReport rr) {
            reportBlocks(rr.reportBlocks());
        } else if (p instanceof SenderReport sr) {
            reportBlocks(sr.reportBlocks());
        }
    }

    private void reportBlocks(List<ReportBlock> blocks) {
        for (ReportBlock b : blocks) {
            ForwardedTrack ft = forwardsBySsrc.get(b.ssrc());
            if (ft == null) {
                continue;
            }
            counters.fractionLost = b.fractionLost() / 256.0;
            if (b.lastSenderReport() != 0 && b.lastSenderReport() == ft.lastSrCompact) {
                long sinceSr = System.nanoTime() - ft.lastSrNanos;
                long rtt = sinceSr - NtpTime.compactToNanos(b.delaySinceLastSenderReport());
                if (rtt >= 0) {
                    counters.rttNanos = rtt;
                }
            }
        }
    }

    private void retransmit(ForwardedTrack ft, int sequenceNumber) {
        if (ft.rtxSsrc < 0 || !ft.active || !subscriberReady()) {
            counters.nacksUnanswered++;
            return;
        }
        ByteBuf original = ft.source.owner.cache.get(ft.source.ssrc, sequenceNumber, System.nanoTime());
        if (original == null) {
            counters.nacksUnanswered++;
            return;
        }
        try {
            RtpPacket o = RtpPacket.parse(original);
            int pt = ft.payloadType(o.payloadType());
            int rtxPt = pt < 0 ? -1 : ft.rtxPayloadType(pt);
            if (rtxPt < 0) {
                counters.nacksUnanswered++;
                return;
            }
            ByteBuf header = o.copyWithExtensions(alloc, ft::extensionId);
            try {
                RtpPacket h = RtpPacket.parse(header);
                int headerLength = h.headerLength();
                ByteBuf out = alloc.buffer(headerLength + 2 + o.payloadLength() + 32);
                out.writeBytes(header, header.readerIndex(), headerLength);
                out.writeShort(sequenceNumber);
                out.writeBytes(o.buffer(), o.payloadOffset(), o.payloadLength());
                out.setByte(0, out.getByte(0) & ~0x20); // no padding in the repair packet
                RtpPacket rtx = RtpPacket.parse(out);
                rtx.setSsrc(ft.rtxSsrc);
                rtx.setPayloadType(rtxPt);
                rtx.setSequenceNumber(ft.rtxSequence);
                ft.rtxSequence = (ft.rtxSequence + 1) & 0xFFFF;
                ft.retransmissions++;
                counters.retransmissions++;
                engine.counters().retransmissions.increment();
                subscriber.sendRtp(out);
            } finally {
                header.release();
            }
        } catch (RtpException e) {
            counters.nacksUnanswered++;
        } finally {
            original.release();
        }
    }

    /** Asks the track's publisher for a keyframe, at most twice a second. */
    void requestKeyframe(PublishedTrack track) {
        if (track.ssrc < 0 || !track.isVideo() || track.owner.publisher == null || !track.owner.publisher
                .connected()) {
            return;
        }
        if (!track.keyframeThrottle.tryAcquire(track.ssrc, System.nanoTime())) {
            return;
        }
        track.owner.counters.keyframeRequestsSent++;
        engine.counters().keyframeRequestsSent.increment();
        track.owner.sendPublisherRtcp(List.of(new PictureLossIndication(SFU_SSRC, track.ssrc)));
    }

    private void sendPublisherRtcp(List<RtcpPacket> packets) {
        if (publisher != null) {
            publisher.sendRtcp(rtcp(packets));
        }
    }

    private void sendRtcp(List<RtcpPacket> packets) {
        if (subscriber != null) {
            subscriber.sendRtcp(rtcp(packets));
        }
    }

    private ByteBuf rtcp(List<RtcpPacket> packets) {
        ByteBuf out = alloc.buffer(RtcpCompound.encodedLength(packets) + 32);
        RtcpCompound.write(packets, out);
        return out;
    }

    /** Once a second: receiver reports to the publisher, consent freshness and cache upkeep. */
    void tick(long nowNanos) {
        cache.evictExpired(nowNanos);
        counters.tick(nowNanos);
        if (publisher != null && publisher.connected()) {
            List<ReportBlock> blocks = new ArrayList<>();
            for (PublishedTrack t : tracks.values()) {
                if (t.reception != null && blocks.size() < 31) {
                    blocks.add(t.reception.reportBlock(nowNanos));
                }
            }
            if (!blocks.isEmpty()) {
                sendPublisherRtcp(List.of(new ReceiverReport(SFU_SSRC, blocks)));
            }
        }
        if (publisher != null && publisher.connected() && publisher.consentExpired(nowNanos)) {
            onFailed(publisher, "ICE consent expired (no connectivity check for 30 s)");
            publisher.close();
            publisher = null;
            for (PublishedTrack t : new ArrayList<>(tracks.values())) {
                removeTrack(t);
            }
        }
        if (subscriber != null && subscriber.connected() && subscriber.consentExpired(nowNanos)) {
            onFailed(subscriber, "ICE consent expired (no connectivity check for 30 s)");
        }
    }

    List<PublishedTrack> tracks() {
        return List.copyOf(tracks.values());
    }

    PeerStats stats() {
        return new PeerStats(peerId, userId, roomId, tracks.size(), forwards.size(), counters.packetsIn,
                counters.bytesIn, counters.bitrateIn, counters.packetsOut, counters.bytesOut, counters.bitrateOut,
                counters.nacksReceived, counters.retransmissions, counters.nacksUnanswered,
                counters.keyframeRequestsReceived, counters.keyframeRequestsSent,
                counters.rttNanos < 0 ? -1 : counters.rttNanos / 1e6, counters.fractionLost,
                publisher != null && publisher.connected(), subscriber != null && subscriber.connected());
    }

    /** Closes at once; call on the media loop. */
    void closeNow() {
        onClose();
    }

    private void onClose() {
        if (closed) {
            return;
        }
        closed = true;
        for (PublishedTrack t : new ArrayList<>(tracks.values())) {
            removeTrack(t);
        }
        for (ForwardedTrack ft : forwards.values()) {
            ft.active = false;
            ft.source.forwards.remove(ft);
        }
        forwards.clear();
        forwardsBySsrc.clear();
        if (publisher != null) {
            publisher.close();
        }
        if (subscriber != null) {
            subscriber.close();
        }
        cache.close();
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
        engine.peerLeft(this);
    }

    /** Per-participant counters, updated on the media loop. */
    static final class PeerCounters {
        long packetsIn;
        long bytesIn;
        long packetsOut;
        long bytesOut;
        long nacksReceived;
        long retransmissions;
        long nacksUnanswered;
        long keyframeRequestsReceived;
        long keyframeRequestsSent;
        long rttNanos = -1;
        double fractionLost;
        long bitrateIn;
        long bitrateOut;
        private long lastTick;
        private long lastBytesIn;
        private long lastBytesOut;

        void tick(long now) {
            if (lastTick != 0) {
                double seconds = (now - lastTick) / 1e9;
                if (seconds > 0) {
                    bitrateIn = (long) ((bytesIn - lastBytesIn) * 8 / seconds);
                    bitrateOut = (long) ((bytesOut - lastBytesOut) * 8 / seconds);
                }
            }
            lastTick = now;
            lastBytesIn = bytesIn;
            lastBytesOut = bytesOut;
        }
    }
}
