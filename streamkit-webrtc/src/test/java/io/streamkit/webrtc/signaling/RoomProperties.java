package io.streamkit.webrtc.signaling;

import static io.streamkit.webrtc.signaling.FakeConnection.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Stateful properties of rooms: after any sequence of joins, leaves, disconnects, resumes, grace
 * expiries, media-state changes, measured speaking and garbage from many clients, every connected
 * client's view of its room (built only from the messages it received) equals the room.
 */
class RoomProperties {
    private static final int SLOTS = 6;
    private static final List<String> ROOMS = List.of("red", "blue");
    /** Grace periods never expire during a chain; expiry is an explicit action. */
    private static final java.util.concurrent.ScheduledExecutorService TIMER = Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "room-properties-timer");
                t.setDaemon(true);
                return t;
            });

    /** A client slot: at most one connection at a time. */
    static final class Slot {
        FakeConnection conn;
        SignalingSession session;
        String room;
        String peerId;
        String resumeToken;
        boolean inGrace;
    }

    /** The system under test plus the clients. */
    static final class Model {
        final SignalingHub hub;
        final Slot[] slots = new Slot[SLOTS];
        final Map<String, PeerSignals> signals = new ConcurrentHashMap<>();

        Model() {
            hub = SignalingHub.builder().reconnectGrace(Duration.ofMinutes(10)).timer(TIMER).messageRate(1e6, 1_000_000)
                    .mediaFactory((room, peer, user, s) -> {
                        signals.put(peer, s);
                        return new PeerMedia() {
                        };
                    }).build();
            for (int i = 0; i < SLOTS; i++) {
                slots[i] = new Slot();
            }
        }

        void join(int i, String room) {
            Slot s = slots[i];
            if (s.conn != null) {
                s.session.onMessage(json("type", "join", "userId", "u" + i, "sessionId", room));
                return; // already joined (refused) or joining another room (refused)
            }
            s.conn = new FakeConnection();
            s.session = hub.connect(s.conn);
            if (s.inGrace) {
                s.session.onMessage(json("type", "join", "userId", "u" + i, "sessionId", s.room, "resumeToken",
                        s.resumeToken));
                JsonNode joined = s.conn.ofType("joined").get(0);
                assertTrue(joined.get("resumed").asBoolean(), "resume within the grace period");
                assertEquals(s.peerId, joined.get("peerId").asText());
                s.inGrace = false;
                return;
            }
            s.session.onMessage(json("type", "join", "userId", "u" + i, "sessionId", room));
            JsonNode joined = s.conn.ofType("joined").get(0);
            s.room = room;
            s.peerId = joined.get("peerId").asText();
            s.resumeToken = joined.get("resumeToken").asText();
        }

        void leave(int i) {
            Slot s = slots[i];
            if (s.conn == null || s.peerId == null) {
                return;
            }
            s.session.onMessage(json("type", "leave"));
            s.session.onClose();
            reset(s);
        }

        void disconnect(int i) {
            Slot s = slots[i];
            if (s.conn == null) {
                return;
            }
            s.session.onClose();
            s.conn = null;
            s.session = null;
            s.inGrace = s.peerId != null;
        }

        void expire(int i) {
            Slot s = slots[i];
            if (!s.inGrace) {
                return;
            }
            assertTrue(hub.removePeer(s.peerId, "grace expired"));
            reset(s);
        }

        void media(int i, boolean audio, boolean video, boolean screen) {
            Slot s = slots[i];
            if (s.conn != null) {
                s.session.onMessage(json("type", "media_state", "audioEnabled", audio, "videoEnabled", video,
                        "screenEnabled", screen));
            }
        }

        void speak(int i, boolean speaking) {
            Slot s = slots[i];
            if (s.peerId != null) {
                signals.get(s.peerId).reportSpeaking(speaking);
            }
        }

        void garbage(int i, String text) {
            Slot s = slots[i];
            if (s.conn != null) {
                int before = s.conn.ofType("error").size();
                s.session.onMessage(text);
                assertEquals(before + 1, s.conn.ofType("error").size(), "garbage is answered with one error: " + text);
            }
        }

        private static void reset(Slot s) {
            s.conn = null;
            s.session = null;
            s.room = null;
            s.peerId = null;
            s.resumeToken = null;
            s.inGrace = false;
        }

        /** Every connected client's view equals its room; the hub holds exactly the joined slots. */
        void check() {
            for (String room : ROOMS) {
                Map<String, MediaState> truth = new LinkedHashMap<>();
                hub.room(room).ifPresent(r -> r.peers().forEach(p -> truth.put(p.peerId(), p.state())));
                List<String> expectedIds = new ArrayList<>();
                for (Slot s : slots) {
                    if (room.equals(s.room) && s.peerId != null) {
                        expectedIds.add(s.peerId);
                    }
                }
                assertEquals(expectedIds.stream().sorted().toList(), truth.keySet().stream().sorted().toList(),
                        "members of " + room);
                for (Slot s : slots) {
                    if (s.conn != null && room.equals(s.room) && s.peerId != null) {
                        Map<String, MediaState> expected = new LinkedHashMap<>(truth);
                        expected.remove(s.peerId);
                        assertEquals(expected, view(s.conn), "view of " + s.peerId + " in " + room);
                    }
                }
            }
            if (hub.rooms().stream().anyMatch(r -> r.peers().isEmpty())) {
                throw new AssertionError("an empty room was kept");
            }
        }

        static Map<String, MediaState> view(FakeConnection conn) {
            Map<String, MediaState> view = new LinkedHashMap<>();
            for (JsonNode m : conn.all()) {
                switch (m.get("type").asText()) {
                    case "joined" -> view.clear();
                    case "peer_joined", "media_state" -> view.put(m.get("peerId").asText(), new MediaState(m.get(
                            "audioEnabled").asBoolean(), m.get("videoEnabled").asBoolean(), m.get("screenEnabled")
                                    .asBoolean(),
                            m.get("speaking").asBoolean()));
                    case "peer_left" -> view.remove(m.get("peerId").asText());
                    default -> {
                    }
                }
            }
            return view;
        }
    }

    @Property(tries = 200)
    void everyClientSeesItsRoomAsItIs(@ForAll("chains") ActionChain<Model> chain) {
        chain.withInvariant(Model::check).run();
    }

    @Provide
    Arbitrary<ActionChain<Model>> chains() {
        return ActionChain.startWith(Model::new)
                .withAction(3, new Act((i, b, r) -> Transformer.mutate("join " + i + " " + r, m -> m.join(i, r))))
                .withAction(1, new Act((i, b, r) -> Transformer.mutate("leave " + i, m -> m.leave(i))))
                .withAction(1, new Act((i, b, r) -> Transformer.mutate("disconnect " + i, m -> m.disconnect(i))))
                .withAction(1, new Act((i, b, r) -> Transformer.mutate("expire " + i, m -> m.expire(i))))
                .withAction(2, new Act((i, b, r) -> Transformer.mutate("media " + i + " " + b, m -> m.media(i, b,
                        !b, r.equals("red")))))
                .withAction(1, new Act((i, b, r) -> Transformer.mutate("speak " + i + " " + b, m -> m.speak(i, b))))
                .withAction(1, new Garbage())
                .withMaxTransformations(60);
    }

    @FunctionalInterface
    interface Make {
        Transformer<Model> make(int slot, boolean flag, String room);
    }

    /** An action on a random slot, with a random flag and room. */
    static final class Act implements Action.Independent<Model> {
        private final Make make;

        Act(Make make) {
            this.make = make;
        }

        @Override
        public Arbitrary<Transformer<Model>> transformer() {
            return Combinators.combine(Arbitraries.integers().between(0, SLOTS - 1), Arbitraries.of(true, false),
                    Arbitraries.of(ROOMS)).as(make::make);
        }
    }

    /** Malformed or invalid messages. */
    static final class Garbage implements Action.Independent<Model> {
        @Override
        public Arbitrary<Transformer<Model>> transformer() {
            Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                    Arbitraries.of("{}", "[]", "null", "{\"type\":\"nope\"}",
                            "{\"type\":\"media_state\",\"audioEnabled\":1}",
                            "{\"type\":\"join\",\"userId\":\"\",\"sessionId\":\"x\"}",
                            "{\"type\":\"media_state\",\"peerId\":\"someone-else\"}"));
            return Combinators.combine(Arbitraries.integers().between(0, SLOTS - 1), text)
                    .as((i, t) -> Transformer.mutate("garbage " + i + " " + t, m -> m.garbage(i, t)));
        }
    }

    /**
     * The same invariant after concurrent chaos: eight threads join, leave, mute and disconnect
     * at once; when they are done, every connected client's view equals its room.
     */
    @Property(tries = 20)
    void concurrentClientsEndConsistent(@ForAll long seed) throws Exception {
        SignalingHub hub = SignalingHub.builder().reconnectGrace(Duration.ZERO).messageRate(1e6, 1_000_000).build();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<FakeConnection> live = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<FakeConnection, String> roomOf = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(seed + t);
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                FakeConnection conn = null;
                SignalingSession session = null;
                for (int step = 0; step < 200; step++) {
                    int op = random.nextInt(10);
                    if (conn == null) {
                        conn = new FakeConnection();
                        session = hub.connect(conn);
                        String room = ROOMS.get(random.nextInt(ROOMS.size()));
                        session.onMessage(json("type", "join", "userId", "t" + thread, "sessionId", room));
                        roomOf.put(conn, room);
                    } else if (op < 2) {
                        session.onClose();
                        roomOf.remove(conn);
                        conn = null;
                    } else {
                        session.onMessage(json("type", "media_state", "audioEnabled", random.nextBoolean(),
                                "videoEnabled", random.nextBoolean()));
                    }
                }
                if (conn != null) {
                    live.add(conn);
                }
                return null;
            }));
        }
        start.countDown();
        for (var f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (FakeConnection conn : live) {
            String room = roomOf.get(conn);
            String self = conn.ofType("joined").get(0).get("peerId").asText();
            Map<String, MediaState> truth = new LinkedHashMap<>();
            hub.room(room).orElseThrow().peers().forEach(p -> truth.put(p.peerId(), p.state()));
            truth.remove(self);
            assertEquals(truth, Model.view(conn), "view of " + self);
        }
        assertEquals(live.size(), hub.stats().peers());
        hub.close();
    }
}
