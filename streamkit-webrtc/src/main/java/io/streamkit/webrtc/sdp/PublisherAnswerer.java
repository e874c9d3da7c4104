package io.streamkit.webrtc.sdp;

import io.streamkit.api.NegotiationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the offer of a publisher PeerConnection (the browser sends, the SFU receives), following
 * JSEP (<a href="https://www.rfc-editor.org/rfc/rfc8829#section-5.3">RFC 8829 section 5.3</a>) for
 * an ICE-lite, BUNDLE-only, rtcp-mux-only server.
 *
 * <p>The answer has {@code a=ice-lite}, one m-line per offered m-line in the same order with the same
 * mid, and {@code a=group:BUNDLE} with the accepted mids. Each accepted m-line is {@code recvonly}
 * (or {@code inactive} when the offerer does not send), {@code a=setup:passive}, lists the offered
 * codecs the {@link MediaPolicy} accepts in the offer's order (H.264 formats reordered so that the
 * preferred profile comes first among them) with the offer's payload types and their RTX, only the
 * kept feedback and header extensions with the offer's ids, and answers simulcast
 * ({@code a=rid:X recv}, {@code a=simulcast:recv}, <a href="https://www.rfc-editor.org/rfc/rfc8853">RFC
 * 8853</a>). M-lines that are not in the BUNDLE group, lack rtcp-mux, have no accepted codec, or carry
 * data channels (unless the policy accepts them) are rejected with port 0.
 */
public final class PublisherAnswerer {
    private static final Logger log = LoggerFactory.getLogger(PublisherAnswerer.class);

    private PublisherAnswerer() {
    }

    /**
     * Answers a publisher's offer.
     *
     * @param offer the browser's offer
     * @param local the SFU's transport parameters and media policy
     * @param previousAnswer the previous answer on this PeerConnection (its session id is kept and
     *     its version incremented), or {@code null} for the first negotiation
     * @return the answer and the negotiated media
     * @throws NegotiationException when the offer cannot be answered at all (no mid, duplicate
     *     mids, no ICE credentials or fingerprint, a DTLS role other than actpass/active)
     */
    public static PublisherNegotiation answer(SessionDescription offer, LocalParameters local,
            SessionDescription previousAnswer) {
        Set<String> mids = new HashSet<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            String mid = m.mid().orElseThrow(() -> new NegotiationException(
                    "offer m-line " + m.media() + " has no a=mid; StreamKit requires unified-plan offers with mids"));
            if (!mids.add(mid)) {
                throw new NegotiationException("offer uses mid " + Sdp.quote(mid) + " twice");
            }
        }
        Optional<Group> bundle = offer.bundleGroup();
        Set<String> bundled = new HashSet<>(bundle.map(Group::mids).orElse(List.of()));
        if (bundle.isEmpty() && offer.media().size() == 1) {
            bundled.add(offer.media().get(0).mid().orElseThrow());
        }

