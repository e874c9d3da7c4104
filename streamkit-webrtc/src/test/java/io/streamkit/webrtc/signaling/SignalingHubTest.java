package io.streamkit.webrtc.signaling;

import static io.streamkit.webrtc.signaling.FakeConnection.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SignalingHubTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private SignalingHub hub = SignalingHub.builder().reconnectGrace(Duration.ZERO).timer(timer).build();

    @AfterEach
    void tearDown() {
        hub.close();
        timer.shutdownNow();
    }

    private static final class Client {
        final FakeConnection conn;
        final SignalingSession session;
        private String peerId;

        Client(FakeConnection conn, SignalingSession session) {
            this.conn = conn;
            this.session = session;
        }

        void say(String json) {
            session.onMessage(json);
        }

        String peerId() {
            if (peerId == null) {
                peerId = conn.ofType("joined").get(0).get("peerId").asText();
            }
            return peerId;
        }
    }

    private Client connect() {
        FakeConnection c = new FakeConnection();
        return new Client(c, hub.connect(c));
    }

    private Client join(String user, String room) {
        Client c = connect();
        c.say(json("type", "join", "userId", user, "sessionId", room));
        if (!c.conn.ofType("joined").isEmpty()) {
            c.peerId();
        }
        return c;
    }

    @Test
    void joinSendsJoinedThenExistingPeersAndTellsTheOthers() {
        Client a = join("alice", "r1");
        Client b = join("bob", "r1");
        assertEquals(List.of("joined"), a.conn.types().subList(0, 1));
        assertEquals(List.of("joined", "peer_joined"), b.conn.types());
        JsonNode seenByBob = b.conn.ofType("peer_joined").get(0);
        assertEquals(a.peerId(), seenByBob.get("peerId").asText());
        assertEquals("alice", seenByBob.get("userId").asText());
        assertFalse(seenByBob.get("audioEnabled").asBoolean());
        assertTrue(seenByBob.has("videoEnabled") && seenByBob.has("screenEnabled") && seenByBob.has("speaking"));
        JsonNode seenByAlice = a.conn.ofType("peer_joined").get(0);
        assertEquals(b.peerId(), seenByAlice.get("peerId").asText());
        assertNotEquals(a.peerId(), b.peerId());
        assertEquals(2, hub.room("r1").orElseThrow().peers().size());
    }

    @Test
    void roomsAreSeparate() {
        Client a = join("alice", "r1");
        Client b = join("bob", "r2");
        assertTrue(a.conn.ofType("peer_joined").isEmpty());
        assertTrue(b.conn.ofType("peer_joined").isEmpty());
        assertEquals(2, hub.rooms().size());
    }

    @Test
    void mediaStateIsBroadcastToTheOthersOnlyWhenItChanges() {
        Client a = join("alice", "r1");
        Client b = join("bob", "r1");
        Client c = join("carol", "r1");
        a.conn.clear();
        b.conn.clear();
        c.conn.clear();
        a.say(json("type", "media_state", "audioEnabled", true, "videoEnabled", true));
        assertTrue(a.conn.all().isEmpty());
        for (Client other : List.of(b, c)) {
            JsonNode m = other.conn.last();
            assertEquals("media_state", m.get("type").asText());
            assertEquals(a.peerId(), m.get("peerId").asText());
            assertTrue(m.get("audioEnabled").asBoolean());
            assertTrue(m.get("videoEnabled").asBoolean());
            assertFalse(m.get("screenEnabled").asBoolean());
        }
        a.say(json("type", "media_state", "audioEnabled", true));
        assertEquals(1, b.conn.all().size(), "an unchanged state is not broadcast again");
        a.say(json("type", "media_state", "peerId", b.peerId(), "audioEnabled", false));
        assertEquals("invalid_message", a.conn.last().get("code").asText());
        assertEquals(1, b.conn.all().size(), "a refused message changes nothing");
    }

    @Test
    void closingTheConnectionRemovesThePeerAndDeletesTheEmptyRoom() {
        Client a = join("alice", "r1");
        Client b = join("bob", "r1");
        b.session.onClose();
        JsonNode left = a.conn.last();
        assertEquals("peer_left", left.get("type").asText());
        assertEquals(b.peerId(), left.get("peerId").asText());
        a.session.onClose();
        assertTrue(hub.rooms().isEmpty());
        assertEquals(0, hub.stats().openConnections());
        assertEquals(2, hub.stats().leaves());
    }

    @Test
    void leaveMessageLeavesAtOnceAndTheConnectionMayJoinAgain() {
        Client a = join("alice", "r1");
        Client b = join("bob", "r1");
        b.say(json("type", "leave"));
        assertEquals("peer_left", a.conn.last().get("type").asText());
        b.say(json("type", "join", "userId", "bob", "sessionId", "r1"));
        assertEquals(2, b.conn.ofType("joined").size());
        assertEquals("peer_joined", a.conn.last().get("type").asText());
    }

    @Test
    void malformedAndInvalidMessagesAreAnsweredWithSpecificErrors() {
        Client a = connect();
        a.say("{not json");
        assertEquals("malformed_json", a.conn.last().get("code").asText());
        a.say("[1,2]");
        assertEquals("malformed_json", a.conn.last().get("code").asText());
        a.say(json("type", "dance"));
        JsonNode unknown = a.conn.last();
        assertEquals("unknown_type", unknown.get("code").asText());
        assertTrue(unknown.get("message").asText().contains("dance"));
        a.say(json("type", "offer", "sdp", "v=0"));
        assertEquals("not_joined", a.conn.last().get("code").asText());
        a.say(json("type", "join", "userId", "", "sessionId", "r"));
        assertEquals("invalid_message", a.conn.last().get("code").asText());
        assertTrue(a.conn.last().get("message").asText().contains("userId"));
        a.say(json("type", "join", "userId", "u".repeat(257), "sessionId", "r"));
        assertTrue(a.conn.last().get("message").asText().contains("1 to 256"));
        a.say(json("type", "join", "userId", 5, "sessionId", "r"));
        assertTrue(a.conn.last().get("message").asText().contains("must be a string"));
        a.say(json("type", "join", "userId", "u", "sessionId", "r", "audioEnabled", "yes"));
        assertTrue(a.conn.last().get("message").asText().contains("audioEnabled"));
        a.say("{\"type\":\"join\",\"type\":\"join\"}");
        assertEquals("malformed_json", a.conn.last().get("code").asText());
        assertTrue(hub.rooms().isEmpty(), "no refused join created anything");
        a.say(json("type", "join", "userId", "u", "sessionId", "r"));
        assertEquals("joined", a.conn.last().get("type").asText());
        a.say(json("type", "join", "userId", "u", "sessionId", "r"));
        assertEquals("already_joined", a.conn.last().get("code").asText());
        assertTrue(hub.stats().totalErrors() >= 10);
    }

    @Test
    void pingIsAnswered() {
        Client a = connect();
        a.say(json("type", "ping"));
        assertEquals("pong", a.conn.last().get("type").asText());
    }

    @Test
    void withoutAMediaPlaneOffersAreUnsupported() {
        Client a = join("alice", "r1");
        a.say(json("type", "offer", "sdp", "v=0\r\n"));
        assertEquals("unsupported", a.conn.last().get("code").asText());
    }

    @Test
    void offersAnswersAndCandidatesReachTheRightPeerConnection() {
        List<String> calls = new ArrayList<>();
        hub.close();
        hub = SignalingHub.builder().reconnectGrace(Duration.ZERO).timer(timer).mediaFactory(
                (room, peer, user, signals) -> new PeerMedia() {
                    @Override
                    public void publisherOffer(String sdp) {
                        calls.add("pubOffer:" + sdp);
                        signals.sendAnswer(PcTarget.PUBLISHER, "answer-to-" + sdp);
                        signals.sendOffer(PcTarget.SUBSCRIBER, "sub-offer");
                    }

                    @Override
                    public void subscriberAnswer(String sdp) {
                        calls.add("subAnswer:" + sdp);
                    }

                    @Override
                    public void remoteCandidate(PcTarget target, String candidate, String mid, int index) {
                        calls.add("cand:" + target + ":" + candidate + ":" + mid + ":" + index);
                    }

                    @Override
                    public void close() {
                        calls.add("close");
                    }
                }).build();
        Client a = join("alice", "r1");
        a.say(json("type", "offer", "sdp", "o1"));
        List<JsonNode> all = a.conn.all();
        JsonNode answer = all.get(all.size() - 2);
        assertEquals("answer", answer.get("type").asText());
        assertEquals("publisher", answer.get("target").asText());
        assertEquals("answer-to-o1", answer.get("sdp").asText());
        assertEquals("subscriber", a.conn.last().get("target").asText());
        a.say(json("type", "answer", "sdp", "a1"));
        a.say(json("type", "answer", "sdp", "a2", "target", "subscriber"));
        a.say(json("type", "offer", "sdp", "o2", "target", "publisher"));
        a.say(json("type", "offer", "sdp", "o3", "target", "subscriber"));
        assertEquals("unsupported", a.conn.last().get("code").asText());
        a.say(json("type", "answer", "sdp", "a3", "target", "publisher"));
        assertEquals("unsupported", a.conn.last().get("code").asText());
        a.say(json("type", "answer", "sdp", "a4", "target", "both"));
        assertEquals("invalid_message", a.conn.last().get("code").asText());
        a.say(json("type", "candidate", "candidate", "candidate:1 1 udp 1 1.2.3.4 5 typ host", "sdpMid", "0",
                "sdpMLineIndex", 0));
        a.say(json("type", "candidate", "candidate", "", "sdpMid", "0", "target", "subscriber"));
        a.say(json("type", "candidate", "candidate", "x", "sdpMLineIndex", -3));
        assertEquals("invalid_message", a.conn.last().get("code").asText());
        a.session.onClose();
        assertEquals(List.of("pubOffer:o1", "subAnswer:a1", "subAnswer:a2", "pubOffer:o2",
                "cand:PUBLISHER:candidate:1 1 udp 1 1.2.3.4 5 typ host:0:0", "cand:SUBSCRIBER::0:-1", "close"), calls);
    }

    @Test
    void aPeerResumesWithinTheGracePeriodWithoutTheOthersNoticing() throws Exception {
        hub.close();
        hub = SignalingHub.builder().reconnectGrace(Duration.ofSeconds(30)).timer(timer).build();
        Client a = join("alice", "r1");
        Client b = join("bob", "r1");
        String token = b.conn.ofType("joined").get(0).get("resumeToken").asText();
        b.say(json("type", "media_state", "videoEnabled", true));
        a.conn.clear();
        b.session.onClose();
        assertTrue(a.conn.all().isEmpty(), "nobody sees a leave during the grace period");
        assertFalse(hub.room("r1").orElseThrow().peers().get(1).connected());
        Client b2 = connect();
        b2.say(json("type", "join", "userId", "bob", "sessionId", "r1", "resumeToken", token));
        JsonNode joined = b2.conn.ofType("joined").get(0);
        assertEquals(b.peerId(), joined.get("peerId").asText());
        assertTrue(joined.get("resumed").asBoolean());
        assertEquals(a.peerId(), b2.conn.ofType("peer_joined").get(0).get("peerId").asText(),
                "the resumed client gets the room again");
        assertTrue(a.conn.all().isEmpty(), "nobody sees a join either");
        assertTrue(hub.room("r1").orElseThrow().peers().get(1).state().videoEnabled(), "state is kept");
        assertEquals(1, hub.stats().resumes());
        // a wrong token joins as a new participant
        Client other = connect();
        other.say(json("type", "join", "userId", "bob", "sessionId", "r1", "resumeToken", "nope"));
        assertFalse(other.conn.ofType("joined").get(0).get("resumed").asBoolean());
    }

    @Test
    void resumingTakesOverAHalfOpenConnection() {
        hub.close();
        hub = SignalingHub.builder().reconnectGrace(Duration.ofSeconds(30)).timer(timer).build();
        Client b = join("bob", "r1");
        String token = b.conn.ofType("joined").get(0).get("resumeToken").asText();
        Client b2 = connect();
        b2.say(json("type", "join", "userId", "bob", "sessionId", "r1", "resumeToken", token));
        assertTrue(b2.conn.ofType("joined").get(0).get("resumed").asBoolean());
        assertEquals(4001, b.conn.closeCode);
        b.session.onClose();
        assertEquals(1, hub.room("r1").orElseThrow().peers().size(), "the old connection's close removes nothing");
    }

    @Test
    void theGracePeriodExpiresIntoPeerLeft() throws Exception {
        hub.close();
        hub = SignalingHub.builder().reconnectGrace(Duration.ofMillis(100)).timer(timer).build();
        Client a = join("alice", "r1");
        Client b = join("bob", "r1");
        b.session.onClose();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (a.conn.ofType("peer_left").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(b.peerId(), a.conn.ofType("peer_left").get(0).get("peerId").asText());
        assertEquals(1, hub.room("r1").orElseThrow().peers().size());
    }

    @Test
    void roomLimitIsEnforced() {
        hub.close();
        hub = SignalingHub.builder().reconnectGrace(Duration.ZERO).maxPeersPerRoom(2).timer(timer).build();
        join("a", "r");
        join("b", "r");
        Client c = join("c", "r");
        assertEquals("room_full", c.conn.last().get("code").asText());
        assertEquals(2, hub.room("r").orElseThrow().peers().size());
    }

    @Test
    void authenticatorDecidesAndMessagesWaitForAnAsynchronousJoin() {
        CompletableFuture<String> pending = new CompletableFuture<>();
        List<String> offers = new ArrayList<>();
        hub.close();
        hub = SignalingHub.builder().reconnectGrace(Duration.ZERO).timer(timer).authenticator(req -> {
            if ("bad".equals(req.token())) {
                return CompletableFuture.failedFuture(new SignalingException(SignalingException.UNAUTHORIZED,
                        "token expired"));
            }
            return pending.thenApply(v -> "verified-" + req.claimedUserId());
        }).mediaFactory((room, peer, user, signals) -> new PeerMedia() {
            @Override
            public void publisherOffer(String sdp) {
                offers.add(user + ":" + sdp);
            }
        }).build();
        Client refused = connect();
        refused.say(json("type", "join", "userId", "x", "sessionId", "r", "token", "bad"));
        assertEquals("unauthorized", refused.conn.last().get("code").asText());
        assertEquals("token expired", refused.conn.last().get("message").asText());
        Client a = connect();
        a.say(json("type", "join", "userId", "alice", "sessionId", "r", "token", "good"));
        a.say(json("type", "offer", "sdp", "o"));
        assertTrue(a.conn.all().isEmpty());
        pending.complete("ok");
        assertEquals("joined", a.conn.all().get(0).get("type").asText());
        assertEquals(List.of("verified-alice:o"), offers);
        assertEquals("verified-alice", hub.room("r").orElseThrow().peers().get(0).userId());
    }

    @Test
    void measuredSpeakingTakesPrecedenceAndIsBroadcast() {
        List<PeerSignals> signals = new ArrayList<>();
        hub.close();
        hub = SignalingHub.builder().reconnectGrace(Duration.ZERO).timer(timer).mediaFactory((room, peer, user, s) -> {
            signals.add(s);
            return new PeerMedia() {
            };
        }).build();
        Client a = join("alice", "r");
        Client b = join("bob", "r");
        b.conn.clear();
        signals.get(0).reportSpeaking(true);
        assertTrue(b.conn.last().get("speaking").asBoolean());
        assertEquals(a.peerId(), b.conn.last().get("peerId").asText());
        a.say(json("type", "media_state", "speaking", false));
        assertEquals(1, b.conn.all().size(), "the measured flag wins over the client's");
        signals.get(0).reportSpeaking(false);
        assertFalse(b.conn.last().get("speaking").asBoolean());
    }

    @Test
    void floodingClientIsRateLimited() {
        hub.close();
        hub = SignalingHub.builder().reconnectGrace(Duration.ZERO).timer(timer).messageRate(1, 5).build();
        Client a = connect();
        for (int i = 0; i < 10; i++) {
            a.say(json("type", "ping"));
        }
        assertEquals(5, a.conn.ofType("pong").size());
        assertEquals("rate_limited", a.conn.last().get("code").asText());
    }

    @Test
    void removePeerClosesItsConnectionAndTellsTheOthers() {
        Client a = join("alice", "r");
        Client b = join("bob", "r");
        assertTrue(hub.removePeer(b.peerId(), "kicked"));
        assertEquals(4000, b.conn.closeCode);
        assertEquals("peer_left", a.conn.last().get("type").asText());
        assertFalse(hub.removePeer(b.peerId(), "again"));
    }
}
