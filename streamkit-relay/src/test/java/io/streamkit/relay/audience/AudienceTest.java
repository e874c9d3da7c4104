package io.streamkit.relay.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.relay.audience.AudienceException.Code;
import io.streamkit.relay.rtmp.RtmpAuthenticator;
import io.streamkit.relay.rtmp.RtmpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AudienceTest {
    private final AtomicLong now = new AtomicLong();
    private final Audience audience = Audience.builder().historySize(3).maxMessageLength(20)
            .chatRateLimit(2, Duration.ofSeconds(1)).nanoTime(now::get).build();

    private record Client(AudienceConnection c, RecordingSink sink) {
    }

    private Client client() {
        RecordingSink sink = new RecordingSink();
        return new Client(audience.connect(sink), sink);
    }

    private static void refused(Code code, Executable call) {
        AudienceException e = assertThrows(AudienceException.class, call);
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void streamerGetsAKeyAndSecretsViewerDoesNot() {
        Client s = client();
        Registration r = s.c().register("Alice", AudienceRole.STREAMER);
        assertNotNull(r.user().streamKey());
        assertTrue(r.user().streamKey().length() >= 22, "128 random bits, base64url");
        assertTrue(r.user().streamKey().matches("[A-Za-z0-9_-]+"));
        assertNotNull(r.publishSecret());
        assertNotEquals(r.token(), r.publishSecret());
        AudienceEvent.UserRegistered reply = assertInstanceOf(AudienceEvent.UserRegistered.class, s.sink().last());
        assertEquals(r.token(), reply.token());
        assertEquals(Map.of(), audience.stats().errors());

        Client v = client();
        Registration rv = v.c().register("bob", AudienceRole.VIEWER);
        assertNull(rv.user().streamKey());
        assertNull(rv.publishSecret());
        assertTrue(audience.stream(r.user().streamKey()).isPresent());
        assertEquals(1, audience.stats().streams());
    }

    @Test
    void viewersJoinTheStreamerSeesThemAndTheCount() {
        Client s = client();
        String key = s.c().register("alice", AudienceRole.STREAMER).user().streamKey();
        Client v1 = client();
        Client v2 = client();
        v1.c().register("bob", AudienceRole.VIEWER);
        v2.c().register("carol", AudienceRole.VIEWER);

        AudienceEvent.StreamJoined j1 = v1.c().join(key);
        assertEquals(1, j1.viewerCount());
        assertFalse(j1.owner());
        assertEquals(List.of(), j1.viewers(), "viewers do not get the list");
        v2.c().join(key);
        List<AudienceEvent.ViewerJoined> joined = s.sink().of(AudienceEvent.ViewerJoined.class);
        assertEquals(List.of("bob", "carol"), joined.stream().map(e -> e.viewer().username()).toList());
        assertEquals(List.of(1, 2), joined.stream().map(AudienceEvent.ViewerJoined::viewerCount).toList());

        // the owner joining its own stream gets the viewer list
        AudienceEvent.StreamJoined own = s.c().join(key);
        assertTrue(own.owner());
        assertEquals(List.of("bob", "carol"), own.viewers().stream().map(AudienceUser::username).toList());
        assertEquals(2, audience.stream(key).orElseThrow().viewerCount());

        v2.c().close();
        AudienceEvent.ViewerLeft left = assertInstanceOf(AudienceEvent.ViewerLeft.class, s.sink().last());
        assertEquals("carol", left.viewer().username());
        assertEquals(1, left.viewerCount());
    }

    @Test
    void aViewerWithTwoConnectionsCountsOnce() {
        Client s = client();
        String key = s.c().register("alice", AudienceRole.STREAMER).user().streamKey();
        Client tab1 = client();
        Registration r = tab1.c().register("bob", AudienceRole.VIEWER);
        Client tab2 = client();
        assertEquals(r.user(), tab2.c().resume(r.token()));
        tab1.c().join(key);
        tab2.c().join(key);
        tab2.c().join(key); // twice: answered again, not counted again
        assertEquals(1, audience.stream(key).orElseThrow().viewerCount());
        assertEquals(1, s.sink().of(AudienceEvent.ViewerJoined.class).size());
        tab1.c().leave(key);
        assertEquals(0, s.sink().of(AudienceEvent.ViewerLeft.class).size(), "bob still watches in tab 2");
        tab2.c().close();
        assertEquals(1, s.sink().of(AudienceEvent.ViewerLeft.class).size());
        assertEquals(0, audience.stream(key).orElseThrow().viewerCount());
    }

    @Test
    void chatReachesEveryMemberInOrderWithHistoryForLateJoiners() {
        Client s = client();
        String key = s.c().register("alice", AudienceRole.STREAMER).user().streamKey();
        Client v = client();
        v.c().register("bob", AudienceRole.VIEWER);
        v.c().join(key);
        now.addAndGet(10_000_000_000L);
        for (int i = 1; i <= 4; i++) {
            (i % 2 == 0 ? s : v).c().sendChat(key, "m" + i);
            now.addAndGet(1_000_000_000L);
        }
        List<Long> ids = v.sink().of(AudienceEvent.ChatBroadcast.class).stream().map(e -> e.message().id()).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L), ids);
        assertEquals(v.sink().of(AudienceEvent.ChatBroadcast.class), s.sink().of(AudienceEvent.ChatBroadcast.class));

        Client late = client();
        late.c().register("carol", AudienceRole.VIEWER);
        AudienceEvent.StreamJoined j = late.c().join(key);
        assertEquals(List.of("m2", "m3", "m4"), j.history().stream().map(ChatMessage::content).toList(),
                "the last 3 (history size)");
        assertEquals("alice", j.history().get(0).from().username());
    }

    @Test
    void nothingOfAStreamArrivesAfterLeavingIt() {
        Client s = client();
        String key = s.c().register("alice", AudienceRole.STREAMER).user().streamKey();
        Client v = client();
        v.c().register("bob", AudienceRole.VIEWER);
        v.c().join(key);
        s.c().sendChat(key, "before");
        v.c().leave(key);
        now.addAndGet(5_000_000_000L);
        s.c().sendChat(key, "after");
        List<AudienceEvent> got = v.sink().events();
        assertInstanceOf(AudienceEvent.StreamLeft.class, got.get(got.size() - 1));
        assertEquals(List.of("before"), v.sink().of(AudienceEvent.ChatBroadcast.class).stream()
                .map(e -> e.message().content()).toList());
        refused(Code.NOT_A_MEMBER, () -> v.c().sendChat(key, "x"));
        refused(Code.NOT_A_MEMBER, () -> v.c().leave(key));
    }

    @Test
    void everyRefusalHasItsCodeAndIsCounted() {
        Client s = client();
        String key = s.c().register("alice", AudienceRole.STREAMER).user().streamKey();
        Client v = client();
        refused(Code.NOT_REGISTERED, () -> v.c().join(key));
        refused(Code.NOT_REGISTERED, () -> v.c().sendChat(key, "hi"));
        refused(Code.INVALID_FIELD, () -> v.c().register("", AudienceRole.VIEWER));
        refused(Code.INVALID_FIELD, () -> v.c().register("x".repeat(33), AudienceRole.VIEWER));
        refused(Code.INVALID_FIELD, () -> v.c().register("bad<name>", AudienceRole.VIEWER));
        refused(Code.MISSING_FIELD, () -> v.c().register(null, AudienceRole.VIEWER));
        refused(Code.USERNAME_TAKEN, () -> v.c().register("ALICE", AudienceRole.VIEWER));
        refused(Code.UNKNOWN_TOKEN, () -> v.c().resume("nope"));
        refused(Code.FIELD_TOO_LONG, () -> v.c().resume("t".repeat(65)));
        v.c().register("bob", AudienceRole.VIEWER);
        refused(Code.ALREADY_REGISTERED, () -> v.c().register("bob2", AudienceRole.VIEWER));
        refused(Code.UNKNOWN_STREAM, () -> v.c().join("no-such-key"));
        refused(Code.MISSING_FIELD, () -> v.c().join(""));
        refused(Code.FIELD_TOO_LONG, () -> v.c().join("k".repeat(65)));
        refused(Code.NOT_A_MEMBER, () -> v.c().sendChat(key, "hi"));
        v.c().join(key);
        refused(Code.INVALID_FIELD, () -> v.c().sendChat(key, "   "));
        refused(Code.MISSING_FIELD, () -> v.c().sendChat(key, null));
        refused(Code.MESSAGE_TOO_LONG, () -> v.c().sendChat(key, "x".repeat(21)));
        v.c().sendChat(key, "one");
        v.c().sendChat(key, "two");
        AudienceException limited = assertThrows(AudienceException.class, () -> v.c().sendChat(key, "three"));
        assertEquals(Code.RATE_LIMITED, limited.code());
        assertTrue(limited.getMessage().contains("retry in 500 ms"), limited.getMessage());
        now.addAndGet(500_000_000L);
        v.c().sendChat(key, "three");

        Map<Code, Long> errors = audience.stats().errors();
        assertEquals(4L, errors.get(Code.INVALID_FIELD));
        assertEquals(3L, errors.get(Code.MISSING_FIELD));
        assertEquals(1L, errors.get(Code.RATE_LIMITED));
        assertEquals(3L, audience.stats().chatMessages());
        // the refusals changed nothing: bob is one viewer, the chat has 3 messages
        assertEquals(1, audience.stream(key).orElseThrow().viewerCount());
    }

    @Test
    void theModeratorAcceptsRejectsAndRewrites() {
        Audience moderated = Audience.builder().moderator((sender, key, content) -> {
            if (content.contains("spam")) {
                return ChatModerator.Verdict.reject("no spam here");
            }
            if (content.contains("boom")) {
                throw new IllegalStateException("moderator bug");
            }
            return content.contains("darn")
                    ? ChatModerator.Verdict.rewrite(content.replace("darn", "****"))
                    : ChatModerator.Verdict.accept();
        }).build();
        RecordingSink sink = new RecordingSink();
        AudienceConnection s = moderated.connect(sink);
        String key = s.register("alice", AudienceRole.STREAMER).user().streamKey();
        assertEquals("well ****", s.sendChat(key, "well darn").content());
        AudienceException e = assertThrows(AudienceException.class, () -> s.sendChat(key, "buy spam"));
        assertEquals(Code.REJECTED_BY_MODERATION, e.code());
        assertEquals("no spam here", e.getMessage());
        assertEquals(Code.REJECTED_BY_MODERATION, assertThrows(AudienceException.class,
                () -> s.sendChat(key, "boom")).code());
        assertEquals(List.of("well ****"), sink.of(AudienceEvent.ChatBroadcast.class).stream()
                .map(b -> b.message().content()).toList());
    }

    @Test
    void viewerLimitRefusesTheNextDistinctViewer() {
        Audience small = Audience.builder().maxViewersPerStream(1).build();
        AudienceConnection s = small.connect(new RecordingSink());
        String key = s.register("alice", AudienceRole.STREAMER).user().streamKey();
        AudienceConnection a = small.connect(new RecordingSink());
        a.register("bob", AudienceRole.VIEWER);
        a.join(key);
        AudienceConnection b = small.connect(new RecordingSink());
        b.register("carol", AudienceRole.VIEWER);
        assertEquals(Code.STREAM_FULL, assertThrows(AudienceException.class, () -> b.join(key)).code());
        a.close();
        b.join(key);
    }

    @Test
    void onlyTheOwnerPublishesWithItsSecret() {
        Client s = client();
        Registration r = s.c().register("alice", AudienceRole.STREAMER);
        Client v = client();
        Registration viewer = v.c().register("bob", AudienceRole.VIEWER);
        RtmpAuthenticator auth = audience.rtmpAuthenticator();
        String key = r.user().streamKey();
        assertTrue(auth.authorize(publish("live/" + key, r.publishSecret())));
        assertFalse(auth.authorize(publish("live/" + key, null)), "no secret");
        assertFalse(auth.authorize(publish("live/" + key, viewer.token())), "a viewer's token is not the secret");
        assertFalse(auth.authorize(publish("live/" + key, r.token())), "the resume token is not the secret");
        assertFalse(auth.authorize(publish("live/unknown", r.publishSecret())));
        assertFalse(auth.authorize(publish("other/" + key, r.publishSecret())));
        assertTrue(auth.authorize(new RtmpRequest(RtmpRequest.Action.PLAY, "live", key, "live/" + key, Map.of(),
                null, null)));
        assertEquals(5, audience.stats().publishRejected());
    }

    private static RtmpRequest publish(String path, String secret) {
        int slash = path.indexOf('/');
        return new RtmpRequest(RtmpRequest.Action.PUBLISH, path.substring(0, slash), path.substring(slash + 1), path,
                secret == null ? Map.of() : Map.of("secret", secret), null, null);
    }

    @Test
    void liveAndOfflineReachEveryConnectionAndTheList() {
        Client s = client();
        String key = s.c().register("alice", AudienceRole.STREAMER).user().streamKey();
        Client other = client();
        Client s2 = client();
        s2.c().register("dave", AudienceRole.STREAMER);
        assertTrue(audience.setLive(key, true));
        assertFalse(audience.setLive("nope", true));
        AudienceEvent.StreamStatus st = assertInstanceOf(AudienceEvent.StreamStatus.class, other.sink().last());
        assertEquals("STREAM_LIVE", st.type());
        assertEquals("alice", st.stream().streamer());
        List<StreamInfo> list = other.c().listStreams();
        assertEquals(List.of("alice", "dave"), list.stream().map(StreamInfo::streamer).toList(), "live first");
        audience.setLive(key, false);
        assertEquals("STREAM_OFFLINE", other.sink().last().type());
        assertEquals(2, audience.stats().streams());
        assertEquals(0, audience.stats().liveStreams());
    }
}
