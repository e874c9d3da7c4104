package io.streamkit.relay.srt;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.PublishRejectedException;
import io.streamkit.api.Publisher;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamState;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.Subscription;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.ts.TsDemuxer;
import io.streamkit.relay.ts.TsPassThrough;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SRT listener port serving many callers at once, routed by Stream ID:
 * {@code srt://host:8890?streamid=publish:live/show} publishes the kit's stream {@code live/show},
 * {@code streamid=read:live/show} plays it (the SRT access-control syntax
 * {@code #!::r=live/show,m=publish} works too). Latency and passphrase are chosen per stream by
 * {@link Builder#settings(Function)}; an unknown stream, a wrong passphrase or a path already
 * published is refused with an SRT rejection the caller reports.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt">The SRT Protocol</a>
 */
public final class SrtServer implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(SrtServer.class);
    /** Rejection codes of the SRT access-control convention. */
    static final int REJX_BAD_REQUEST = 1400;
    static final int REJX_UNAUTHORIZED = 1401;
    static final int REJX_FORBIDDEN = 1403;
    static final int REJX_NOTFOUND = 1404;
    static final int REJX_CONFLICT = 1409;

    private final Builder config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicLong rejected = new AtomicLong();
    private final java.util.concurrent.ConcurrentMap<String, Tracked> tracked = new java.util.concurrent.ConcurrentHashMap<>();

    /** The MPEG-TS side channel of each path that has an SRT publisher or reader now. */
    private final java.util.concurrent.ConcurrentMap<String, TsPassThrough> passThrough = new java.util.concurrent.ConcurrentHashMap<>();

    private record Tracked(SrtConnection connection, String path, boolean publishing, java.time.Instant since) {
    }
    private volatile SrtListener listener;
    private volatile boolean closed;

    private SrtServer(Builder b) {
        this.config = b;
        if (b.group != null) {
            group = b.group;
            ownsGroup = false;
        } else {
            group = new MultiThreadIoEventLoopGroup(b.threads, new DefaultThreadFactory("streamkit-srt", true),
                    NioIoHandler.newFactory());
            ownsGroup = true;
        }
        b.kit.register(this);
    }

    /**
     * @param kit the kit whose streams are served; the server closes with it
     * @return a builder: port 8890, 200 ms latency and no passphrase for every path
     */
    public static Builder builder(StreamKit kit) {
        return new Builder(kit);
    }

    /**
     * Binds the UDP port.
     *
     * @return this server
     */
    public SrtServer start() {
        listener = SrtListener.bind(group, new InetSocketAddress(config.host, config.port), new SrtListener.Acceptor() {
            @Override
            public SrtListener.Decision decide(String streamId, InetSocketAddress peer) {
                return SrtServer.this.decide(streamId, peer);
            }

            @Override
            public void onConnected(SrtConnection connection) {
                SrtServer.this.connected(connection);
            }
        });
        log.info("SRT server listening on {}", listener.localAddress());
        return this;
    }

    /** @return the bound address */
    public InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    /** @return connections open now */
    public int connectionCount() {
        SrtListener l = listener;
        return l == null ? 0 : l.connections();
    }

    /** @return callers refused so far (bad stream id, unknown stream, conflict) */
    public long rejected() {
        return rejected.get();
    }

    /** @return the callers connected now, oldest first, with their SRT figures */
    public List<io.streamkit.api.ConnectionInfo> connections() {
        return tracked.entrySet().stream().map(e -> {
            Tracked t = e.getValue();
            SrtStats s = t.connection().stats();
            InetSocketAddress remote = t.connection().remoteAddress();
            return new io.streamkit.api.ConnectionInfo(e.getKey(), "srt", remote.getAddress().getHostAddress() + ":"
                    + remote.getPort(), t.path(), t.publishing(), t.since(), s.bytesReceived(), s.bytesSent(),
                    java.util.Map
                            .of("rttMs", s.rtt().toNanos() / 1e6, "latencyMs", s.latency().toMillis(), "packetsLost", s
                                    .packetsLost(), "packetsRetransmitted", s.packetsRetransmitted(), "packetsDropped",
                                    s
                                            .packetsDropped(),
                                    "sendRateBps", s.sendRateBps(), "receiveRateBps", s
                                            .receiveRateBps()));
        }).sorted(java.util.Comparator.comparing(io.streamkit.api.ConnectionInfo::since)).toList();
    }

    /**
     * Disconnects one caller.
     *
     * @param id the connection's {@link io.streamkit.api.ConnectionInfo#id()}
     * @return whether such a connection was open
     */
    public boolean kick(String id) {
        Tracked t = tracked.get(id);
        if (t == null) {
            return false;
        }
        log.info("SRT caller {} kicked", t.connection().remoteAddress());
        t.connection().close();
        return true;
    }

    private SrtListener.Decision decide(String streamId, InetSocketAddress peer) {
        SrtStreamId id;
        try {
            id = SrtStreamId.parse(streamId);
        } catch (IllegalArgumentException e) {
            return reject(REJX_BAD_REQUEST, peer, e.getMessage());
        }
        SrtStreamSettings settings = config.settings.apply(id.path());
        if (settings == null) {
            return reject(REJX_NOTFOUND, peer, "no SRT stream " + id.path());
        }
        if (!config.authorizer.test(id)) {
            return reject(REJX_FORBIDDEN, peer, "not authorized: " + streamId);
        }
        if (id.publish() && config.publishPolicy == PublishPolicy.REJECT) {
            StreamState state = config.kit.findStream(id.path()).map(Stream::state).orElse(StreamState.IDLE);
            if (state == StreamState.LIVE) {
                return reject(REJX_CONFLICT, peer, id.path() + " is already published");
            }
        }
        return SrtListener.Decision.accept(settings.latency(), settings.passphrase());
    }

    private SrtListener.Decision reject(int code, InetSocketAddress peer, String why) {
        rejected.incrementAndGet();
        log.warn("SRT caller {} refused ({}): {}", peer, code, why);
        return SrtListener.Decision.reject(code);
    }

    private void connected(SrtConnection c) {
        SrtStreamId id;
        try {
            id = SrtStreamId.parse(c.streamId());
        } catch (IllegalArgumentException e) {
            c.close();
            return;
        }
        String label = "srt " + c.remoteAddress();
        String key = "srt-" + Integer.toUnsignedString(c.socketId());
        tracked.put(key, new Tracked(c, id.path(), id.publish(), java.time.Instant.now()));
        c.closeFuture().whenComplete((v, e) -> tracked.remove(key));
        try {
            Stream stream = config.kit.stream(id.path());
            if (id.publish()) {
                Publisher publisher = stream.publish(List.of(), config.publishPolicy, label);
                TsPassThrough.Source source = config.passThrough ? attachSource(id.path(), label) : null;
                SrtTsReader reader = new SrtTsReader(new TsDemuxer.Listener() {
                    @Override
                    public void onTracks(List<TrackInfo> tracks) {
                        publisher.updateTracks(tracks);
                    }

                    @Override
                    public void onPacket(MediaPacket packet) {
                        publisher.send(packet);
                    }
                }, label + " publishing " + id.path(), () -> {
                    publisher.close();
                    releasePassThrough(id.path());
                }, source);
                publisher.revoked().thenRun(() -> {
                    if (source != null) {
                        source.close(); // a publisher that took over must not be mixed with this one
                    }
                    c.close();
                });
                c.setHandler(reader);
                log.info("SRT caller {} publishes {} (latency {} ms{})", c.remoteAddress(), id.path(), c.latency()
                        .toMillis(), c.isEncrypted() ? ", encrypted" : "");
            } else {
                SrtTsWriter writer = newWriter(c, id.path());
                Subscription sub;
                try {
                    sub = stream.subscribe(writer, SubscribeOptions.on(c.eventLoop()).withLabel(label));
                } catch (RuntimeException e) {
                    writer.detach();
                    releasePassThrough(id.path());
                    throw e;
                }
                c.setHandler(new SrtConnection.Handler() {
                    @Override
                    public void onMessage(io.netty.buffer.ByteBuf message) {
                        message.release(); // a reader sends nothing we use
                    }

                    @Override
                    public void onClosed(Throwable cause) {
                        sub.close();
                        writer.detach();
                        releasePassThrough(id.path());
                    }
                });
                log.info("SRT caller {} reads {}", c.remoteAddress(), id.path());
            }
        } catch (PublishRejectedException | IllegalArgumentException | IllegalStateException e) {
            log.warn("SRT caller {} on {}: {}", c.remoteAddress(), id.path(), e.getMessage());
            c.close();
        }
    }

    /** Makes a publishing caller the source of its path's side channel. */
    private TsPassThrough.Source attachSource(String path, String label) {
        TsPassThrough.Source[] out = new TsPassThrough.Source[1];
        passThrough.compute(path, (k, h) -> {
            TsPassThrough hub = h != null ? h : new TsPassThrough(path, config.passThroughCacheBytes);
            out[0] = hub.attachSource(label);
            return hub;
        });
        return out[0];
    }

    /** A reading caller's writer, attached to its path's side channel when pass-through is on. */
    private SrtTsWriter newWriter(SrtConnection c, String path) {
        if (!config.passThrough) {
            return new ClosingWriter(c, null);
        }
        SrtTsWriter[] out = new SrtTsWriter[1];
        passThrough.compute(path, (k, h) -> {
            TsPassThrough hub = h != null ? h : new TsPassThrough(path, config.passThroughCacheBytes);
            out[0] = new ClosingWriter(c, hub);
            return hub;
        });
        return out[0];
    }

    /** Drops a path's side channel once it has neither a source nor readers (bounds memory). */
    private void releasePassThrough(String path) {
        passThrough.computeIfPresent(path, (k, h) -> {
            if (h.hasSource() || h.readerCount() > 0) {
                return h;
            }
            h.close();
            return null;
        });
    }

    /** @return paths with an MPEG-TS side channel now (tests) */
    int passThroughPaths() {
        return passThrough.size();
    }

    /** A reader's writer that closes its connection when the subscription ends. */
    private static final class ClosingWriter extends SrtTsWriter {
        private final SrtConnection connection;

        ClosingWriter(SrtConnection connection, TsPassThrough hub) {
            super(connection, ByteBufAllocator.DEFAULT, hub);
            this.connection = connection;
        }

        @Override
        public void onClose(Throwable cause) {
            super.onClose(cause);
            connection.close();
        }
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        synchronized (this) {
            if (closed) {
                return closeFuture;
            }
            closed = true;
        }
        SrtListener l = listener;
        if (l != null) {
            l.close();
        }
        for (TsPassThrough hub : passThrough.values()) {
            hub.close();
        }
        passThrough.clear();
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> closeFuture.complete(null));
        } else {
            closeFuture.complete(null);
        }
        return closeFuture;
    }

    /** Builds an {@link SrtServer}. */
    public static final class Builder {
        final StreamKit kit;
        String host = "0.0.0.0";
        int port = 8890;
        Function<String, SrtStreamSettings> settings = path -> SrtStreamSettings.DEFAULT;
        java.util.function.Predicate<SrtStreamId> authorizer = id -> true;
        PublishPolicy publishPolicy = PublishPolicy.REJECT;
        EventLoopGroup group;
        int threads = 1;
        boolean passThrough = true;
        long passThroughCacheBytes = 32L << 20;

        private Builder(StreamKit kit) {
            this.kit = Objects.requireNonNull(kit, "kit");
        }

        /** @param host interface to bind @return this builder */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** @param port UDP port, 0 for any @return this builder */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param perPath the settings of each path (latency, passphrase); {@code null} refuses the
         *        path with "not found"
         * @return this builder
         */
        public Builder settings(Function<String, SrtStreamSettings> perPath) {
            this.settings = Objects.requireNonNull(perPath, "perPath");
            return this;
        }

        /** @param check decides whether a caller may publish or read @return this builder */
        public Builder authorizer(java.util.function.Predicate<SrtStreamId> check) {
            this.authorizer = Objects.requireNonNull(check, "check");
            return this;
        }

        /** @param policy what to do when a path is already published @return this builder */
        public Builder publishPolicy(PublishPolicy policy) {
            this.publishPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** @param group a shared event loop group, not closed by the server @return this builder */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /**
         * Whether an SRT reader of a path published by an SRT caller gets the publisher's MPEG-TS
         * unchanged (on by default): each 1,316-byte message is forwarded as soon as it arrives,
         * with the publisher's PIDs, continuity counters and timestamps, instead of being
         * demultiplexed into frames and multiplexed again. A late joiner starts with PAT, PMT and
         * the messages since the last keyframe. Readers of paths published otherwise (RTMP, an
         * input) and every other subscriber (RTMP players, recordings, HLS) get the stream's
         * packets as before. See {@link TsPassThrough}.
         *
         * @param enabled whether to forward MPEG-TS unchanged between SRT callers
         * @return this builder
         */
        public Builder tsPassThrough(boolean enabled) {
            this.passThrough = enabled;
            return this;
        }

        /**
         * @param bytes the most bytes of MPEG-TS kept per path for late-joining SRT readers
         *        (default 32 MiB), 0 to keep none (readers then wait for the next keyframe)
         * @return this builder
         */
        public Builder tsPassThroughCacheBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("tsPassThroughCacheBytes must be >= 0, was " + bytes);
            }
            this.passThroughCacheBytes = bytes;
            return this;
        }

        /** @return the server; call {@link SrtServer#start()} */
        public SrtServer build() {
            return new SrtServer(this);
        }
    }
}
