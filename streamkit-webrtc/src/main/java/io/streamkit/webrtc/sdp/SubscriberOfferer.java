package io.streamkit.webrtc.sdp;

import io.streamkit.api.NegotiationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the offers of a subscriber PeerConnection (the SFU sends, the browser receives) and reads
 * the browser's answers, following JSEP (<a href="https://www.rfc-editor.org/rfc/rfc8829#section-5.2">RFC
 * 8829 section 5.2</a>).
 *
 * <p>Each forwarded track gets one {@code sendonly} m-line with {@code a=msid}, its SSRC and RTX
 * SSRC ({@code a=ssrc-group:FID}, <a href="https://www.rfc-editor.org/rfc/rfc5576">RFC 5576</a>),
 * the codecs with the SFU's payload types, {@code a=setup:actpass}, ICE-lite credentials and the
 * host candidate. Renegotiation never removes or reorders m-lines: a track keeps its mid; the
 * m-line of a removed track is offered with port 0 and {@code a=inactive}; an m-line that had port 0
 * in the previous offer or answer is recycled for a new track of the same kind, with a new mid (RFC
 * 8829 section 5.2.2; keeping the kind per index is what Chromium checks most strictly). The {@code o=} version increases with each offer.
 */
public final class SubscriberOfferer {

    private SubscriberOfferer() {
    }

    /**
     * Writes an offer for the given tracks.
     *
     * @param tracks the tracks to send, in the order new m-lines are added
     * @param local the SFU's transport parameters and media policy
     * @param previousOffer the last offer on this PeerConnection, or {@code null} for the first
     * @param previousAnswer the answer to {@code previousOffer}, or {@code null}
     * @return the offer and the mid of each track
     * @throws NegotiationException when two tracks share a track id, or the previous answer does not
     *     match the previous offer
     */
    public static SubscriberOffer offer(List<OutgoingTrack> tracks, LocalParameters local,
            SessionDescription previousOffer, SessionDescription previousAnswer) {
        Set<String> ids = new HashSet<>();
        for (OutgoingTrack t : tracks) {
            if (!ids.add(t.trackId())) {
                throw new NegotiationException("track id " + Sdp.quote(t.trackId()) + " is offered twice");
            }
        }
        List<MediaDescription> previous = previousOffer == null ? List.of() : previousOffer.media();
        if (previousAnswer != null && previousAnswer.media().size() != previous.size()) {
            throw new NegotiationException("the previous answer has " + previousAnswer.media().size()
                    + " m-lines but the previous offer has " + previous.size());
        }
        int slots = previous.size();
        OutgoingTrack[] assigned = new OutgoingTrack[slots];
        boolean[] recyclable = new boolean[slots];
        Set<String> usedMids = new HashSet<>();
        int nextMid = 0;
        for (int i = 0; i < slots; i++) {
            MediaDescription m = previous.get(i);
            String mid = m.mid().orElse(null);
            if (mid != null) {
                usedMids.add(mid);
                if (Sdp.isDigits(mid, 9)) {
                    nextMid = Math.max(nextMid, Integer.parseInt(mid) + 1);
                }
            }
            boolean answerRejected = previousAnswer != null && previousAnswer.media().get(i).isRejected();
            recyclable[i] = m.isRejected() || answerRejected;
        }
        // tracks keep their m-line
        List<OutgoingTrack> unplaced = new ArrayList<>();
        for (OutgoingTrack t : tracks) {
            int slot = -1;
            for (int i = 0; i < slots && slot < 0; i++) {
                MediaDescription m = previous.get(i);
                if (!recyclable[i] && assigned[i] == null && m.media().equals(t.kind())
                        && m.msid().map(Msid::trackId).filter(t.trackId()::equals).isPresent()) {
                    slot = i;
                }
            }
            if (slot >= 0) {
                assigned[slot] = t;
            } else {
                unplaced.add(t);
            }
        }
        List<MediaDescription> media = new ArrayList<>();
        Map<String, String> mids = new LinkedHashMap<>();
        List<String> bundle = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            MediaDescription m = previous.get(i);
            OutgoingTrack t = assigned[i];
            String mid = m.mid().orElseThrow(() -> new NegotiationException("the previous offer has an m-line"
                    + " without a=mid"));
            if (t == null && recyclable[i]) {
                t = takeOfKind(unplaced, m.media());
            }
            if (t != null && assigned[i] == null) {
                while (usedMids.contains(String.valueOf(nextMid))) {
                    nextMid++;
                }
                mid = String.valueOf(nextMid++);
                usedMids.add(mid);
            }
            if (t == null) {
                media.add(m.isRejected() ? m : removedMedia(m, mid));
            } else {
                media.add(trackMedia(t, mid, local));
                mids.put(t.trackId(), mid);
                bundle.add(mid);
            }
        }
        for (OutgoingTrack t : unplaced) {
            while (usedMids.contains(String.valueOf(nextMid))) {
                nextMid++;
            }
            String mid = String.valueOf(nextMid++);
            usedMids.add(mid);
            media.add(trackMedia(t, mid, local));
            mids.put(t.trackId(), mid);
            bundle.add(mid);
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (OutgoingTrack t : tracks) {
            ordered.put(t.trackId(), mids.get(t.trackId()));
        }
        Origin origin = previousOffer != null ? previousOffer.origin().nextVersion() : LocalParameters.newOrigin();
        SessionDescription.Builder sb = SessionDescription.builder(origin).attribute("ice-lite");
        if (!bundle.isEmpty()) {
            sb.attribute("group", new Group(Group.BUNDLE, bundle));
        }
        sb.attribute("msid-semantic", " WMS *");
        sb.setMedia(media);
        return new SubscriberOffer(sb.build(), ordered);
    }

