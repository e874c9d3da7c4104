package io.streamkit.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules a browser applies to an answer (JSEP, RFC 8829 section 5.3 and 5.8; BUNDLE, RFC 9143),
 * checked in tests.
 */
final class AnswerRules {
    private AnswerRules() {
    }

    static void check(SessionDescription offer, SessionDescription answer) {
        // the answer is valid SDP that parses back to itself
        assertEquals(answer, SessionDescription.parse(answer.toString()));
        assertTrue(answer.iceLite(), "ICE-lite at session level");
        assertEquals(offer.media().size(), answer.media().size(), "one answer m-line per offered m-line");
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription o = offer.media().get(i);
            MediaDescription a = answer.media().get(i);
            String where = "m-line " + i;
            assertEquals(o.media(), a.media(), where + " media type");
            assertEquals(o.proto(), a.proto(), where + " protocol");
            assertEquals(o.mid(), a.mid(), where + " mid");
            if (a.isRejected()) {
                continue;
            }
            assertFalse(o.isRejected(), where + " must stay rejected when the offer rejected it");
            accepted.add(a.mid().orElseThrow());
            assertEquals(Optional.of(Setup.PASSIVE), answer.setup(a), where + " setup");
            assertTrue(answer.iceParameters(a).isPresent(), where + " ICE credentials");
            assertTrue(answer.fingerprint(a).isPresent(), where + " fingerprint");
            assertFalse(a.candidates().isEmpty(), where + " candidate");
            assertTrue(a.hasAttribute("end-of-candidates"), where + " end-of-candidates");
            assertEquals(a.port(), a.candidates().get(0).port(), where + " m= port is the candidate's port");
            if (a.media().equals("application")) {
                continue;
            }
            assertTrue(a.rtcpMux(), where + " rtcp-mux");
            Direction d = answer.direction(a);
            assertTrue(d == Direction.RECVONLY || d == Direction.INACTIVE, where + " direction " + d);
            if (offer.direction(o).sends()) {
                assertEquals(Direction.RECVONLY, d, where + " receives what the offerer sends");
            }
            List<Codec> offered = o.codecs();
            List<Codec> answered = a.codecs();
            assertFalse(answered.isEmpty(), where + " has codecs");
            for (String f : a.formats()) {
                assertTrue(o.formats().contains(f), where + " format " + f + " was offered");
            }
            for (Codec c : answered) {
                Codec same = offered.stream().filter(x -> x.payloadType() == c.payloadType()).findFirst()
                        .orElseThrow(() -> new AssertionError(where + " payload type " + c.payloadType()
                                + " not offered"));
                assertTrue(same.isNamed(c.name()), where + " PT " + c.payloadType() + " keeps its encoding");
                assertEquals(same.clockRate(), c.clockRate(), where + " clock rate");
                for (RtcpFeedback fb : c.feedback()) {
                    assertTrue(same.feedback().contains(fb), where + " feedback " + fb + " was offered");
                }
                if (c.isRtx()) {
                    int apt = c.apt().orElseThrow();
                    assertTrue(answered.stream().anyMatch(x -> x.payloadType() == apt && !x.isRtx()),
                            where + " rtx apt " + apt + " is answered");
                    assertEquals(same.apt(), c.apt(), where + " rtx apt equals the offer's");
                }
            }
            for (Extmap e : a.extmaps()) {
                Extmap same = o.extmaps().stream().filter(x -> x.uri().equals(e.uri())).findFirst()
                        .orElseThrow(() -> new AssertionError(where + " extension " + e.uri() + " not offered"));
                assertEquals(same.id(), e.id(), where + " extension id of " + e.uri());
            }
            Optional<Simulcast> sc = a.simulcast();
            if (sc.isPresent()) {
                assertTrue(sc.get().send().isEmpty(), where + " answers simulcast with recv only");
                for (String rid : sc.get().recvRids()) {
                    assertTrue(a.rids().stream().anyMatch(r -> r.id().equals(rid)
                            && r.direction() == Rid.RidDirection.RECV), where + " a=rid:" + rid + " recv");
                    assertTrue(o.rids().stream().anyMatch(r -> r.id().equals(rid)
                            && r.direction() == Rid.RidDirection.SEND), where + " rid " + rid + " was offered");
                }
            }
        }
        assertEquals(accepted, answer.bundleGroup().map(Group::mids).orElse(List.of()),
                "BUNDLE holds exactly the accepted mids");
        if (!accepted.isEmpty()) {
            assertNotEquals(List.of(), accepted);
        }
    }
}