        Origin origin = previousAnswer != null ? previousAnswer.origin().nextVersion() : LocalParameters.newOrigin();
        List<MediaDescription> answerMedia = new ArrayList<>();
        List<NegotiatedMedia> negotiated = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        List<String> acceptedMids = new ArrayList<>();
        IceParameters remoteIce = null;
        Fingerprint remoteFingerprint = null;
        MediaPolicy policy = local.policy();

        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            String mid = m.mid().orElseThrow();
            String why = rejection(offer, m, bundled, policy);
            List<Codec> codecs = List.of();
            if (why == null && !m.media().equals("application")) {
                codecs = selectCodecs(m, policy);
                if (codecs.isEmpty()) {
                    why = "no offered codec is supported";
                }
            }
            if (why != null) {
                log.debug("rejecting offered m-line {} (mid {}): {}", i, mid, why);
                answerMedia.add(rejectedMedia(m, mid));
                rejected.add(mid);
                continue;
            }
            if (remoteIce == null) {
                remoteIce = offer.iceParameters(m).orElseThrow(() -> new NegotiationException(
                        "offer m-line mid " + mid + " has no a=ice-ufrag/a=ice-pwd"));
                remoteFingerprint = offer.fingerprint(m).orElseThrow(() -> new NegotiationException(
                        "offer m-line mid " + mid + " has no a=fingerprint"));
                Setup setup = offer.setup(m).orElse(Setup.ACTPASS);
                if (setup != Setup.ACTPASS && setup != Setup.ACTIVE) {
                    throw new NegotiationException("offer has a=setup:" + setup.value()
                            + "; the SFU is always the DTLS server and needs actpass or active");
                }
            }
            acceptedMids.add(mid);
            if (m.media().equals("application")) {
                answerMedia.add(dataChannelMedia(m, mid, local));
                continue;
            }
            MediaAnswer a = acceptedMedia(offer, m, mid, codecs, local);
            answerMedia.add(a.description);
            negotiated.add(new NegotiatedMedia(i, mid, m.media(), offer.direction(m), codecs, a.extensions, a.rids,
                    m.ssrcs(), m.ssrcGroups(), m.msid().orElse(null), cname(m)));
        }

        List<String> groupMids = new ArrayList<>();
        for (String mid : bundle.map(Group::mids).orElse(acceptedMids)) {
            if (acceptedMids.contains(mid)) {
                groupMids.add(mid);
            }
        }
        for (String mid : acceptedMids) {
            if (!groupMids.contains(mid)) {
                groupMids.add(mid);
            }
        }
        SessionDescription.Builder sb = SessionDescription.builder(origin).attribute("ice-lite");
        if (!groupMids.isEmpty()) {
            sb.attribute("group", new Group(Group.BUNDLE, groupMids));
        }
        if (offer.hasAttribute("extmap-allow-mixed")) {
            sb.attribute("extmap-allow-mixed");
        }
        sb.setMedia(answerMedia);
        return new PublisherNegotiation(sb.build(), negotiated, rejected, remoteIce, remoteFingerprint);
    }

    private static String rejection(SessionDescription offer, MediaDescription m, Set<String> bundled,
            MediaPolicy policy) {
        if (m.isRejected()) {
            return "the offer has port 0";
        }
        if (!bundled.contains(m.mid().orElseThrow())) {
            return "not in the offer's BUNDLE group";
        }
        if (m.media().equals("application")) {
            if (!policy.acceptDataChannels()) {
                return "data channels are not accepted";
            }
            return m.proto().endsWith("SCTP") ? null : "application m-line is not SCTP";
        }
        if (!m.media().equals("audio") && !m.media().equals("video")) {
            return "media type " + m.media() + " is not supported";
        }
        if (!m.proto().contains("RTP/SAVPF") && !m.proto().contains("RTP/SAVP")) {
            return "protocol " + m.proto() + " is not SRTP";
        }
        if (!m.rtcpMux()) {
            return "no a=rtcp-mux";
        }
        return null;
    }

    /** The offered primary codecs the policy accepts, in offer order, H.264 slots ranked. */
    static List<Codec> selectCodecs(MediaDescription m, MediaPolicy policy) {
        List<Codec> chosen = new ArrayList<>();
        for (Codec c : m.codecs()) {
            if (!c.isRtx() && policy.accepts(m.media(), c)) {
                chosen.add(c);
            }
        }
        // rank H.264 formats among their own slots
        List<Integer> slots = new ArrayList<>();
        List<Codec> h264 = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            if (chosen.get(i).isNamed("H264")) {
                slots.add(i);
                h264.add(chosen.get(i));
            }
        }
        h264.sort((a, b) -> Integer.compare(policy.h264Rank(a), policy.h264Rank(b)));
        for (int i = 0; i < slots.size(); i++) {
            chosen.set(slots.get(i), h264.get(i));
        }
        if (policy.maxCodecsPerMedia() > 0 && chosen.size() > policy.maxCodecsPerMedia()) {
            chosen = new ArrayList<>(chosen.subList(0, policy.maxCodecsPerMedia()));
        }
        List<Codec> out = new ArrayList<>();
        for (Codec c : chosen) {
            List<RtcpFeedback> fb = c.feedback().stream().filter(policy::keepsFeedback).toList();
            Codec a = c.withFeedback(fb);
            if (a.isNamed("opus")) {
                a = a.withParameters(orderedOpusParameters());
            }
            if (!policy.rtx()) {
                a = a.withRtx(null);
            }
            out.add(a);
        }
        return out;
    }

    private static java.util.Map<String, String> orderedOpusParameters() {
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("minptime", "10");
        p.put("useinbandfec", "1");
        return p;
    }

    private record MediaAnswer(MediaDescription description, List<Extmap> extensions, List<String> rids) {
    }

    private static MediaAnswer acceptedMedia(SessionDescription offer, MediaDescription m, String mid,
            List<Codec> codecs, LocalParameters local) {
        MediaPolicy policy = local.policy();
        MediaDescription.Builder b = MediaDescription.builder(m.media(), local.port(), m.proto())
                .connection(local.connection());
        local.appendIceAndDtls(b, Setup.PASSIVE);
        b.attribute("mid", mid);
        List<Extmap> extensions = new ArrayList<>();
        for (Extmap e : m.extmaps()) {
            boolean offererSends = e.direction() == null || e.direction().sends();
            if (offererSends && policy.keepsExtension(e.uri())) {
                Extmap kept = Extmap.of(e.id(), e.uri());
                extensions.add(kept);
                b.attribute("extmap", kept);
            }
        }
        Direction offered = offer.direction(m);
        b.attribute(offered.sends() ? Direction.RECVONLY.attributeName() : Direction.INACTIVE.attributeName());
        b.attribute("rtcp-mux");
        if (m.hasAttribute("rtcp-rsize")) {
            b.attribute("rtcp-rsize");
        }
        b.codecs(codecs);
        List<String> rids = new ArrayList<>();
        Optional<Simulcast> simulcast = m.simulcast();
        boolean ridExtension = extensions.stream().anyMatch(e -> e.uri().equals(HeaderExtensions.RTP_STREAM_ID));
        if (simulcast.isPresent() && !simulcast.get().send().isEmpty() && ridExtension && offered.sends()) {
            Set<String> declared = new HashSet<>();
            for (Rid r : m.rids()) {
                if (r.direction() == Rid.RidDirection.SEND) {
                    declared.add(r.id());
                }
            }
            List<List<Simulcast.SimulcastRid>> recv = new ArrayList<>();
            for (List<Simulcast.SimulcastRid> alternatives : simulcast.get().send()) {
                List<Simulcast.SimulcastRid> kept = alternatives.stream()
                        .filter(r -> declared.contains(r.rid())).toList();
                if (!kept.isEmpty()) {
                    recv.add(kept);
                }
            }
            for (List<Simulcast.SimulcastRid> alternatives : recv) {
                for (Simulcast.SimulcastRid r : alternatives) {
                    b.attribute("rid", Rid.of(r.rid(), Rid.RidDirection.RECV));
                }
                rids.add(alternatives.get(0).rid());
            }
            if (!recv.isEmpty()) {
                b.attribute("simulcast", new Simulcast(List.of(), recv));
            }
        }
        local.appendCandidates(b);
        return new MediaAnswer(b.build(), extensions, rids);
    }

    private static MediaDescription dataChannelMedia(MediaDescription m, String mid, LocalParameters local) {
        MediaDescription.Builder b = MediaDescription.builder(m.media(), local.port(), m.proto())
                .formats(m.formats()).connection(local.connection());
        local.appendIceAndDtls(b, Setup.PASSIVE);
        b.attribute("mid", mid);
        m.attribute("sctp-port").ifPresent(v -> b.attribute("sctp-port", v));
        m.attribute("max-message-size").ifPresent(v -> b.attribute("max-message-size", v));
        local.appendCandidates(b);
        return b.build();
    }

    /** A rejected m-line: port 0, the offer's protocol and first format, the mid (RFC 8829 5.3.1). */
    static MediaDescription rejectedMedia(MediaDescription m, String mid) {
        MediaDescription.Builder b = MediaDescription.builder(m.media(), 0, m.proto())
                .formats(List.of(m.formats().get(0)))
                .connection(new Connection("IN", "IP4", "0.0.0.0"))
                .attribute("mid", mid);
        if (!m.media().equals("application")) {
            b.attribute(Direction.INACTIVE.attributeName());
        }
        return b.build();
    }

    private static String cname(MediaDescription m) {
        for (SsrcAttribute s : m.ssrcAttributes()) {
            if (s.attribute().equals("cname")) {
                return s.value();
            }
        }
        return null;
    }
}
