package io.streamkit.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.NegotiationException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trips of random models and robustness against random and damaged SDP text. */
class SdpProperties {

    @Property(tries = 500)
    void randomModelsRoundTrip(@ForAll("sessions") SessionDescription sd) {
        String text = sd.toString();
        SessionDescription back = SessionDescription.parse(text);
        assertEquals(sd, back);
        assertEquals(text, back.toString());
        // LF-only text reads the same
        assertEquals(sd, SessionDescription.parse(text.replace("\r\n", "\n")));
    }

    @Property(tries = 2000)
    void randomTextThrowsOnlySdpParseException(@ForAll("sdpish") String text) {
        parseAndUse(text);
    }

    @Property(tries = 3000)
    void damagedOffersThrowOnlySdpParseException(@ForAll("fixtureNames") String name,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> edits,
            @ForAll("damage") List<Character> inserted) {
        String text = Fixtures.text(name);
        StringBuilder sb = new StringBuilder(text);
        for (int i = 0; i < edits.size(); i++) {
            int e = edits.get(i);
            if (sb.length() == 0) {
                break;
            }
            int pos = e % sb.length();
            char c = inserted.isEmpty() ? 'x' : inserted.get(i % inserted.size());
            switch ((e >>> 24) % 4) {
                case 0 -> sb.deleteCharAt(pos);
                case 1 -> sb.insert(pos, c);
                case 2 -> sb.setCharAt(pos, c);
                default -> sb.setLength(pos);
            }
        }
        parseAndUse(sb.toString());
    }

    /** Parses; when that succeeds, round-trips and exercises every typed view and the answerer. */
    private static void parseAndUse(String text) {
        SessionDescription sd;
        try {
            sd = SessionDescription.parse(text);
        } catch (SdpParseException expected) {
            assertFalse(expected.reason() == null || expected.reason().isEmpty());
            assertTrue(expected.lineNumber() >= 0);
            return;
        }
        assertEquals(sd, SessionDescription.parse(sd.toString()), "whatever parses round-trips");
        try {
            sd.groups();
            sd.bundleGroup();
            for (MediaDescription m : sd.media()) {
                m.mid();
                m.direction();
                m.codecs();
                m.extmaps();
                m.ssrcAttributes();
                m.ssrcGroups();
                m.rids();
                m.simulcast();
                m.msid();
                m.candidates();
                sd.iceParameters(m);
                sd.fingerprint(m);
                sd.setup(m);
            }
            PublisherNegotiation n = PublisherAnswerer.answer(sd, Fixtures.local(), null);
            assertEquals(n.answer(), SessionDescription.parse(n.answer().toString()));
        } catch (NegotiationException expected) {
            assertFalse(expected.getMessage() == null || expected.getMessage().isEmpty());
        }
    }

    @Provide
    Arbitrary<String> fixtureNames() {
        return Arbitraries.of(Fixtures.OFFERS);
    }

