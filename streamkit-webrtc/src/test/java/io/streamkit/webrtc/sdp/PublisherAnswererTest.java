package io.streamkit.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.NegotiationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SFU's answers to real publisher offers. */
class PublisherAnswererTest {

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.CHROME, Fixtures.FIREFOX, Fixtures.SAFARI, Fixtures.NATIVE})
    void answersFollowTheBrowserRules(String name) {
        SessionDescription offer = Fixtures.offer(name);
        PublisherNegotiation n = PublisherAnswerer.answer(offer, Fixtures.local(), null);
        AnswerRules.check(offer, n.answer());
        assertFalse(n.media().isEmpty());
        assertEquals(offer.iceParameters(offer.media().get(0)).orElseThrow().ufrag(), n.remoteIce().ufrag());
        assertEquals(offer.fingerprint(offer.media().get(0)).orElseThrow(), n.remoteFingerprint());
        for (MediaDescription m : n.answer().media()) {
            if (!m.isRejected()) {
                assertEquals(Fixtures.local().port(), m.port());
                assertEquals(Connection.of("192.0.2.10"), m.connection());
            }
        }
    }

    @Test
    void chromeSimulcastAnswer() {
        SessionDescription offer = Fixtures.offer(Fixtures.CHROME);
        PublisherNegotiation n = PublisherAnswerer.answer(offer, Fixtures.local(), null);
        SessionDescription answer = n.answer();
        assertEquals(List.of("0", "1"), answer.bundleGroup().orElseThrow().mids());
        assertTrue(answer.hasAttribute("extmap-allow-mixed"));

        MediaDescription audio = answer.media().get(0);
        assertEquals(List.of("111"), audio.formats(), "only opus: RED, G722, PCMU/A, CN and DTMF dropped");
        Codec opus = audio.codecs().get(0);
        assertEquals(Map.of("minptime", "10", "useinbandfec", "1"), opus.parameters());
        assertTrue(opus.feedback().isEmpty(), "transport-cc is off by default");
        assertEquals(List.of(Extmap.of(1, HeaderExtensions.AUDIO_LEVEL), Extmap.of(2, HeaderExtensions.ABS_SEND_TIME),
                Extmap.of(4, HeaderExtensions.MID)), audio.extmaps());
        assertEquals(Direction.RECVONLY, audio.direction());

        MediaDescription video = answer.media().get(1);
        List<Codec> codecs = video.codecs().stream().filter(c -> !c.isRtx()).toList();
        assertEquals(List.of(96, 106, 102, 127, 45, 98, 112), codecs.stream().map(Codec::payloadType).toList(),
                "offer order; H.264 slots ranked 42e01f, 42001f, 4d001f, 64001f; mode 0, VP9 profile 2, RED and"
                        + " ULPFEC dropped");
        assertEquals(OptionalInt.of(97), codecs.get(0).rtxPayloadType());
        assertEquals(OptionalInt.of(107), codecs.get(1).rtxPayloadType());
        assertEquals(List.of(RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI), codecs.get(0).feedback());
        assertEquals(List.of(HeaderExtensions.ABS_SEND_TIME, HeaderExtensions.MID, HeaderExtensions.RTP_STREAM_ID,
                HeaderExtensions.REPAIRED_RTP_STREAM_ID), video.extmaps().stream().map(Extmap::uri).toList());
        assertEquals(List.of(Rid.of("q", Rid.RidDirection.RECV), Rid.of("h", Rid.RidDirection.RECV),
                Rid.of("f", Rid.RidDirection.RECV)), video.rids());
        assertEquals("recv q;h;f", video.attribute("simulcast").orElseThrow());

        NegotiatedMedia nv = n.media().get(1);
        assertEquals("1", nv.mid());
        assertEquals("video", nv.kind());
        assertEquals(List.of("q", "h", "f"), nv.rids());
        assertEquals(OptionalInt.of(10), nv.extensionId(HeaderExtensions.RTP_STREAM_ID));
        assertEquals(OptionalInt.of(11), nv.extensionId(HeaderExtensions.REPAIRED_RTP_STREAM_ID));
        NegotiatedMedia na = n.media().get(0);
        assertEquals(List.of(1739261102L), na.ssrcs());
        assertEquals("Jq4Yp2sWc8Lk0tVb", na.cname());
        assertEquals("a2d8e6f0-4c1b-4a7e-8f3d-9b5c2e1a0f64", na.msid().trackId());
    }

    @Test
    void transportCcAndRembOnlyWhenEnabled() {
        SessionDescription offer = Fixtures.offer(Fixtures.FIREFOX);
        MediaPolicy policy = MediaPolicy.defaults().withTransportCc(true).withRemb(true);
        PublisherNegotiation n = PublisherAnswerer.answer(offer, Fixtures.local(policy), null);
        AnswerRules.check(offer, n.answer());
        MediaDescription video = n.answer().media().get(1);
        assertEquals(OptionalInt.of(7), video.extmapId(HeaderExtensions.TRANSPORT_CC));
        assertTrue(video.codecs().get(0).feedback().contains(RtcpFeedback.TRANSPORT_CC));
        assertTrue(video.codecs().get(0).feedback().contains(RtcpFeedback.GOOG_REMB));

        PublisherNegotiation plain = PublisherAnswerer.answer(offer, Fixtures.local(), null);
        MediaDescription v2 = plain.answer().media().get(1);
        assertTrue(v2.extmapId(HeaderExtensions.TRANSPORT_CC).isEmpty());
        assertFalse(v2.codecs().get(0).feedback().contains(RtcpFeedback.TRANSPORT_CC));
    }

    @Test
    void firefoxAnswerDropsRecvonlyExtensionsAndModeZeroH264() {
        SessionDescription offer = Fixtures.offer(Fixtures.FIREFOX);
        PublisherNegotiation n = PublisherAnswerer.answer(offer, Fixtures.local(), null);
        MediaDescription audio = n.answer().media().get(0);
        assertTrue(audio.extmaps().stream().noneMatch(e -> e.id() == 2), "csrc-audio-level/recvonly dropped");
        MediaDescription video = n.answer().media().get(1);
        assertEquals(List.of(120, 121, 126), video.codecs().stream().filter(c -> !c.isRtx())
                .map(Codec::payloadType).toList());
        assertEquals(List.of(new SsrcGroup("FID", List.of(3826104372L, 1290538717L))), n.media().get(1).ssrcGroups());
        assertEquals(Optional.of(1290538717L), n.media().get(1).rtxSsrc(3826104372L));
    }

    @Test
    void safariPrefersConstrainedBaseline() {
        SessionDescription offer = Fixtures.offer(Fixtures.SAFARI);
        PublisherNegotiation n = PublisherAnswerer.answer(offer, Fixtures.local(), null);
        MediaDescription video = n.answer().media().get(1);
        assertEquals(List.of("98", "99", "96", "97"), video.formats());
        assertEquals("42e01f", video.codecs().get(0).h264ProfileLevelId());

        PublisherNegotiation one = PublisherAnswerer.answer(offer,
                Fixtures.local(MediaPolicy.defaults().withMaxCodecsPerMedia(1)), null);
        assertEquals(List.of("98", "99"), one.answer().media().get(1).formats());

        PublisherNegotiation vp8Only = PublisherAnswerer.answer(offer,
                Fixtures.local(MediaPolicy.defaults().withCodecs(List.of("opus", "VP8"))), null);
        AnswerRules.check(offer, vp8Only.answer());
        assertTrue(vp8Only.answer().media().get(1).isRejected(), "no common video codec: rejected with port 0");
        assertEquals(List.of("1"), vp8Only.rejectedMids());
        assertEquals(List.of("0"), vp8Only.answer().bundleGroup().orElseThrow().mids());
    }

    @Test
    void dataChannelsRejectedUnlessAccepted() {
        SessionDescription offer = Fixtures.offer(Fixtures.NATIVE);
        PublisherNegotiation n = PublisherAnswerer.answer(offer, Fixtures.local(), null);
        MediaDescription data = n.answer().media().get(2);
        assertEquals(0, data.port());
        assertEquals("data", data.mid().orElseThrow());
        assertEquals(List.of("data"), n.rejectedMids());
        assertEquals(List.of("audio0", "video0"), n.answer().bundleGroup().orElseThrow().mids());

        PublisherNegotiation withData = PublisherAnswerer.answer(offer,
                Fixtures.local(MediaPolicy.defaults().withDataChannels(true)), null);
        AnswerRules.check(offer, withData.answer());
        MediaDescription accepted = withData.answer().media().get(2);
        assertEquals(40000, accepted.port());
        assertEquals("5000", accepted.attribute("sctp-port").orElseThrow());
        assertEquals(List.of("audio0", "video0", "data"), withData.answer().bundleGroup().orElseThrow().mids());
        assertEquals(2, withData.media().size(), "the data channel is not RTP media");
    }

    @Test
    void renegotiationKeepsSessionIdAndIncrementsVersion() {
        SessionDescription offer = Fixtures.offer(Fixtures.CHROME);
        SessionDescription first = PublisherAnswerer.answer(offer, Fixtures.local(), null).answer();
        SessionDescription second = PublisherAnswerer.answer(offer, Fixtures.local(), first).answer();
        assertEquals(first.origin().sessionId(), second.origin().sessionId());
        assertEquals(first.origin().sessionVersion() + 1, second.origin().sessionVersion());
    }

    @Test
    void offersThatCannotBeAnswered() {
        String chrome = Fixtures.text(Fixtures.CHROME);
        SessionDescription noMid = SessionDescription.parse(chrome.replace("a=mid:1\r\n", ""));
        assertTrue(assertThrows(NegotiationException.class,
                () -> PublisherAnswerer.answer(noMid, Fixtures.local(), null)).getMessage().contains("no a=mid"));
        SessionDescription dupMid = SessionDescription.parse(chrome.replace("a=mid:1\r\n", "a=mid:0\r\n"));
        assertTrue(assertThrows(NegotiationException.class,
                () -> PublisherAnswerer.answer(dupMid, Fixtures.local(), null)).getMessage().contains("twice"));
        SessionDescription passive = SessionDescription.parse(chrome.replace("a=setup:actpass", "a=setup:passive"));
        assertThrows(NegotiationException.class, () -> PublisherAnswerer.answer(passive, Fixtures.local(), null));
        SessionDescription noMux = SessionDescription.parse(chrome.replace("a=rtcp-mux\r\n", ""));
        PublisherNegotiation n = PublisherAnswerer.answer(noMux, Fixtures.local(), null);
        assertEquals(List.of("0", "1"), n.rejectedMids());
        AnswerRules.check(noMux, n.answer());
    }
}
