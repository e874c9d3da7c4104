package io.streamkit.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.NegotiationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The SFU's offers on subscriber PeerConnections, renegotiation, and reading the answers. */
class SubscriberOffererTest {

    static final List<RtcpFeedback> VIDEO_FB = List.of(RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI);

    static OutgoingTrack audio(String id, long ssrc) {
        Codec opus = Codec.of(111, "opus", 48000, 2).withParameters(Map.of("minptime", "10"));
        return new OutgoingTrack(id, "peer-" + id, "audio", ssrc, -1, "cname-" + id, List.of(opus));
    }

    static OutgoingTrack video(String id, long ssrc) {
        Codec vp8 = Codec.of(96, "VP8", 90000, 0).withFeedback(VIDEO_FB).withRtx(97);
        return new OutgoingTrack(id, "peer-" + id, "video", ssrc, ssrc + 1, "cname-" + id, List.of(vp8));
    }

    /** A Chromium-like answer: same m-lines, recvonly, active, the offered codecs and extensions. */
    static SessionDescription browserAnswer(SessionDescription offer) {
        SessionDescription.Builder b = SessionDescription.builder(
                new Origin("-", "4611731400430051336", 2, "IN", "IP4", "127.0.0.1"));
        List<String> bundle = new ArrayList<>();
        for (MediaDescription o : offer.media()) {
            String mid = o.mid().orElseThrow();
            if (o.isRejected()) {
                b.media(MediaDescription.builder(o.media(), 0, o.proto()).formats(o.formats())
                        .connection(new Connection("IN", "IP4", "0.0.0.0")).attribute("mid", mid).build());
                continue;
            }
            bundle.add(mid);
            MediaDescription.Builder m = MediaDescription.builder(o.media(), 9, o.proto())
                    .connection(new Connection("IN", "IP4", "0.0.0.0"))
                    .attribute("rtcp", "9 IN IP4 0.0.0.0")
                    .attribute("ice-ufrag", "Gh7p")
                    .attribute("ice-pwd", "zP1cXr8kQ3mW6tV0bN4yL2sD")
                    .attribute("ice-options", "trickle")
                    .attribute("fingerprint", "sha-256 " + "AB:".repeat(31) + "AB")
                    .attribute("setup", "active")
                    .attribute("mid", mid);
            for (Extmap e : o.extmaps()) {
                m.attribute("extmap", e);
            }
            m.attribute("recvonly").attribute("rtcp-mux").attribute("rtcp-rsize");
            m.codecs(o.codecs().stream().filter(c -> !c.isRtx()).toList());
            b.media(m.build());
        }
        b.attribute("group", new Group(Group.BUNDLE, bundle)).attribute("extmap-allow-mixed")
                .attribute("msid-semantic", " WMS");
        return b.build();
    }

    @Test
    void firstOfferHasOneSendonlyMlinePerTrack() {
        SubscriberOffer so = SubscriberOfferer.offer(List.of(audio("a1", 1111), video("v1", 2222)),
                Fixtures.local(), null, null);
        SessionDescription offer = so.offer();
        assertEquals(offer, SessionDescription.parse(offer.toString()));
        assertEquals(Map.of("a1", "0", "v1", "1"), so.midByTrackId());
        assertTrue(offer.iceLite());
        assertEquals(List.of("0", "1"), offer.bundleGroup().orElseThrow().mids());
        MediaDescription v = offer.media().get(1);
        assertEquals(Direction.SENDONLY, v.direction());
        assertEquals(Setup.ACTPASS, offer.setup(v).orElseThrow());
        assertEquals(new Msid("peer-v1", "v1"), v.msid().orElseThrow());
        assertEquals(List.of(new SsrcGroup("FID", List.of(2222L, 2223L))), v.ssrcGroups());
        assertEquals(List.of(2222L, 2223L), v.ssrcs());
        assertTrue(v.ssrcAttributes().contains(new SsrcAttribute(2222, "cname", "cname-v1")));
        assertEquals(List.of("96", "97"), v.formats());
        assertEquals(OptionalInt.of(97), v.codecs().get(0).rtxPayloadType());
        assertEquals(VIDEO_FB, v.codecs().get(0).feedback());
        assertEquals(OptionalInt.of(HeaderExtensions.MID_ID), v.extmapId(HeaderExtensions.MID));
        assertTrue(v.extmapId(HeaderExtensions.AUDIO_LEVEL).isEmpty());
        MediaDescription a = offer.media().get(0);
        assertEquals(OptionalInt.of(HeaderExtensions.AUDIO_LEVEL_ID), a.extmapId(HeaderExtensions.AUDIO_LEVEL));
        assertTrue(a.ssrcGroups().isEmpty());
        assertEquals("2130706431", String.valueOf(a.candidates().get(0).priority()));
        assertEquals(40000, a.port());
    }

