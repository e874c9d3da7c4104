package io.streamkit.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, writing and typed views of real-peer offers and of malformed SDP. */
class SdpParserTest {

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.CHROME, Fixtures.FIREFOX, Fixtures.SAFARI, Fixtures.NATIVE})
    void realOffersRoundTrip(String name) {
        String text = Fixtures.text(name);
        SessionDescription sd = SessionDescription.parse(text);
        String written = sd.toString();
        assertTrue(written.endsWith("\r\n"));
        assertFalse(written.replace("\r\n", "").contains("\n"), "only CRLF line endings");
        assertEquals(sd, SessionDescription.parse(written));
        // the same text with the other line ending parses to the same model
        String lf = text.replace("\r\n", "\n");
        assertEquals(sd, SessionDescription.parse(lf));
        assertEquals(sd, SessionDescription.parse(lf.replace("\n", "\r\n")));
        // every line survives: the writer loses nothing
        assertEquals(lf.strip().lines().count(), written.strip().lines().count());
    }

    @Test
    void chromeOfferTypedViews() {
        SessionDescription sd = Fixtures.offer(Fixtures.CHROME);
        assertEquals("7351295840127383712", sd.origin().sessionId());
        assertEquals(2, sd.origin().sessionVersion());
        assertEquals(List.of("0", "1"), sd.bundleGroup().orElseThrow().mids());
        assertTrue(sd.hasAttribute("extmap-allow-mixed"));

        MediaDescription audio = sd.media().get(0);
        assertEquals("audio", audio.media());
        assertEquals(49203, audio.port());
        assertEquals("0", audio.mid().orElseThrow());
        assertEquals(Direction.SENDRECV, audio.direction());
        Codec opus = audio.codecs().get(0);
        assertEquals(111, opus.payloadType());
        assertEquals("opus", opus.name());
        assertEquals(48000, opus.clockRate());
        assertEquals(2, opus.channels());
        assertEquals(Map.of("minptime", "10", "useinbandfec", "1"), opus.parameters());
        assertEquals(List.of(RtcpFeedback.TRANSPORT_CC), opus.feedback());
        assertEquals(java.util.Set.of("111/111"), audio.codec(63).orElseThrow().parameters().keySet());
        assertEquals(OptionalInt.of(1), audio.extmapId(HeaderExtensions.AUDIO_LEVEL));
        List<Candidate> candidates = audio.candidates();
        assertEquals(3, candidates.size());
        Candidate host = candidates.get(0);
        assertEquals("3348206342", host.foundation());
        assertEquals(1, host.component());
        assertEquals("udp", host.transport());
        assertEquals(2122260223L, host.priority());
        assertEquals("192.168.1.23", host.address());
        assertEquals(49203, host.port());
        assertEquals("host", host.type());
        assertEquals("1", host.extensions().get("network-id"));
        assertEquals("active", candidates.get(1).extensions().get("tcptype"));
        assertTrue(candidates.get(2).address().endsWith(".local"));
        assertEquals(List.of(1739261102L), audio.ssrcs());
        assertEquals(new Msid("3f1c0a52-8d57-4f27-9a8b-1f2b6c0d5e41", "a2d8e6f0-4c1b-4a7e-8f3d-9b5c2e1a0f64"),
                audio.msid().orElseThrow());

        MediaDescription video = sd.media().get(1);
        assertEquals(Direction.SENDONLY, video.direction());
        assertEquals(25, video.codecs().size());
        Codec vp8 = video.codecs().get(0);
        assertEquals("VP8", vp8.name());
        assertEquals(OptionalInt.of(97), vp8.rtxPayloadType());
        assertEquals(List.of(RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC, RtcpFeedback.CCM_FIR,
                RtcpFeedback.NACK, RtcpFeedback.NACK_PLI), vp8.feedback());
        Codec h264 = video.codec(106).orElseThrow();
        assertEquals("42e01f", h264.h264ProfileLevelId());
        assertEquals("1", h264.parameter("packetization-mode"));
        assertEquals(OptionalInt.of(106), video.codec(107).orElseThrow().apt());
        assertEquals(List.of("q", "h", "f"), video.rids().stream().map(Rid::id).toList());
        assertEquals(List.of("q", "h", "f"), video.simulcast().orElseThrow().sendRids());
        assertTrue(video.ssrcs().isEmpty());
        IceParameters ice = sd.iceParameters(video).orElseThrow();
        assertEquals("Xq7b", ice.ufrag());
        assertEquals(List.of("trickle"), ice.options());
        assertFalse(ice.lite());
        assertEquals("sha-256", sd.fingerprint(video).orElseThrow().algorithm());
        assertEquals(32, sd.fingerprint(video).orElseThrow().bytes().length);
        assertEquals(Setup.ACTPASS, sd.setup(video).orElseThrow());
        assertTrue(video.rtcpMux());
    }

    @Test
    void firefoxOfferTypedViews() {
        SessionDescription sd = Fixtures.offer(Fixtures.FIREFOX);
        MediaDescription audio = sd.media().get(0);
        // fingerprint only at session level
        assertTrue(audio.fingerprint().isEmpty());
        assertTrue(sd.fingerprint(audio).isPresent());
        Extmap csrc = audio.extmaps().get(1);
        assertEquals(2, csrc.id());
        assertEquals(Direction.RECVONLY, csrc.direction());
        assertEquals("2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level", csrc.toString());
        Codec dtmf = audio.codec(101).orElseThrow();
        assertTrue(dtmf.parameters().containsKey("0-15"));
        assertNull(dtmf.parameters().get("0-15"));
        assertEquals("101 0-15", dtmf.fmtpValue());
        assertEquals(1, audio.codec(9).orElseThrow().channels());

        MediaDescription video = sd.media().get(1);
        // fmtp lines come before the rtpmap lines in Firefox offers
        Codec h264 = video.codec(126).orElseThrow();
        assertEquals("H264", h264.name());
        assertEquals(OptionalInt.of(127), h264.rtxPayloadType());
        assertEquals("1", h264.parameter("packetization-mode"));
        assertNull(video.codec(97).orElseThrow().parameter("packetization-mode"));
        assertEquals(List.of(new SsrcGroup("FID", List.of(3826104372L, 1290538717L))), video.ssrcGroups());
        assertEquals("{8d2b6f3a-1c4e-4d7b-9a05-6e3f2c1b0a98}", video.msid().orElseThrow().streamId());
    }

    @Test
    void nativeOfferFallsBackToSsrcMsidAndKeepsDataChannel() {
        SessionDescription sd = Fixtures.offer(Fixtures.NATIVE);
        MediaDescription data = sd.media().get(2);
        assertEquals("application", data.media());
        assertEquals("UDP/DTLS/SCTP", data.proto());
        assertEquals(List.of("webrtc-datachannel"), data.formats());
        assertTrue(data.codecs().isEmpty());
        assertEquals(List.of("trickle", "renomination"), sd.iceParameters(data).orElseThrow().options());
        MediaDescription video = sd.media().get(1);
        assertEquals(2, video.ssrcs().size());
        assertEquals(new Msid("camera", "video-track"), video.msid().orElseThrow());
    }

    @Test
    void untypedLinesAreKeptInOrder() {
        String text = "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=Talk\ni=about things\nu=http://example.com/x\n"
                + "e=a@example.com\nc=IN IP4 192.0.2.1\nb=AS:500\nt=0 0\nr=604800 3600 0\nt=10 20\nk=prompt\n"
                + "a=tool:x\nm=audio 49170/2 RTP/AVP 0\ni=voice\nc=IN IP4 192.0.2.2\nb=TIAS:64000\na=ptime:20\n";
        SessionDescription sd = SessionDescription.parse(text);
        assertEquals("Talk", sd.sessionName());
        assertEquals(new Connection("IN", "IP4", "192.0.2.1"), sd.connection());
        assertEquals(List.of(new Field('i', "about things"), new Field('u', "http://example.com/x"),
                new Field('e', "a@example.com"), new Field('b', "AS:500"), new Field('r', "604800 3600 0"),
                new Field('t', "10 20"), new Field('k', "prompt")), sd.fields());
        MediaDescription m = sd.media().get(0);
        assertEquals(2, m.portCount());
        assertEquals(List.of(new Field('i', "voice"), new Field('b', "TIAS:64000")), m.fields());
        assertEquals("PCMU", m.codecs().get(0).name());
        assertEquals(text, sd.toString().replace("\r\n", "\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            starts without v=                  | o=- 1 1 IN IP4 0.0.0.0                          | 1 | must start with v=0
            wrong version                      | v=1                                             | 1 | v= must be 0
            """)
    void headerErrors(String title, String firstLine, int line, String reason) {
        SdpParseException e = assertThrows(SdpParseException.class,
                () -> SessionDescription.parse(firstLine + "\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"));
        assertEquals(line, e.lineNumber());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    private static final String HEAD = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
    private static final String M = "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            no equals sign            | a=rtcp-mux                | xyz                                   | 7 | '<type>=<value>'
            unknown type              | a=rtcp-mux                | x=1                                   | 7 | unknown line type
            empty line                | ""                        | a=rtcp-mux                            | 6 | empty line
            bad attribute name        | a=rtcp-mux                | a=bad name:1                          | 7 | attribute name must be a token
            rtpmap without clock      | a=rtpmap:96 VP8           | a=rtcp-mux                            | 6 | rtpmap must be
            rtpmap payload type 128   | a=rtpmap:128 VP8/90000    | a=rtcp-mux                            | 6 | rtpmap payload type must be in [0, 127]
            fmtp without pt           | a=fmtp:x apt=1            | a=rtcp-mux                            | 6 | fmtp payload type must be a decimal number
            extmap id 0               | a=extmap:0 urn:x          | a=rtcp-mux                            | 6 | extmap id must be in [1, 4351]
            extmap id 300             | a=extmap:300 urn:x        | a=rtcp-mux                            | 6 | 1-255 or 4096-4351
            extmap bad direction      | a=extmap:1/up urn:x       | a=rtcp-mux                            | 6 | direction must be
            ssrc too large            | a=ssrc:4294967296 cname:x | a=rtcp-mux                            | 6 | SSRC must be in
            rid bad direction         | a=rid:h sendrecv          | a=rtcp-mux                            | 6 | rid direction must be send or recv
            simulcast empty rid       | a=simulcast:send h;;l     | a=rtcp-mux                            | 6 | empty rid
            fingerprint not hex       | a=fingerprint:sha-256 ZZ  | a=rtcp-mux                            | 6 | colon-separated hex pairs
            setup unknown             | a=setup:server            | a=rtcp-mux                            | 6 | setup must be
            candidate short           | a=candidate:1 1 udp 5     | a=rtcp-mux                            | 6 | candidate must be
            candidate port            | a=candidate:1 1 udp 5 192.0.2.1 70000 typ host | a=rtcp-mux   | 6 | candidate port must be in [0, 65535]
            mid empty                 | a=mid:                    | a=rtcp-mux                            | 6 | a=mid needs a value
            v= repeated               | a=rtcp-mux                | v=0                                   | 7 | may appear only once
            t= in media               | a=rtcp-mux                | t=0 0                                 | 7 | not allowed in a media description
            c= after a=               | a=rtcp-mux                | c=IN IP4 0.0.0.0                      | 7 | out of order
            m= port too large         | a=rtcp-mux                | m=audio 70000 RTP/AVP 0               | 7 | m= port must be in [0, 65535]
            m= no formats             | a=rtcp-mux                | m=audio 9 RTP/AVP                     | 7 | m= must be
            """)
    void mediaErrorsCarryLineAndReason(String title, String line6, String line7, int line, String reason) {
        String text = HEAD + M + line6 + "\r\n" + line7 + "\r\n";
        SdpParseException e = assertThrows(SdpParseException.class, () -> SessionDescription.parse(text));
        assertEquals(line, e.lineNumber(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
        assertTrue(e.getMessage().startsWith("SDP line " + line + ": "), e.getMessage());
    }

    @Test
    void sessionLevelErrors() {
        assertLine(2, "o= must be", "v=0\no=- 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n");
        assertLine(2, "session id", "v=0\no=- abc 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n");
        assertLine(3, "third line must be s=", "v=0\no=- 1 1 IN IP4 0.0.0.0\nt=0 0\n");
        assertLine(4, "t= is missing", "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\na=x\n");
        assertLine(4, "t= is missing", "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 9 RTP/AVP 0\n");
        assertLine(3, "SDP has no t= line", "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\n");
        assertLine(5, "a=mid is a media-level attribute", HEAD + "a=mid:0\r\n");
        assertLine(5, "carriage return inside a line", HEAD + "a=x\ry\r\n");
        assertLine(5, "NUL character", HEAD + "a=x\0\r\n");
        assertLine(1, "v= must be 0", "v=0 \r\n");
        assertLine(0, "SDP is empty", "\r\n\r\n");
    }

    private static void assertLine(int line, String reason, String text) {
        SdpParseException e = assertThrows(SdpParseException.class, () -> SessionDescription.parse(text));
        assertEquals(line, e.lineNumber(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    @Test
    void boundsAreEnforced() {
        StringBuilder big = new StringBuilder(HEAD);
        while (big.length() <= SessionDescription.MAX_BYTES) {
            big.append("a=x:0123456789012345678901234567890123456789\r\n");
        }
        assertTrue(assertThrows(SdpParseException.class, () -> SessionDescription.parse(big.toString()))
                .reason().contains("longer than 65536 bytes"));

        StringBuilder wide = new StringBuilder(HEAD).append("a=x:");
        wide.append("\u00e9".repeat(SessionDescription.MAX_BYTES / 2));
        assertTrue(assertThrows(SdpParseException.class, () -> SessionDescription.parse(wide.toString()))
                .reason().contains("bytes"), "counted in UTF-8 bytes");

        StringBuilder many = new StringBuilder(HEAD);
        for (int i = 0; i < SessionDescription.MAX_LINES; i++) {
            many.append("a=x\n");
        }
        SdpParseException e = assertThrows(SdpParseException.class, () -> SessionDescription.parse(many.toString()));
        assertEquals(SessionDescription.MAX_LINES + 1, e.lineNumber());

        StringBuilder media = new StringBuilder(HEAD);
        for (int i = 0; i <= SessionDescription.MAX_MEDIA; i++) {
            media.append("m=audio 9 RTP/AVP 0\r\n");
        }
        e = assertThrows(SdpParseException.class, () -> SessionDescription.parse(media.toString()));
        assertEquals(5 + SessionDescription.MAX_MEDIA, e.lineNumber());
        assertTrue(e.reason().contains("more than 64 m= lines"));

        StringBuilder ok = new StringBuilder(HEAD);
        for (int i = 0; i < SessionDescription.MAX_MEDIA; i++) {
            ok.append("m=audio 9 RTP/AVP 0\r\n");
        }
        assertEquals(SessionDescription.MAX_MEDIA, SessionDescription.parse(ok.toString()).media().size());
    }

    @Test
    void candidateParsesTrickleForms() {
        Candidate c = Candidate.parse("candidate:842163049 1 udp 1677729535 203.0.113.7 62793 typ srflx raddr "
                + "0.0.0.0 rport 0 generation 0 ufrag gydc network-cost 999");
        assertEquals("srflx", c.type());
        assertEquals("0.0.0.0", c.relatedAddress());
        assertEquals(0, c.relatedPort());
        assertEquals("gydc", c.extensions().get("ufrag"));
        assertEquals(c, Candidate.parse("a=" + "candidate:" + c.raw()));
        Candidate host = Candidate.udpHost("1", 1, "192.0.2.10", 40000);
        assertEquals(2130706431L, host.priority());
        assertEquals(host, Candidate.parse(host.toString()));
        assertThrows(SdpParseException.class, () -> Candidate.parse("1 1 udp 1 192.0.2.1 1 typ host odd"));
    }

    @Test
    void simulcastForms() {
        Simulcast s = Simulcast.parse("recv 1,~2;3 send 4");
        assertEquals(List.of("1", "3"), s.recvRids());
        assertTrue(s.recv().get(0).get(1).paused());
        assertEquals("send 4 recv 1,~2;3", s.toString());
        assertEquals(s, Simulcast.parse(s.toString()));
        assertThrows(SdpParseException.class, () -> Simulcast.parse("send a send b"));
        assertThrows(SdpParseException.class, () -> Simulcast.parse("send a;b*"));
    }
}
