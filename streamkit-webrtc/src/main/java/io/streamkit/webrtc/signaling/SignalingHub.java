package io.streamkit.webrtc.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamkit.api.AsyncCloseable;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms, participants and the signaling protocol of the SFU, independent of the transport that
 * carries the messages (the {@link SignalingServer} WebSocket, or an integrator's own channel
 * through {@link #connect(SignalingConnection)}).
 *
 * <p>Protocol (JSON objects with a {@code type}; strings are 1 to 256 characters, a message at most
 * 64 KiB):
 * <ul>
 *   <li>{@code join {userId, sessionId[, token][, resumeToken][, audioEnabled, videoEnabled,
 *       screenEnabled]}}: the room {@code sessionId} is created if needed; the client gets
 *       {@code joined {peerId, resumeToken, resumed}}, then one {@code peer_joined} per participant
 *       already there; those participants get a {@code peer_joined} for the newcomer.</li>
 *   <li>{@code media_state {[peerId,] audioEnabled, videoEnabled, screenEnabled[, speaking]}}: a
 *       change is broadcast to every other participant. {@code speaking} measured by the media
 *       plane (audio level) takes precedence over the client's flag.</li>
 *   <li>{@code offer}/{@code answer {sdp[, target]}} and {@code candidate {candidate, sdpMid,
 *       sdpMLineIndex[, target]}}: {@code target} is {@code "publisher"} or {@code "subscriber"};
 *       without it, a client's offer (and the server's answer) belongs to the publisher connection,
 *       and a client's answer (and the server's offer) to the subscriber connection. A candidate
 *       without a target belongs to the publisher connection.</li>
 *   <li>{@code leave {}} leaves at once; {@code ping {}} is answered with {@code pong}.</li>
 *   <li>Any refused message is answered with {@code error {code, message[, requestType]}} (see
 *       {@link SignalingException} for the codes) and changes nothing.</li>
 * </ul>
 * When a connection closes, its participant stays in the room for the reconnect grace period: a
 * {@code join} with the {@code resumeToken} of {@code joined} within that time resumes it under
 * the same {@code peerId}, and the other participants see nothing. After the grace period its
 * media is closed, the others get {@code peer_left} and an empty room is deleted.
 *
 * <p>Thread-safe. Room membership changes are serialized on one lock; messages are written to the
 * connections while it is held so that every client sees changes in the same order.
 */