    @Provide
    Arbitrary<List<Character>> damage() {
        return Arbitraries.oneOf(Arbitraries.of(' ', ':', '/', '=', '\n', '\r', '\0', ';', ',', '~', '-', '9', 'a',
                'm', '\t', '\u00e9'), Arbitraries.chars()).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> sdpish() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of("v=0", "o=- 1 2 IN IP4 0.0.0.0", "s=-", "t=0 0", "c=IN IP4 1.2.3.4",
                        "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=rtpmap:96 VP8/90000", "a=mid:0", "a=rtcp-mux",
                        "a=extmap:1 urn:x", "a=rid:h send", "a=simulcast:send h;l", "a=ssrc:1 cname:x",
                        "a=candidate:1 1 udp 1 1.2.3.4 5 typ host", "a=fmtp:96 apt=97", "a=group:BUNDLE 0",
                        "a=fingerprint:sha-256 AB:CD", "a=setup:actpass", "b=AS:30", "a=rtcp-fb:* nack"),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("vosmtcab=: /;0123456789\r").ofMaxLength(30));
        return line.list().ofMaxSize(30).map(lines -> String.join("\n", lines));
    }

    // ---- random valid models

    static Arbitrary<String> text() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(16).excludeChars('\0', '\r', '\n');
    }

    static Arbitrary<String> token() {
        return Arbitraries.strings().withChars("abcXYZ019-.!_~*").ofMinLength(1).ofMaxLength(8);
    }

    static Arbitrary<String> word() {
        return Arbitraries.strings().withChars("abcXYZ019-.:/{}[]@").ofMinLength(1).ofMaxLength(12);
    }

    static Arbitrary<Attribute> attribute() {
        Arbitrary<Attribute> generic = Combinators.combine(token().map(t -> "x-" + t),
                text().injectNull(0.3).map(v -> v == null ? null : v)).as(Attribute::new);
        Arbitrary<Attribute> emptyValue = token().map(t -> new Attribute("x-" + t, ""));
        Arbitrary<Attribute> typed = Arbitraries.of(
                Attribute.of("rtcp-mux"), Attribute.of("sendonly"), Attribute.of("rtpmap", "96 VP8/90000"),
                Attribute.of("fmtp", "97 apt=96"), Attribute.of("rtcp-fb", "96 nack pli"),
                Attribute.of("extmap", "3/sendonly urn:ietf:params:rtp-hdrext:sdes:mid"),
                Attribute.of("ssrc", "4294967295 msid:a b"), Attribute.of("ssrc-group", "FID 1 2"),
                Attribute.of("rid", "h send max-width=1280;max-height=720"), Attribute.of("simulcast", "send h;~l"),
                Attribute.of("msid", "- t"), Attribute.of("setup", "passive"),
                Attribute.of("candidate", "1 1 UDP 2122252543 198.51.100.1 51839 typ host"),
                Attribute.of("fingerprint", "sha-1 00:FF"), Attribute.of("ice-ufrag", "abcd"));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, generic), net.jqwik.api.Tuple.of(1, emptyValue),
                net.jqwik.api.Tuple.of(4, typed));
    }

    static Arbitrary<Connection> connection() {
        return Combinators.combine(token(), token(), word()).as(Connection::new);
    }

    static Arbitrary<List<Field>> fields(String singles, String multiples) {
        List<Arbitrary<List<Field>>> parts = new ArrayList<>();
        for (char t : singles.toCharArray()) {
            parts.add(text().map(v -> new Field(t, v)).list().ofMaxSize(1));
        }
        for (char t : multiples.toCharArray()) {
            parts.add(text().map(v -> new Field(t, v)).list().ofMaxSize(2));
        }
        return Combinators.combine(parts).as(lists -> {
            List<Field> all = new ArrayList<>();
            lists.forEach(all::addAll);
            return all;
        });
    }

    static Arbitrary<MediaDescription> media() {
        Arbitrary<String> proto = token().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
        Arbitrary<MediaDescription> head = Combinators.combine(token(), Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(0, 4), proto, word().list().ofMinSize(1).ofMaxSize(5))
                .as((media, port, count, p, formats) -> new MediaDescription(media, port, count, p, formats, List.of(),
                        null, List.of()));
        return Combinators.combine(head, fields("ik", "b"), connection().injectNull(0.5),
                attribute().list().ofMaxSize(12))
                .as((m, f, c, a) -> new MediaDescription(m.media(), m.port(), m.portCount(), m.proto(), m.formats(), f,
                        c, a));
    }

    @Provide
    Arbitrary<SessionDescription> sessions() {
        Arbitrary<Origin> origin = Combinators.combine(word(), Arbitraries.strings().numeric().ofMinLength(1)
                .ofMaxLength(20), Arbitraries.longs().greaterOrEqual(0), token(), token(), word())
                .as(Origin::new);
        Arbitrary<Timing> timing = Combinators.combine(Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.longs().greaterOrEqual(0)).as(Timing::new);
        Arbitrary<List<Field>> extraTimes = Combinators.combine(Arbitraries.longs().between(0, 1L << 40),
                Arbitraries.longs().between(0, 1L << 40)).as((a, b) -> new Field('t', a + " " + b)).list().ofMaxSize(2);
        Arbitrary<List<Field>> fields = Combinators.combine(fields("iuzk", "epbr"), extraTimes).as((f, t) -> {
            List<Field> all = new ArrayList<>(f);
            all.addAll(t);
            return all;
        });
        return Combinators.combine(origin, text(), fields, connection().injectNull(0.5), timing,
                attribute().filter(a -> !a.is("mid")).list().ofMaxSize(8), media().list().ofMaxSize(5))
                .as((o, s, f, c, t, a, m) -> new SessionDescription(0, o, s, f, c, t, a, m));
    }
}