    /** Removes and returns the first unplaced track of this kind, or null. */
    private static OutgoingTrack takeOfKind(List<OutgoingTrack> unplaced, String kind) {
        for (int i = 0; i < unplaced.size(); i++) {
            if (unplaced.get(i).kind().equals(kind)) {
                return unplaced.remove(i);
            }
        }
        return null;
    }

    private static MediaDescription trackMedia(OutgoingTrack t, String mid, LocalParameters local) {
        MediaDescription.Builder b = MediaDescription.builder(t.kind(), local.port(), "UDP/TLS/RTP/SAVPF")
                .connection(local.connection());
        local.appendIceAndDtls(b, Setup.ACTPASS);
        b.attribute("mid", mid);
        for (Extmap e : HeaderExtensions.forOffer(t.kind(), local.policy())) {
            b.attribute("extmap", e);
        }
        b.attribute(Direction.SENDONLY.attributeName());
        Msid msid = new Msid(t.streamId(), t.trackId());
        b.attribute("msid", msid);
        b.attribute("rtcp-mux");
        b.attribute("rtcp-rsize");
        b.codecs(t.codecs());
        if (t.rtxSsrc() >= 0) {
            b.attribute("ssrc-group", new SsrcGroup("FID", List.of(t.ssrc(), t.rtxSsrc())));
        }
        b.attribute("ssrc", new SsrcAttribute(t.ssrc(), "cname", t.cname()));
        b.attribute("ssrc", new SsrcAttribute(t.ssrc(), "msid", msid.toString()));
        if (t.rtxSsrc() >= 0) {
            b.attribute("ssrc", new SsrcAttribute(t.rtxSsrc(), "cname", t.cname()));
            b.attribute("ssrc", new SsrcAttribute(t.rtxSsrc(), "msid", msid.toString()));
        }
        local.appendCandidates(b);
        return b.build();
    }