public final class SignalingHub implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingHub.class);
    private static final int MAX_TOKEN = 4096;
    private static final int MAX_QUEUED_WHILE_JOINING = 64;

    private final Duration reconnectGrace;
    private final int maxPeersPerRoom;
    private final int maxRooms;
    private final double messagesPerSecond;
    private final int messageBurst;
    private final PeerAuthenticator authenticator;
    private final PeerMediaFactory mediaFactory;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final SecureRandom random = new SecureRandom();

    private final Object lock = new Object();
    private final Map<String, Room> rooms = new LinkedHashMap<>();
    private final Map<String, Peer> peersByResumeToken = new HashMap<>();
    private boolean closed;

    private final AtomicInteger openConnections = new AtomicInteger();
    private final LongAdder joins = new LongAdder();
    private final LongAdder resumes = new LongAdder();
    private final LongAdder leaves = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

    private SignalingHub(Builder b) {
        this.reconnectGrace = b.reconnectGrace;
        this.maxPeersPerRoom = b.maxPeersPerRoom;
        this.maxRooms = b.maxRooms;
        this.messagesPerSecond = b.messagesPerSecond;
        this.messageBurst = b.messageBurst;
        this.authenticator = b.authenticator;
        this.mediaFactory = b.mediaFactory;
        if (b.timer != null) {
            this.timer = b.timer;
            this.ownsTimer = false;
        } else {
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "streamkit-signaling-timer");
                t.setDaemon(true);
                return t;
            });
            this.ownsTimer = true;
        }
    }

    /** @return a builder with the defaults: 10 s reconnect grace, 100 peers per room, 10,000 rooms */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Attaches a client connection.
     *
     * @param connection the transport side
     * @return the session the transport feeds with messages
     */
    public SignalingSession connect(SignalingConnection connection) {
        Objects.requireNonNull(connection, "connection");
        openConnections.incrementAndGet();
        return new Session(connection);
    }

    /** @return a snapshot of every room */
    public List<RoomInfo> rooms() {
        synchronized (lock) {
            List<RoomInfo> result = new ArrayList<>(rooms.size());
            for (Room room : rooms.values()) {
                result.add(room.info());
            }
            return result;
        }
    }

    /**
     * @param roomId a room id
     * @return a snapshot of that room, if it exists
     */
    public Optional<RoomInfo> room(String roomId) {
        synchronized (lock) {
            Room room = rooms.get(roomId);
            return room == null ? Optional.empty() : Optional.of(room.info());
        }
    }

    /**
     * Removes a participant at once (moderation): its media is closed, the others get
     * {@code peer_left}, and its connection is closed with code 4000 and the reason.
     *
     * @param peerId the participant
     * @param reason a short reason sent in the close frame
     * @return whether such a participant existed
     */
    public boolean removePeer(String peerId, String reason) {
        Peer peer;
        synchronized (lock) {
            peer = findPeer(peerId);
            if (peer == null) {
                return false;
            }
        }
        Session session = peer.session;
        remove(peer, "removed: " + reason);
        if (session != null) {
            session.connection.close(4000, reason);
        }
        return true;
    }

    /** @return the counters */
    public SignalingStats stats() {
        int peerCount;
        int roomCount;
        synchronized (lock) {
            roomCount = rooms.size();
            peerCount = rooms.values().stream().mapToInt(r -> r.peers.size()).sum();
        }
        Map<String, Long> errorCounts = new HashMap<>();
        errors.forEach((code, adder) -> errorCounts.put(code, adder.sum()));
        return new SignalingStats(openConnections.get(), roomCount, peerCount, joins.sum(), resumes.sum(),
                leaves.sum(), messagesIn.sum(), messagesOut.sum(), errorCounts);
    }

    /** Removes every participant (closing their media and connections) and stops the timer. */
    @Override
    public CompletableFuture<Void> closeAsync() {
        List<Peer> all = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return closeFuture;
            }
            closed = true;
            for (Room room : rooms.values()) {
                all.addAll(room.peers.values());
            }
        }
        for (Peer peer : all) {
            Session session = peer.session;
            remove(peer, "server closing");
            if (session != null) {
                session.connection.close(1001, "server closing");
            }
        }
        if (ownsTimer) {
            timer.shutdownNow();
        }
        closeFuture.complete(null);
        return closeFuture;
    }

    private Peer findPeer(String peerId) {
        for (Room room : rooms.values()) {
            Peer peer = room.peers.get(peerId);
            if (peer != null) {
                return peer;
            }
        }
        return null;
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private String newPeerId() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private void countError(String code) {
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** Removes a participant: media closed, peer_left to the others, empty room deleted. */
    private void remove(Peer peer, String why) {
        synchronized (lock) {
            if (peer.removed) {
                return;
            }
            peer.removed = true;
            if (peer.expiry != null) {
                peer.expiry.cancel(false);
                peer.expiry = null;
            }
            peersByResumeToken.remove(peer.resumeToken);
            Room room = peer.room;
            room.peers.remove(peer.id);
            ObjectNode left = Messages.message("peer_left");
            left.put("peerId", peer.id);
            room.broadcast(left, peer);
            if (room.peers.isEmpty()) {
                rooms.remove(room.id);
                log.debug("room {} deleted", room.id);
            }
            if (peer.session != null) {
                peer.session.peer = null;
                peer.session = null;
            }
            leaves.increment();
        }
        log.debug("room {} peer {} left ({})", peer.room.id, peer.id, why);
        closeMedia(peer);
    }

    private static void closeMedia(Peer peer) {
        PeerMedia media;
        synchronized (peer) {
            media = peer.media;
            peer.media = null;
        }
        if (media != null) {
            try {
                media.close();
            } catch (RuntimeException e) {
                log.warn("room {} peer {}: closing its media failed", peer.room.id, peer.id, e);
            }
        }
    }

    /** A room: participants in join order. Guarded by the hub's lock. */
    private final class Room {
        final String id;
        final Map<String, Peer> peers = new LinkedHashMap<>();

        Room(String id) {
            this.id = id;
        }

        RoomInfo info() {
            List<PeerInfo> list = new ArrayList<>(peers.size());
            for (Peer p : peers.values()) {
                list.add(p.info());
            }
            return new RoomInfo(id, list);
        }

        /** Sends to every connected participant except {@code except}. Call with the lock held. */
        void broadcast(ObjectNode message, Peer except) {
            String json = null;
            for (Peer p : peers.values()) {
                if (p != except && p.session != null) {
                    if (json == null) {
                        json = Messages.write(message);
                    }
                    p.session.send(json);
                }
            }
        }
    }

    /** A participant. Fields other than {@code media} are guarded by the hub's lock. */
    private final class Peer implements PeerSignals {
        final String id;
        final String userId;
        final String resumeToken;
        final Room room;
        Session session;
        MediaState clientState;
        Boolean measuredSpeaking;
        ScheduledFuture<?> expiry;
        boolean removed;
        PeerMedia media; // guarded by this

        Peer(String id, String userId, String resumeToken, Room room, Session session, MediaState state) {
            this.id = id;
            this.userId = userId;
            this.resumeToken = resumeToken;
            this.room = room;
            this.session = session;
            this.clientState = state;
        }

        MediaState state() {
            return measuredSpeaking == null ? clientState : clientState.withSpeaking(measuredSpeaking);
        }

        PeerInfo info() {
            return new PeerInfo(id, userId, state(), session != null);
        }

        private void sendToClient(ObjectNode message) {
            Session s;
            synchronized (lock) {
                s = removed ? null : session;
            }
            if (s != null) {
                s.send(Messages.write(message));
            }
        }

        @Override
        public void sendOffer(PcTarget target, String sdp) {
            ObjectNode m = Messages.message("offer");
            m.put("target", target.wireName());
            m.put("sdp", sdp);
            sendToClient(m);
        }

        @Override
        public void sendAnswer(PcTarget target, String sdp) {
            ObjectNode m = Messages.message("answer");
            m.put("target", target.wireName());
            m.put("sdp", sdp);
            sendToClient(m);
        }

        @Override
        public void sendCandidate(PcTarget target, String candidate, String sdpMid, int sdpMLineIndex) {
            ObjectNode m = Messages.message("candidate");
            m.put("target", target.wireName());
            m.put("candidate", candidate);
            m.put("sdpMid", sdpMid);
            m.put("sdpMLineIndex", sdpMLineIndex);
            sendToClient(m);
        }

        @Override
        public void sendError(String code, String message) {
            countError(code);
            sendToClient(Messages.error(code, message, null));
        }

        @Override
        public void reportSpeaking(boolean speaking) {
            synchronized (lock) {
                if (removed) {
                    return;
                }
                MediaState before = state();
                measuredSpeaking = speaking;
                MediaState after = state();
                if (!after.equals(before)) {
                    room.broadcast(Messages.peerState("media_state", id, after), this);
                }
            }
        }
    }

    /** One client connection. Messages are handled one at a time (the session's monitor). */
    private final class Session implements SignalingSession {
        final SignalingConnection connection;
        volatile Peer peer;
        private boolean joining;
        private boolean sessionClosed;
        private final ArrayDeque<String> queued = new ArrayDeque<>();
        private double tokens = messageBurst;
        private long lastRefill = System.nanoTime();

        Session(SignalingConnection connection) {
            this.connection = connection;
        }

        void send(String json) {
            messagesOut.increment();
            connection.send(json);
        }

        private void sendError(SignalingException e, String requestType) {
            countError(e.code());
            send(Messages.write(Messages.error(e.code(), e.getMessage(), requestType)));
        }

        @Override
        public synchronized void onMessage(String text) {
            messagesIn.increment();
            if (sessionClosed) {
                return;
            }
            if (!takeToken()) {
                sendError(new SignalingException(SignalingException.RATE_LIMITED,
                        "more than " + (int) messagesPerSecond + " messages per second; message dropped"), null);
                return;
            }
            if (joining) {
                if (queued.size() >= MAX_QUEUED_WHILE_JOINING) {
                    sendError(new SignalingException(SignalingException.RATE_LIMITED,
                            "too many messages while the join is being authorized"), null);
                } else {
                    queued.add(text);
                }
                return;
            }
            handle(text);
        }

        private boolean takeToken() {
            long now = System.nanoTime();
            tokens = Math.min(messageBurst, tokens + (now - lastRefill) * messagesPerSecond / 1e9);
            lastRefill = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        private void handle(String text) {
            String type = null;
            try {
                Messages.Received message = Messages.parse(text);
                type = message.type();
                dispatch(message);
            } catch (SignalingException e) {
                log.debug("signaling message refused from {}: {} {}", connection.remoteAddress(), e.code(),
                        e.getMessage());
                sendError(e, type);
            } catch (RuntimeException e) {
                log.warn("signaling message from {} failed", connection.remoteAddress(), e);
                sendError(new SignalingException("internal", "the server failed to handle this message"), type);
            }
        }

        private void dispatch(Messages.Received m) {
            switch (m.type()) {
                case "join" -> join(m);
                case "offer" -> {
                    Peer p = joined();
                    if (m.target(PcTarget.PUBLISHER) != PcTarget.PUBLISHER) {
                        throw new SignalingException(SignalingException.UNSUPPORTED,
                                "the server makes the offers of the subscriber connection; a client offer must target the publisher connection");
                    }
                    media(p).publisherOffer(sdp(m));
                }
                case "answer" -> {
                    Peer p = joined();
                    if (m.target(PcTarget.SUBSCRIBER) != PcTarget.SUBSCRIBER) {
                        throw new SignalingException(SignalingException.UNSUPPORTED,
                                "the server answers on the publisher connection; a client answer must target the subscriber connection");
                    }
                    media(p).subscriberAnswer(sdp(m));
                }
                case "candidate" -> {
                    Peer p = joined();
                    PcTarget target = m.target(PcTarget.PUBLISHER);
                    String candidate = m.stringAllowEmpty("candidate", Messages.MAX_STRING);
                    String mid = m.optionalString("sdpMid", Messages.MAX_STRING);
                    int index = m.optionalInt("sdpMLineIndex", 0, 1023, -1);
                    media(p).remoteCandidate(target, candidate, mid, index);
                }
                case "media_state" -> mediaState(m);
                case "leave" -> {
                    Peer p = joined();
                    remove(p, "leave message");
                }
                case "ping" -> send(Messages.write(Messages.message("pong")));
                default -> throw new SignalingException(SignalingException.UNKNOWN_TYPE,
                        "unknown message type \"" + Messages.abbreviate(m.type())
                                + "\"; known: join, offer, answer, candidate, media_state, leave, ping");
            }
        }

        private String sdp(Messages.Received m) {
            return m.requiredString("sdp", Messages.MAX_MESSAGE);
        }

        private Peer joined() {
            Peer p = peer;
            if (p == null) {
                throw new SignalingException(SignalingException.NOT_JOINED, "send join first");
            }
            return p;
        }

        private PeerMedia media(Peer p) {
            PeerMedia media;
            synchronized (p) {
                media = p.media;
            }
            if (media == null) {
                throw new SignalingException(SignalingException.UNSUPPORTED, "this server has no media plane");
            }
            return media;
        }

        private void mediaState(Messages.Received m) {
            Peer p = joined();
            String claimed = m.optionalString("peerId", Messages.MAX_STRING);
            if (claimed != null && !claimed.equals(p.id)) {
                throw Messages.invalid("peerId must be your own peer id (" + p.id + ") or absent");
            }
            Boolean audio = m.optionalBoolean("audioEnabled");
            Boolean video = m.optionalBoolean("videoEnabled");
            Boolean screen = m.optionalBoolean("screenEnabled");
            Boolean speaking = m.optionalBoolean("speaking");
            MediaState after;
            synchronized (lock) {
                if (p.removed) {
                    return;
                }
                MediaState old = p.clientState;
                p.clientState = new MediaState(audio != null ? audio : old.audioEnabled(),
                        video != null ? video : old.videoEnabled(), screen != null ? screen : old.screenEnabled(),
                        speaking != null ? speaking : old.speaking());
                MediaState beforeEffective = p.measuredSpeaking == null ? old : old.withSpeaking(p.measuredSpeaking);
                after = p.state();
                if (!after.equals(beforeEffective)) {
                    p.room.broadcast(Messages.peerState("media_state", p.id, after), p);
                }
            }
            PeerMedia media;
            synchronized (p) {
                media = p.media;
            }
            if (media != null) {
                media.mediaStateChanged(after);
            }
        }

        private void join(Messages.Received m) {
            if (peer != null) {
                throw new SignalingException(SignalingException.ALREADY_JOINED,
                        "this connection already joined as peer " + peer.id);
            }
            String userId = m.requiredString("userId", Messages.MAX_STRING);
            String roomId = m.requiredString("sessionId", Messages.MAX_STRING);
            String token = m.optionalString("token", MAX_TOKEN);
            String resumeToken = m.optionalString("resumeToken", Messages.MAX_STRING);
            Boolean audio = m.optionalBoolean("audioEnabled");
            Boolean video = m.optionalBoolean("videoEnabled");
            Boolean screen = m.optionalBoolean("screenEnabled");
            MediaState initial = new MediaState(Boolean.TRUE.equals(audio), Boolean.TRUE.equals(video),
                    Boolean.TRUE.equals(screen), false);
            String queryToken = connection instanceof TokenCarrier carrier ? carrier.token() : null;
            PeerAuthenticator.JoinRequest request = new PeerAuthenticator.JoinRequest(roomId, userId,
                    token != null ? token : queryToken, connection.remoteAddress());
            CompletionStage<String> stage;
            try {
                stage = authenticator.authenticate(request);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            joining = true;
            stage.whenComplete((authenticatedUser, failure) -> finishJoin(roomId, authenticatedUser, failure,
                    resumeToken, initial));
        }

        private synchronized void finishJoin(String roomId, String userId, Throwable failure, String resumeToken,
                MediaState initial) {
            joining = false;
            if (!sessionClosed) {
                try {
                    if (failure != null || userId == null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure;
                        if (cause instanceof SignalingException se) {
                            throw se;
                        }
                        if (cause != null) {
                            log.warn("authentication of a join to room {} failed", roomId, cause);
                        }
                        throw new SignalingException(SignalingException.UNAUTHORIZED, "not allowed to join this room");
                    }
                    admit(roomId, userId, resumeToken, initial);
                } catch (SignalingException e) {
                    log.debug("join to room {} from {} refused: {}", roomId, connection.remoteAddress(),
                            e.getMessage());
                    sendError(e, "join");
                }
            }
            while (!joining && !sessionClosed && !queued.isEmpty()) {
                handle(queued.poll());
            }
            queued.clear();
        }

        private void admit(String roomId, String userId, String resumeToken, MediaState initial) {
            Peer resumed = null;
            Peer created = null;
            Session replaced = null;
            synchronized (lock) {
                if (closed) {
                    throw new SignalingException(SignalingException.UNSUPPORTED, "the server is closing");
                }
                Peer candidate = resumeToken == null ? null : peersByResumeToken.get(resumeToken);
                if (candidate != null && !candidate.removed && candidate.room.id.equals(roomId)
                        && candidate.userId.equals(userId)) {
                    resumed = candidate;
                    if (resumed.session != null && resumed.session != this) {
                        // the old connection is half-open (the client noticed first): take over
                        replaced = resumed.session;
                        replaced.peer = null;
                    }
                    if (resumed.expiry != null) {
                        resumed.expiry.cancel(false);
                        resumed.expiry = null;
                    }
                    resumed.session = this;
                    peer = resumed;
                    resumes.increment();
                    sendJoined(resumed, true);
                } else {
                    Room room = rooms.get(roomId);
                    if (room == null && rooms.size() >= maxRooms) {
                        throw new SignalingException(SignalingException.ROOM_FULL,
                                "the server has reached its limit of " + maxRooms + " rooms");
                    }
                    if (room != null && room.peers.size() >= maxPeersPerRoom) {
                        throw new SignalingException(SignalingException.ROOM_FULL,
                                "room is full (" + maxPeersPerRoom + " participants)");
                    }
                    if (room == null) {
                        room = new Room(roomId);
                        rooms.put(roomId, room);
                        log.debug("room {} created", roomId);
                    }
                    created = new Peer(newPeerId(), userId, randomToken(18), room, this, initial);
                    room.peers.put(created.id, created);
                    peersByResumeToken.put(created.resumeToken, created);
                    peer = created;
                    joins.increment();
                    sendJoined(created, false);
                    room.broadcast(Messages.peerState("peer_joined", created.id, created.state())
                            .put("userId", created.userId), created);
                }
            }
            if (replaced != null) {
                replaced.connection.close(4001, "resumed on another connection");
            }
            if (resumed != null) {
                log.debug("room {} peer {} resumed from {}", roomId, resumed.id, connection.remoteAddress());
                PeerMedia media;
                synchronized (resumed) {
                    media = resumed.media;
                }
                if (media != null) {
                    media.resumed();
                }
                return;
            }
            log.debug("room {} peer {} joined as {} from {}", roomId, created.id, userId, connection.remoteAddress());
            if (mediaFactory != null) {
                PeerMedia media = mediaFactory.create(roomId, created.id, userId, created);
                boolean stillThere;
                synchronized (lock) {
                    stillThere = !created.removed;
                }
                synchronized (created) {
                    if (stillThere) {
                        created.media = media;
                    }
                }
                if (!stillThere) {
                    media.close();
                }
            }
        }

        /** Sends joined and the current participants. Call with the hub's lock held. */
        private void sendJoined(Peer self, boolean resumed) {
            ObjectNode joined = Messages.message("joined");
            joined.put("peerId", self.id);
            joined.put("sessionId", self.room.id);
            joined.put("resumeToken", self.resumeToken);
            joined.put("resumed", resumed);
            send(Messages.write(joined));
            for (Peer other : self.room.peers.values()) {
                if (other != self) {
                    send(Messages.write(Messages.peerState("peer_joined", other.id, other.state())
                            .put("userId", other.userId)));
                }
            }
        }

        @Override
        public synchronized void onClose() {
            if (sessionClosed) {
                return;
            }
            sessionClosed = true;
            queued.clear();
            openConnections.decrementAndGet();
            Peer p;
            synchronized (lock) {
                p = peer;
                if (p == null || p.removed) {
                    return;
                }
                p.session = null;
                peer = null;
                if (!reconnectGrace.isZero() && !closed) {
                    p.expiry = timer.schedule(() -> remove(p, "reconnect grace expired"), reconnectGrace.toMillis(),
                            TimeUnit.MILLISECONDS);
                    log.debug("room {} peer {} disconnected; kept for {}", p.room.id, p.id, reconnectGrace);
                    return;
                }
            }
            remove(p, "connection closed");
        }
    }

    /**
     * Implemented by connections that carry a token from the transport (the WebSocket URL's
     * {@code token} query parameter); used when {@code join} has no {@code token} field.
     */
    interface TokenCarrier {
        /** @return the token, or {@code null} */
        String token();
    }

    /** Builds a {@link SignalingHub}. */
    public static final class Builder {
        private Duration reconnectGrace = Duration.ofSeconds(10);
        private int maxPeersPerRoom = 100;
        private int maxRooms = 10_000;
        private double messagesPerSecond = 50;
        private int messageBurst = 200;
        private PeerAuthenticator authenticator = PeerAuthenticator.ALLOW_ALL;
        private PeerMediaFactory mediaFactory;
        private ScheduledExecutorService timer;

        private Builder() {
        }

        /**
         * @param grace how long a participant whose connection dropped stays in its room and can
         *     resume; zero removes it at once
         * @return this builder
         */
        public Builder reconnectGrace(Duration grace) {
            if (grace.isNegative() || grace.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("reconnectGrace must be 0 to 10 minutes, got " + grace);
            }
            this.reconnectGrace = grace;
            return this;
        }

        /**
         * @param max participants per room, 1 to 10,000
         * @return this builder
         */
        public Builder maxPeersPerRoom(int max) {
            if (max < 1 || max > 10_000) {
                throw new IllegalArgumentException("maxPeersPerRoom must be 1 to 10000, got " + max);
            }
            this.maxPeersPerRoom = max;
            return this;
        }

        /**
         * @param max rooms at once, at least 1
         * @return this builder
         */
        public Builder maxRooms(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRooms must be at least 1, got " + max);
            }
            this.maxRooms = max;
            return this;
        }

        /**
         * @param perSecond sustained messages per second per connection
         * @param burst messages a connection may send at once
         * @return this builder
         */
        public Builder messageRate(double perSecond, int burst) {
            if (!(perSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("messageRate needs perSecond > 0 and burst >= 1");
            }
            this.messagesPerSecond = perSecond;
            this.messageBurst = burst;
            return this;
        }

        /**
         * @param authenticator decides who may join (default: everyone)
         * @return this builder
         */
        public Builder authenticator(PeerAuthenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /**
         * @param factory the media plane (without one, offers are refused as unsupported)
         * @return this builder
         */
        public Builder mediaFactory(PeerMediaFactory factory) {
            this.mediaFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * @param timer the scheduler for grace periods (not shut down by the hub); by default the
         *     hub owns one daemon thread
         * @return this builder
         */
        public Builder timer(ScheduledExecutorService timer) {
            this.timer = Objects.requireNonNull(timer, "timer");
            return this;
        }

        /** @return the hub */
        public SignalingHub build() {
            return new SignalingHub(this);
        }
    }
}
