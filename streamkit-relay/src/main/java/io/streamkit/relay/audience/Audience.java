package io.streamkit.relay.audience;

import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamKitEvent;
import io.streamkit.relay.audience.AudienceException.Code;
import io.streamkit.relay.rtmp.RtmpAuthenticator;
import io.streamkit.relay.rtmp.RtmpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audience of a set of live streams, for any host application: who is registered (streamers
 * own a stream key, viewers do not), who watches each stream (presence, distinct viewer count,
 * the list for the owner), one chat channel per stream (numbered messages, history for late
 * joiners, a length limit, a rate limit per user, a {@link ChatModerator}), and the events a
 * streamer sees ({@code VIEWER_JOINED}, {@code VIEWER_LEFT}, chat, live and offline).
 *
 * <p>Clients are {@link AudienceConnection}s from {@link #connect(AudienceSink)};
 * {@link AudienceServer} exposes them over WebSocket. Ordering: every member of a stream receives
 * its chat messages in id order and its events in one order, the reply to a join before anything
 * of the stream, and nothing of a stream after the reply to leaving it.
 *
 * <p>Media: streams are published at {@code {pathPrefix}{streamKey}} (default {@code live/}).
 * {@link #rtmpAuthenticator()} lets only the owner publish (with its publish secret);
 * {@link #attach(StreamKit)} turns the relay's publish events into {@code STREAM_LIVE} and
 * {@code STREAM_OFFLINE}. Thread-safe.
 */
public final class Audience implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(Audience.class);
    private static final int MAX_LISTED = 500;

    private final UserRegistry registry;
    private final ChatModerator moderator;
    private final int historySize;
    private final int maxMessageLength;
    private final int rateMessages;
    private final long rateNanos;
    private final int maxViewers;
    private final String pathPrefix;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Map<String, StreamRoom> rooms = new ConcurrentHashMap<>();
    private final Set<AudienceConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, RateBucket> buckets = new ConcurrentHashMap<>();
    private final List<AudienceListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> detachments = new CopyOnWriteArrayList<>();
    private final Map<Code, LongAdder> errors = new EnumMap<>(Code.class);
    private final LongAdder chatMessages = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder publishRejected = new LongAdder();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

    private Audience(Builder b) {
        this.registry = b.registry;
        this.moderator = b.moderator;
        this.historySize = b.historySize;
        this.maxMessageLength = b.maxMessageLength;
        this.rateMessages = b.rateMessages;
        this.rateNanos = b.ratePer.toNanos();
        this.maxViewers = b.maxViewers;
        this.pathPrefix = b.pathPrefix;
        this.clock = b.clock;
        this.nanoTime = b.nanoTime;
        for (Code c : Code.values()) {
            errors.put(c, new LongAdder());
        }
    }

    /**
     * @return a builder (defaults: in-memory users, history of 50, messages up to 500 characters,
     *         5 messages per 5 s per user, no viewer limit, path prefix {@code live/})
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a client.
     *
     * @param sink where its replies and broadcasts go, in order
     * @return the connection
     */
    public AudienceConnection connect(AudienceSink sink) {
        AudienceConnection c = new AudienceConnection(this, Objects.requireNonNull(sink, "sink"));
        connections.add(c);
        return c;
    }

    /**
     * @param listener receives every stream's presence, chat and live events
     * @return removes the listener
     */
    public Runnable addListener(AudienceListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    /**
     * @param streamKey a stream key
     * @return the stream's summary, when the key belongs to a streamer
     */
    public Optional<StreamInfo> stream(String streamKey) {
        StreamRoom room = room(streamKey);
        if (room == null) {
            return Optional.empty();
        }
        synchronized (room) {
            return Optional.of(room.info());
        }
    }

    /** @return the known streams, live first, then by viewers (at most 500) */
    public List<StreamInfo> streams() {
        List<StreamInfo> list = new ArrayList<>();
        for (StreamRoom room : rooms.values()) {
            synchronized (room) {
                list.add(room.info());
            }
        }
        list.sort(Comparator.comparing(StreamInfo::live).reversed().thenComparing(Comparator.comparingInt(
                StreamInfo::viewerCount).reversed()).thenComparing(StreamInfo::streamer));
        return list.size() > MAX_LISTED ? List.copyOf(list.subList(0, MAX_LISTED)) : list;
    }

    /**
     * @param streamKey a stream key
     * @return the relay path its media is published at ({@code live/KEY} by default)
     */
    public String streamPath(String streamKey) {
        return pathPrefix + streamKey;
    }

    /**
     * Marks a stream live or offline and tells every connection ({@code STREAM_LIVE} /
     * {@code STREAM_OFFLINE}). {@link #attach(StreamKit)} calls it from the relay's events.
     *
     * @param streamKey the stream
     * @param live whether a publisher is live
     * @return whether the key is a stream's
     */
    public boolean setLive(String streamKey, boolean live) {
        StreamRoom room = room(streamKey);
        if (room == null) {
            return false;
        }
        synchronized (room) {
            if (room.live == live) {
                return true;
            }
            room.live = live;
            AudienceEvent event = new AudienceEvent.StreamStatus(room.info());
            int n = 0;
            for (AudienceConnection c : connections) {
                c.deliver(event);
                n++;
            }
            deliveries.add(n);
            notifyListeners(event);
        }
        log.info("stream {} of {} is {}", shortKey(streamKey), room.owner.username(), live ? "live" : "offline");
        return true;
    }

    /**
     * Follows the publish events of a {@link StreamKit}: a publisher on {@code {pathPrefix}KEY}
     * makes the stream live, its end makes it offline.
     *
     * @param kit the relay's streams
     * @return stops following
     */
    public Runnable attach(StreamKit kit) {
        for (io.streamkit.api.Stream s : kit.streams()) {
            if (s.path().startsWith(pathPrefix) && s.state() == io.streamkit.api.StreamState.LIVE) {
                setLive(s.path().substring(pathPrefix.length()), true);
            }
        }
        Runnable remove = kit.addListener(event -> {
            if (event instanceof StreamKitEvent.StreamPublished p && p.path().startsWith(pathPrefix)) {
                setLive(p.path().substring(pathPrefix.length()), true);
            } else if (event instanceof StreamKitEvent.StreamUnpublished u && u.path().startsWith(pathPrefix)) {
                setLive(u.path().substring(pathPrefix.length()), false);
            }
        });
        detachments.add(remove);
        return remove;
    }

    /**
     * An RTMP authenticator for the relay's {@code RtmpServer}: publishing {@code {pathPrefix}KEY}
     * needs the owner's publish secret in the {@code secret} query parameter
     * ({@code rtmp://host/live/KEY?secret=...}, or in OBS: server {@code rtmp://host/live}, stream
     * key {@code KEY?secret=...}); any other publish is refused and counted. Playing is not checked.
     *
     * @return the authenticator
     */
    public RtmpAuthenticator rtmpAuthenticator() {
        return request -> {
            if (request.action() != RtmpRequest.Action.PUBLISH) {
                return true;
            }
            String path = request.path();
            String reason = null;
            if (!path.startsWith(pathPrefix)) {
                reason = "the path is not under " + pathPrefix;
            } else {
                String key = path.substring(pathPrefix.length());
                if (registry.byStreamKey(key).isEmpty()) {
                    reason = "no streamer has this stream key";
                } else if (!registry.checkPublishSecret(key, request.query().get("secret"))) {
                    reason = request.query().get("secret") == null
                            ? "the publish secret is missing (add ?secret=...)"
                            : "the publish secret is wrong";
                }
            }
            if (reason != null) {
                publishRejected.increment();
                log.warn("RTMP publish of {} refused: {}", shortKey(path), reason);
                return false;
            }
            return true;
        };
    }

    /** @return the counters */
    public AudienceStats stats() {
        int live = 0;
        for (StreamRoom r : rooms.values()) {
            synchronized (r) {
                live += r.live ? 1 : 0;
            }
        }
        Map<Code, Long> errs = new EnumMap<>(Code.class);
        errors.forEach((c, a) -> {
            long v = a.sum();
            if (v > 0) {
                errs.put(c, v);
            }
        });
        return new AudienceStats(connections.size(), rooms.size(), live, chatMessages.sum(), deliveries.sum(),
                publishRejected.sum(), errs);
    }

    /** Closes every connection (owners are not notified) and stops following the relay. */
    @Override
    public CompletableFuture<Void> closeAsync() {
        detachments.forEach(Runnable::run);
        for (AudienceConnection c : List.copyOf(connections)) {
            c.close();
        }
        closeFuture.complete(null);
        return closeFuture;
    }

    // --- used by AudienceConnection -------------------------------------------------------------

    UserRegistry registry() {
        return registry;
    }

    int maxViewers() {
        return maxViewers;
    }

    int maxMessageLength() {
        return maxMessageLength;
    }

    StreamRoom room(String streamKey) {
        StreamRoom room = rooms.get(streamKey);
        if (room != null) {
            return room;
        }
        Optional<AudienceUser> owner = registry.byStreamKey(streamKey);
        if (owner.isEmpty() || owner.get().role() != AudienceRole.STREAMER) {
            return null;
        }
        return rooms.computeIfAbsent(streamKey, k -> new StreamRoom(owner.get()));
    }

    AudienceException refused(AudienceException e) {
        errors.get(e.code()).increment();
        log.debug("audience request refused ({}): {}", e.code(), e.getMessage());
        return e;
    }

    void delivered(int n) {
        deliveries.add(n);
    }

    void disconnected(AudienceConnection c) {
        connections.remove(c);
    }

    /** Caller holds the room's monitor. */
    void broadcastToOwner(StreamRoom room, AudienceEvent event) {
        for (AudienceConnection c : room.ownerConnections) {
            c.deliver(event);
        }
        deliveries.add(room.ownerConnections.size());
        notifyListeners(event);
    }

    void takeChatToken(AudienceUser user) {
        RateBucket bucket = buckets.computeIfAbsent(user.userId(), id -> new RateBucket(rateMessages, nanoTime
                .getAsLong()));
        long waitNanos = bucket.take(rateMessages, rateNanos, nanoTime.getAsLong());
        if (waitNanos > 0) {
            throw new AudienceException(Code.RATE_LIMITED, "content", "at most " + rateMessages + " messages per "
                    + Duration.ofNanos(rateNanos).toMillis() + " ms; retry in " + Math.max(1, waitNanos / 1_000_000)
                    + " ms");
        }
    }

    String moderate(AudienceUser user, String streamKey, String content) {
        ChatModerator.Verdict verdict;
        try {
            verdict = moderator.review(user, streamKey, content);
        } catch (RuntimeException e) {
            log.warn("chat moderator failed on a message of {}; message rejected", user.username(), e);
            throw new AudienceException(Code.REJECTED_BY_MODERATION, "content", "the message could not be reviewed");
        }
        if (verdict == null || !verdict.accepted()) {
            throw new AudienceException(Code.REJECTED_BY_MODERATION, "content", verdict == null
                    ? "rejected"
                    : verdict.reason());
        }
        String text = verdict.content() != null ? verdict.content() : content;
        if (text.isBlank() || text.length() > maxMessageLength) {
            throw new AudienceException(Code.REJECTED_BY_MODERATION, "content", "the moderated message is empty "
                    + "or too long");
        }
        return text;
    }

    ChatMessage post(StreamRoom room, AudienceConnection sender, AudienceUser from, String text) {
        synchronized (room) {
            if (!room.members.contains(sender)) {
                throw new AudienceException(Code.NOT_A_MEMBER, "streamKey", "join the stream before chatting in it");
            }
            ChatMessage message = new ChatMessage(room.key, ++room.lastMessageId, from, text, Instant.now(clock));
            if (historySize > 0) {
                if (room.history.size() == historySize) {
                    room.history.removeFirst();
                }
                room.history.addLast(message);
            }
            AudienceEvent event = new AudienceEvent.ChatBroadcast(message);
            for (AudienceConnection c : room.members) {
                c.deliver(event);
            }
            deliveries.add(room.members.size());
            chatMessages.increment();
            notifyListeners(event);
            return message;
        }
    }

    private void notifyListeners(AudienceEvent event) {
        for (AudienceListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("audience listener failed on {}", event.type(), e);
            }
        }
    }

    private static String shortKey(String key) {
        return key.length() <= 12 ? key : key.substring(0, key.length() - 12) + "…";
    }

    /** A token bucket: {@code capacity} messages, refilled evenly over the period. */
    private static final class RateBucket {
        private double tokens;
        private long last;

        RateBucket(int capacity, long now) {
            this.tokens = capacity;
            this.last = now;
        }

        /** @return 0 when a token was taken, otherwise how long until one is available */
        synchronized long take(int capacity, long periodNanos, long now) {
            double perNano = (double) capacity / periodNanos;
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }
    }

    /** Builds an {@link Audience}. */
    public static final class Builder {
        private UserRegistry registry = UserRegistry.inMemory();
        private ChatModerator moderator = ChatModerator.ACCEPT_ALL;
        private int historySize = 50;
        private int maxMessageLength = 500;
        private int rateMessages = 5;
        private Duration ratePer = Duration.ofSeconds(5);
        private int maxViewers = Integer.MAX_VALUE;
        private String pathPrefix = "live/";
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {
        }

        /**
         * @param registry where users live
         * @return this builder
         */
        public Builder userRegistry(UserRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * @param moderator reviews every chat message
         * @return this builder
         */
        public Builder moderator(ChatModerator moderator) {
            this.moderator = Objects.requireNonNull(moderator, "moderator");
            return this;
        }

        /**
         * @param messages chat messages kept per stream for late joiners, 0 to 10,000
         * @return this builder
         */
        public Builder historySize(int messages) {
            if (messages < 0 || messages > 10_000) {
                throw new IllegalArgumentException("historySize must be 0 to 10000, got " + messages);
            }
            this.historySize = messages;
            return this;
        }

        /**
         * @param characters longest chat message, 1 to 4,000
         * @return this builder
         */
        public Builder maxMessageLength(int characters) {
            if (characters < 1 || characters > 4_000) {
                throw new IllegalArgumentException("maxMessageLength must be 1 to 4000, got " + characters);
            }
            this.maxMessageLength = characters;
            return this;
        }

        /**
         * Limits each user's chat (all connections together): a burst of {@code messages}, then
         * {@code messages} per {@code period}.
         *
         * @param messages 1 to 1,000,000
         * @param period at least 1 ms
         * @return this builder
         */
        public Builder chatRateLimit(int messages, Duration period) {
            if (messages < 1 || messages > 1_000_000) {
                throw new IllegalArgumentException("messages must be 1 to 1000000, got " + messages);
            }
            if (period == null || period.toMillis() < 1) {
                throw new IllegalArgumentException("period must be at least 1 ms, got " + period);
            }
            this.rateMessages = messages;
            this.ratePer = period;
            return this;
        }

        /**
         * @param viewers distinct viewers allowed per stream, at least 1
         * @return this builder
         */
        public Builder maxViewersPerStream(int viewers) {
            if (viewers < 1) {
                throw new IllegalArgumentException("maxViewersPerStream must be at least 1, got " + viewers);
            }
            this.maxViewers = viewers;
            return this;
        }

        /**
         * @param prefix the relay path under which stream keys are published, such as {@code live/}
         * @return this builder
         */
        public Builder pathPrefix(String prefix) {
            if (prefix == null || prefix.startsWith("/") || (!prefix.isEmpty() && !prefix.endsWith("/"))) {
                throw new IllegalArgumentException("pathPrefix must be empty or like 'live/', got " + prefix);
            }
            this.pathPrefix = prefix;
            return this;
        }

        /**
         * @param clock gives chat messages their time
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param nanoTime the monotonic time of the rate limiter (for tests)
         * @return this builder
         */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /** @return the audience */
        public Audience build() {
            return new Audience(this);
        }
    }
}