    /** The m-line of a removed track: port 0, inactive, mid and codecs kept, sources dropped. */
    private static MediaDescription removedMedia(MediaDescription m, String mid) {
        MediaDescription.Builder b = MediaDescription.builder(m.media(), 0, m.proto()).formats(m.formats())
                .connection(new Connection("IN", "IP4", "0.0.0.0"))
                .attribute("mid", mid)
                .attribute(Direction.INACTIVE.attributeName())
                .attribute("rtcp-mux");
        for (Attribute a : m.attributes()) {
            if (a.is("rtpmap") || a.is("fmtp") || a.is("rtcp-fb")) {
                b.attribute(a);
            }
        }
        return b.build();
    }

    /**
     * Reads a subscriber's answer to an offer of this class.
     *
     * @param offer the offer that was sent
     * @param answer the browser's answer
     * @return what the answer accepted
     * @throws NegotiationException when the answer does not match the offer (m-line count, mids,
     *     payload types that were not offered), or lacks ICE credentials, fingerprint or a valid
     *     DTLS role
     */
    public static SubscriberAnswer parseAnswer(SessionDescription offer, SessionDescription answer) {
        if (answer.media().size() != offer.media().size()) {
            throw new NegotiationException("the answer has " + answer.media().size() + " m-lines but the offer has "
                    + offer.media().size());
        }
        List<NegotiatedMedia> accepted = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        IceParameters ice = null;
        Fingerprint fingerprint = null;
        Setup setup = null;
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription o = offer.media().get(i);
            MediaDescription a = answer.media().get(i);
            String mid = o.mid().orElseThrow(() -> new NegotiationException("offered m-line has no a=mid"));
            if (a.mid().isPresent() && !a.mid().get().equals(mid)) {
                throw new NegotiationException("answer m-line " + i + " has mid " + Sdp.quote(a.mid().get())
                        + " but the offer has " + Sdp.quote(mid));
            }
            if (!a.media().equals(o.media())) {
                throw new NegotiationException("answer m-line " + i + " is " + a.media() + " but the offer is "
                        + o.media());
            }
            if (o.isRejected() || a.isRejected()) {
                rejected.add(mid);
                continue;
            }
            if (ice == null) {
                ice = answer.iceParameters(a).orElseThrow(() -> new NegotiationException(
                        "answer m-line mid " + mid + " has no a=ice-ufrag/a=ice-pwd"));
                fingerprint = answer.fingerprint(a).orElseThrow(() -> new NegotiationException(
                        "answer m-line mid " + mid + " has no a=fingerprint"));
                setup = answer.setup(a).orElse(Setup.ACTIVE);
                if (setup != Setup.ACTIVE && setup != Setup.PASSIVE) {
                    throw new NegotiationException("answer has a=setup:" + setup.value()
                            + "; an answer must be active or passive");
                }
            }
            Set<Integer> offeredPts = new HashSet<>();
            for (Codec c : o.codecs()) {
                offeredPts.add(c.payloadType());
            }
            List<Codec> codecs = new ArrayList<>();
            for (Codec c : a.codecs()) {
                if (!offeredPts.contains(c.payloadType())) {
                    throw new NegotiationException("answer m-line mid " + mid + " uses payload type "
                            + c.payloadType() + " which was not offered");
                }
                if (!c.isRtx()) {
                    codecs.add(c);
                }
            }
            accepted.add(new NegotiatedMedia(i, mid, a.media(), answer.direction(a), codecs, a.extmaps(), List.of(),
                    a.ssrcs(), a.ssrcGroups(), a.msid().orElse(null), null));
        }
        if (ice == null) {
            // nothing accepted: credentials are still useful if present on any m-line
            for (MediaDescription a : answer.media()) {
                ice = answer.iceParameters(a).orElse(null);
                fingerprint = answer.fingerprint(a).orElse(null);
                if (ice != null) {
                    break;
                }
            }
        }
        return new SubscriberAnswer(accepted, rejected, ice, fingerprint, setup);
    }
}