    @Test
    void renegotiationKeepsMidsOrderAndRecyclesOnlyAfterAnAnswer() {
        LocalParameters local = Fixtures.local();
        SubscriberOffer first = SubscriberOfferer.offer(List.of(audio("a1", 1), video("v1", 10)), local, null, null);
        SessionDescription answer1 = browserAnswer(first.offer());

        // a1 leaves, v2 arrives: a1's m-line becomes inactive with port 0 and cannot be reused yet
        SubscriberOffer second = SubscriberOfferer.offer(List.of(video("v1", 10), video("v2", 20)), local,
                first.offer(), answer1);
        SessionDescription o2 = second.offer();
        assertEquals(3, o2.media().size());
        assertEquals(List.of("0", "1", "2"), o2.media().stream().map(m -> m.mid().orElseThrow()).toList());
        MediaDescription removed = o2.media().get(0);
        assertEquals(0, removed.port());
        assertEquals(Direction.INACTIVE, removed.direction());
        assertTrue(removed.ssrcs().isEmpty());
        assertFalse(removed.msid().isPresent());
        assertEquals("1", second.midByTrackId().get("v1"));
        assertEquals("2", second.midByTrackId().get("v2"));
        assertEquals(List.of("1", "2"), o2.bundleGroup().orElseThrow().mids());
        assertEquals(first.offer().origin().sessionId(), o2.origin().sessionId());
        assertEquals(first.offer().origin().sessionVersion() + 1, o2.origin().sessionVersion());
        assertEquals(o2, SessionDescription.parse(o2.toString()));
        SessionDescription answer2 = browserAnswer(o2);
        SubscriberAnswer sa2 = SubscriberOfferer.parseAnswer(o2, answer2);
        assertEquals(List.of("0"), sa2.rejectedMids());

        // a3 arrives: slot 0 was rejected in the current descriptions, so it is recycled with a new mid
        SubscriberOffer third = SubscriberOfferer.offer(List.of(video("v1", 10), video("v2", 20), audio("a3", 30)),
                local, o2, answer2);
        SessionDescription o3 = third.offer();
        assertEquals(3, o3.media().size());
        assertEquals("3", third.midByTrackId().get("a3"));
        assertEquals("3", o3.media().get(0).mid().orElseThrow());
        assertEquals("audio", o3.media().get(0).media());
        assertNotEquals(0, o3.media().get(0).port());
        assertEquals(List.of("3", "1", "2"), o3.bundleGroup().orElseThrow().mids());
        assertEquals(first.offer().origin().sessionVersion() + 2, o3.origin().sessionVersion());

        // the same tracks again: nothing moves
        SubscriberOffer fourth = SubscriberOfferer.offer(List.of(audio("a3", 30), video("v2", 20), video("v1", 10)),
                local, o3, browserAnswer(o3));
        assertEquals(o3.media(), fourth.offer().media());
        assertEquals(Map.of("a3", "3", "v2", "2", "v1", "1"), fourth.midByTrackId());
    }

