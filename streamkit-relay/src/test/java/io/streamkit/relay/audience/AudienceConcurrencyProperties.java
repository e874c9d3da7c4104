package io.streamkit.relay.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.relay.audience.AudienceException.Code;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Presence and chat ordering under concurrency: viewers, each driven by its own random chain of
 * join / leave / chat / close-and-resume actions on two connections, run on several threads at once
 * against one stream. Each chain is checked against a sequential model of its own user, and the
 * views of every connection are checked against each other and against the room.
 */
class AudienceConcurrencyProperties {
    private static final int USERS = 6;
    private static final int THREADS = 3;

    enum Kind {
        JOIN, LEAVE, CHAT, CLOSE
    }

    record Action(int slot, Kind kind) {
    }

    @Provide
    Arbitrary<List<List<Action>>> chains() {
        Arbitrary<Action> action = Arbitraries.integers().between(0, 1).flatMap(slot -> Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.JOIN)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.LEAVE)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.CHAT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.CLOSE))).map(k -> new Action(slot, k)));
        return action.list().ofMinSize(1).ofMaxSize(40).list().ofSize(USERS);
    }

    /** What one connection slot of a user holds while its chain runs. */
    private static final class Slot {
        AudienceConnection connection;
        RecordingSink sink;
        boolean joined;
        final List<RecordingSink> closedSinks = new ArrayList<>();
        final Map<RecordingSink, Integer> sizeAtClose = new HashMap<>();
    }

    @Property(tries = 60)
    void presenceAndChatStayConsistent(@ForAll("chains") List<List<Action>> chains) throws Exception {
        Audience audience = Audience.builder().historySize(5).chatRateLimit(1_000_000, Duration.ofSeconds(1))
                .build();
        RecordingSink ownerSink = new RecordingSink();
        AudienceConnection owner = audience.connect(ownerSink);
        String key = owner.register("owner", AudienceRole.STREAMER).user().streamKey();
        owner.join(key);

        String[] tokens = new String[USERS];
        Slot[][] slots = new Slot[USERS][2];
        for (int u = 0; u < USERS; u++) {
            for (int s = 0; s < 2; s++) {
                Slot slot = new Slot();
                slot.sink = new RecordingSink();
                slot.connection = audience.connect(slot.sink);
                slots[u][s] = slot;
            }
            tokens[u] = slots[u][0].connection.register("viewer" + u, AudienceRole.VIEWER).token();
            slots[u][1].connection.resume(tokens[u]);
        }

        Set<Long> sentIds = ConcurrentHashMap.newKeySet();
        Map<Long, String> sentContent = new ConcurrentHashMap<>();
        boolean[] finallyJoined = new boolean[USERS];
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                runs.add(pool.submit(() -> {
                    start.await();
                    // this thread runs the chains of users t, t+THREADS, ... interleaved step by step
                    int longest = 0;
                    for (int u = first; u < USERS; u += THREADS) {
                        longest = Math.max(longest, chains.get(u).size());
                    }
                    for (int step = 0; step < longest; step++) {
                        for (int u = first; u < USERS; u += THREADS) {
                            if (step < chains.get(u).size()) {
                                apply(audience, key, u, tokens[u], slots[u], chains.get(u).get(step), step, sentIds,
                                        sentContent);
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : runs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        int expectedViewers = 0;
        for (int u = 0; u < USERS; u++) {
            finallyJoined[u] = slots[u][0].joined || slots[u][1].joined;
            expectedViewers += finallyJoined[u] ? 1 : 0;
        }
        assertEquals(expectedViewers, audience.stream(key).orElseThrow().viewerCount(), "room count vs model");

        // the owner's VIEWER_JOINED / VIEWER_LEFT counts step by one, per user they alternate
        int count = 0;
        Map<String, Boolean> seen = new HashMap<>();
        for (AudienceEvent e : ownerSink.events()) {
            if (e instanceof AudienceEvent.ViewerJoined j) {
                assertEquals(count + 1, j.viewerCount(), "joined count steps +1");
                count = j.viewerCount();
                assertTrue(seen.put(j.viewer().username(), true) != Boolean.TRUE, "joined twice in a row");
            } else if (e instanceof AudienceEvent.ViewerLeft l) {
                assertEquals(count - 1, l.viewerCount(), "left count steps -1");
                count = l.viewerCount();
                assertEquals(Boolean.TRUE, seen.put(l.viewer().username(), false), "left without joining");
            }
        }
        assertEquals(expectedViewers, count, "owner's last count");
        for (int u = 0; u < USERS; u++) {
            assertEquals(finallyJoined[u], seen.getOrDefault("viewer" + u, false), "owner's view of viewer" + u);
        }

        // the owner, a member throughout, got every message once, in id order
        List<Long> ownerIds = checkSinkOrder(ownerSink, key, sentContent);
        assertEquals(sentIds, new HashSet<>(ownerIds));
        assertEquals(sentIds.size(), ownerIds.size());

        for (Slot[] user : slots) {
            for (Slot slot : user) {
                checkSinkOrder(slot.sink, key, sentContent);
                for (RecordingSink closed : slot.closedSinks) {
                    checkSinkOrder(closed, key, sentContent);
                    assertEquals(slot.sizeAtClose.get(closed), closed.events().size(), "nothing after close");
                }
            }
        }
        assertEquals(Map.of(), audience.stats().errors().entrySet().stream()
                .filter(e -> e.getKey() != Code.NOT_A_MEMBER).collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, Map.Entry::getValue)),
                "only the model's expected refusals");
        audience.close();
    }

    private static void apply(Audience audience, String key, int user, String token, Slot[] slots, Action a,
            int step, Set<Long> sentIds, Map<Long, String> sentContent) {
        Slot slot = slots[a.slot()];
        switch (a.kind()) {
            case JOIN -> {
                slot.connection.join(key);
                slot.joined = true;
            }
            case LEAVE -> {
                if (slot.joined) {
                    slot.connection.leave(key);
                    slot.joined = false;
                } else {
                    expectNotAMember(() -> slot.connection.leave(key));
                }
            }
            case CHAT -> {
                String content = "u" + user + "s" + a.slot() + "#" + step;
                if (slot.joined) {
                    ChatMessage m = slot.connection.sendChat(key, content);
                    assertEquals(content, m.content());
                    sentIds.add(m.id());
                    sentContent.put(m.id(), content);
                    List<Long> own = slot.sink.of(AudienceEvent.ChatBroadcast.class).stream()
                            .map(b -> b.message().id()).toList();
                    assertTrue(own.contains(m.id()), "the sender receives its own message before the call returns");
                } else {
                    expectNotAMember(() -> slot.connection.sendChat(key, content));
                }
            }
            case CLOSE -> {
                slot.connection.close();
                slot.closedSinks.add(slot.sink);
                slot.sizeAtClose.put(slot.sink, slot.sink.events().size());
                slot.joined = false;
                slot.sink = new RecordingSink();
                slot.connection = audience.connect(slot.sink);
                slot.connection.resume(token);
            }
        }
    }

    private static void expectNotAMember(Runnable call) {
        try {
            call.run();
            throw new AssertionError("expected NOT_A_MEMBER");
        } catch (AudienceException e) {
            assertEquals(Code.NOT_A_MEMBER, e.code());
        }
    }

    /**
     * Within each membership (STREAM_JOINED ... STREAM_LEFT) history then broadcasts are in strictly
     * increasing id order with the content that was sent; outside a membership nothing arrives.
     */
    private static List<Long> checkSinkOrder(RecordingSink sink, String key, Map<Long, String> sentContent) {
        List<Long> broadcastIds = new ArrayList<>();
        boolean member = false;
        long last = -1;
        for (AudienceEvent e : sink.events()) {
            if (e instanceof AudienceEvent.StreamJoined j) {
                if (!member) {
                    last = -1;
                    for (ChatMessage m : j.history()) {
                        assertTrue(m.id() > last, "history in order");
                        last = m.id();
                    }
                }
                member = true;
            } else if (e instanceof AudienceEvent.StreamLeft) {
                member = false;
            } else if (e instanceof AudienceEvent.ChatBroadcast b) {
                assertTrue(member, "a chat message outside a membership");
                assertEquals(key, b.message().streamKey());
                assertTrue(b.message().id() > last, "ids strictly increase: " + b.message().id() + " after " + last);
                last = b.message().id();
                assertEquals(sentContent.get(last), b.message().content(), "same content for one id everywhere");
                broadcastIds.add(last);
            }
        }
        return broadcastIds;
    }
}