    @Test
    void removedSlotIsNotRecycledWithoutAnAnswer() {
        LocalParameters local = Fixtures.local();
        SubscriberOffer first = SubscriberOfferer.offer(List.of(audio("a1", 1)), local, null, null);
        SubscriberOffer second = SubscriberOfferer.offer(List.of(), local, first.offer(), browserAnswer(first.offer()));
        assertEquals(0, second.offer().media().get(0).port());
        assertTrue(second.offer().bundleGroup().isEmpty());
        SubscriberOffer third = SubscriberOfferer.offer(List.of(audio("a2", 2)), local, second.offer(), null);
        // the previous offer rejected slot 0, so JSEP lets it be recycled
        assertEquals(1, third.offer().media().size());
        assertEquals("1", third.midByTrackId().get("a2"));

        // a slot is recycled only for a track of the same kind
        SubscriberOffer video = SubscriberOfferer.offer(List.of(video("v3", 3)), local, second.offer(), null);
        assertEquals(2, video.offer().media().size());
        assertEquals(0, video.offer().media().get(0).port());
        assertEquals("video", video.offer().media().get(1).media());
        assertEquals("1", video.midByTrackId().get("v3"));
    }

    @Test
    void parsesTheBrowserAnswer() {
        SubscriberOffer so = SubscriberOfferer.offer(List.of(audio("a1", 1111), video("v1", 2222)),
                Fixtures.local(MediaPolicy.defaults().withTransportCc(true)), null, null);
        SessionDescription answer = SessionDescription.parse(browserAnswer(so.offer()).toString());
        SubscriberAnswer sa = SubscriberOfferer.parseAnswer(so.offer(), answer);
        assertEquals("Gh7p", sa.remoteIce().ufrag());
        assertEquals(Setup.ACTIVE, sa.remoteSetup());
        assertEquals("sha-256", sa.remoteFingerprint().algorithm());
        assertEquals(2, sa.media().size());
        NegotiatedMedia v = sa.media().get(1);
        assertEquals("1", v.mid());
        assertEquals(Direction.RECVONLY, v.remoteDirection());
        assertEquals(List.of(96), v.codecs().stream().map(Codec::payloadType).toList());
        assertEquals(OptionalInt.of(HeaderExtensions.TRANSPORT_CC_ID), v.extensionId(HeaderExtensions.TRANSPORT_CC));

        String text = answer.toString();
        SessionDescription wrongPt = SessionDescription.parse(text.replace("a=rtpmap:96 VP8/90000",
                "a=rtpmap:96 VP8/90000\r\na=rtpmap:100 VP9/90000").replace("UDP/TLS/RTP/SAVPF 96",
                        "UDP/TLS/RTP/SAVPF 96 100"));
        assertTrue(assertThrows(NegotiationException.class, () -> SubscriberOfferer.parseAnswer(so.offer(), wrongPt))
                .getMessage().contains("payload type 100 which was not offered"));
        SessionDescription wrongMid = SessionDescription.parse(text.replace("a=mid:1", "a=mid:7"));
        assertThrows(NegotiationException.class, () -> SubscriberOfferer.parseAnswer(so.offer(), wrongMid));
        SessionDescription actpass = SessionDescription.parse(text.replace("a=setup:active", "a=setup:actpass"));
        assertThrows(NegotiationException.class, () -> SubscriberOfferer.parseAnswer(so.offer(), actpass));
        SessionDescription fewer = answer.toBuilder().setMedia(answer.media().subList(0, 1)).build();
        assertThrows(NegotiationException.class, () -> SubscriberOfferer.parseAnswer(so.offer(), fewer));
    }

    @Test
    void duplicateTrackIdsAreRefused() {
        assertThrows(NegotiationException.class, () -> SubscriberOfferer.offer(
                List.of(audio("x", 1), video("x", 5)), Fixtures.local(), null, null));
    }
}
