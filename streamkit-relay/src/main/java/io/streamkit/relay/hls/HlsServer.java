package io.streamkit.relay.hls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamState;
import io.streamkit.api.TransportException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the kit's live streams as HLS over HTTP/1.1, the URL layout players know from MediaMTX:
 *
 * <pre>
 * http://host:8888/{path}/index.m3u8       multivariant playlist
 * http://host:8888/{path}/stream.m3u8      media playlist (?_HLS_msn=N&amp;_HLS_part=M: blocking reload)
 * http://host:8888/{path}/init.mp4         fMP4 initialization segment (initG.mp4 after a track change)
 * http://host:8888/{path}/segN.m4s | .ts   media segment
 * http://host:8888/{path}/partN.I.m4s      partial segment (low-latency HLS)
 * </pre>
 *
 * {@code {path}} is a stream path and may contain slashes ({@code live/show}).
 *
 * <pre>{@code
 * HlsServer hls = HlsServer.builder(kit).port(8888)
 *         .options(HlsOptions.defaults().withLowLatency(true))
 *         .build().start();
 * }</pre>
 *
 * <p>By default a stream is packaged on demand: the first request for a live path starts an
 * {@link HlsPackager} and waits (at most {@link HlsOptions#startTimeout()}) for its first segment;
 * a packager without requests for {@link HlsOptions#idleTimeout()} stops. With
 * {@link HlsOptions#alwaysOn()} every stream is packaged as soon as it is published. When a
 * publisher leaves for good the playlist ends ({@code EXT-X-ENDLIST}); a new publisher on the same
 * path gets a new packager whose sequence numbers continue where the old one stopped, so segment
 * names are never reused by a running server and can be cached.
 *
 * <p>Requests that wait (first segment, blocking playlist reload, preload-hinted parts) never block
 * an event loop. Errors are answered with a short plain-text reason and logged: 400 malformed
 * request or delivery directive, 404 unknown stream or file, 405 method, 414 over-long target, 503
 * timeout. Every response carries {@code Access-Control-Allow-Origin: *}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216">RFC 8216, HTTP Live Streaming</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-pantos-hls-rfc8216bis">draft-pantos-hls-rfc8216bis,
 *      HTTP Live Streaming 2nd edition (low-latency HLS)</a>
 */
public final class HlsServer implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(HlsServer.class);
    private static final long HOUSEKEEPING_MILLIS = 500;
    private static final int MAX_REMEMBERED_PATHS = 10_000;

    private final Builder config;
    private final StreamKit kit;
    private final HlsOptions options;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final ConcurrentHashMap<String, HlsPackager> packagers = new ConcurrentHashMap<>();
    /** Where each path's sequence numbers continue, so names are not reused by this server. */
    private final ConcurrentHashMap<String, Long> nextSequence = new ConcurrentHashMap<>();
    private final ChannelGroup channels = new DefaultChannelGroup("hls", GlobalEventExecutor.INSTANCE);
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
    private volatile Channel serverChannel;
    private volatile ScheduledFuture<?> housekeeping;
    private volatile boolean closed;

    private HlsServer(Builder b) {
        this.config = b;
        this.kit = b.kit;
        this.options = b.options;
        if (b.group != null) {
            this.group = b.group;
            this.ownsGroup = false;
        } else {
            this.group = new MultiThreadIoEventLoopGroup(b.threads, new DefaultThreadFactory("streamkit-hls", true),
                    NioIoHandler.newFactory());
            this.ownsGroup = true;
        }
        kit.register(this);
    }

    /**
     * @param kit the kit whose streams are served; the server closes with it
     * @return a builder with defaults: port 8888 on all interfaces, {@link HlsOptions#defaults()}
     */
    public static Builder builder(StreamKit kit) {
        return new Builder(kit);
    }

    /** @return the packaging options */
    public HlsOptions options() {
        return options;
    }

    /**
     * Binds the port and starts packaging published streams when {@link HlsOptions#alwaysOn()}.
     *
     * @return this server
     * @throws TransportException when the port cannot be bound
     */
    public HlsServer start() {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (closed) {
                            ch.close();
                            return;
                        }
                        channels.add(ch);
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, config.connectionIdleTimeout
                                .toMillis(), TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("http", new HttpServerCodec(HlsRoute.MAX_URI_LENGTH + 64, 8192, 8192));
                        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(8192));
                        ch.pipeline().addLast("hls", new HlsHttpHandler(HlsServer.this));
                    }
                });
        try {
            serverChannel = b.bind(config.host, config.port).sync().channel();
        } catch (Exception e) {
            throw new TransportException("cannot bind HLS on " + config.host + ":" + config.port + ": " + e
                    .getMessage(), e);
        }
        housekeeping = group.next().scheduleWithFixedDelay(this::housekeeping, HOUSEKEEPING_MILLIS,
                HOUSEKEEPING_MILLIS, TimeUnit.MILLISECONDS);
        log.info("HLS server listening on {} ({}{}, {} ms segments)", localAddress(), options.format(), options
                .lowLatency() ? " low-latency" : "", options.segmentDuration().toMillis());
        return this;
    }

    /** @return the bound address (the real port when 0 was asked) */
    public InetSocketAddress localAddress() {
        Channel c = serverChannel;
        if (c == null) {
            throw new IllegalStateException("server not started");
        }
        return (InetSocketAddress) c.localAddress();
    }

    /** @return a snapshot of the counters of the server and of every running packager */
    public HlsServerStats stats() {
        List<HlsStats> streams = new ArrayList<>();
        for (HlsPackager p : packagers.values()) {
            streams.add(p.stats());
        }
        streams.sort(java.util.Comparator.comparing(HlsStats::path));
        return new HlsServerStats(channels.size(), requests.get(), errors.get(), bytesOut.get(), List.copyOf(
                streams));
    }

    /**
     * @param path a stream path
     * @return the counters of that stream's packager, when one runs
     */
    public Optional<HlsStats> stats(String path) {
        return Optional.ofNullable(packagers.get(path)).map(HlsPackager::stats);
    }

    /**
     * The packager of a path, started when the path has a live stream and none runs (or the one
     * that runs has ended and a new publisher is live).
     *
     * @return the packager, {@code null} when the path has no live stream
     */
    HlsPackager packager(String path) {
        HlsPackager p = packagers.get(path);
        if (p != null && !p.isClosed() && !p.isEnded()) {
            return p;
        }
        synchronized (this) {
            if (closed) {
                return null;
            }
            p = packagers.get(path);
            if (p != null && p.isClosed()) {
                retire(path, p);
                p = null;
            }
            Stream s = kit.findStream(path).orElse(null);
            boolean live = s != null && isLive(s);
            if (p != null) {
                if (!p.isEnded() || !live) {
                    return p; // an ended playlist stays visible until a new publisher arrives
                }
                log.info("HLS {}: a new publisher is live; packaging starts over", path);
                retire(path, p);
            }
            if (!live) {
                return null;
            }
            return startPackager(path, s);
        }
    }

    /** Under this lock. */
    private HlsPackager startPackager(String path, Stream s) {
        long first = nextSequence.getOrDefault(path, 0L);
        HlsPackager p = HlsPackager.start(s, options, group.next(), alloc, first);
        packagers.put(path, p);
        log.info("HLS {}: packaging started ({}{}, first segment seg{})", path, options.format(), options
                .lowLatency() ? " low-latency" : "", first);
        return p;
    }

    /** Under this lock: stops a packager and remembers where its sequence numbers stopped. */
    private void retire(String path, HlsPackager p) {
        packagers.remove(path, p);
        if (nextSequence.size() >= MAX_REMEMBERED_PATHS && !nextSequence.containsKey(path)) {
            nextSequence.clear();
        }
        nextSequence.merge(path, p.nextSequenceNumber(), Math::max);
        p.closeAsync();
    }

    private static boolean isLive(Stream s) {
        StreamState state = s.state();
        return state == StreamState.LIVE || state == StreamState.GRACE;
    }

    private void housekeeping() {
        try {
            long idle = options.idleTimeout().toNanos();
            synchronized (this) {
                if (closed) {
                    return;
                }
                for (Map.Entry<String, HlsPackager> e : List.copyOf(packagers.entrySet())) {
                    String path = e.getKey();
                    HlsPackager p = e.getValue();
                    if (p.isClosed()) {
                        retire(path, p);
                    } else if (p.idleNanos() > idle && (!options.alwaysOn() || p.isEnded())) {
                        log.info("HLS {}: no request for {} s; packaging stops", path, options.idleTimeout()
                                .toSeconds());
                        retire(path, p);
                    } else if (p.isEnded() && kit.findStream(path).map(HlsServer::isLive).orElse(false)
                            && options.alwaysOn()) {
                        log.info("HLS {}: a new publisher is live; packaging starts over", path);
                        retire(path, p);
                    }
                }
                if (options.alwaysOn()) {
                    for (Stream s : kit.streams()) {
                        if (s.state() == StreamState.LIVE && !packagers.containsKey(s.path())) {
                            startPackager(s.path(), s);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("HLS housekeeping failed", e);
        }
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        List<HlsPackager> running;
        synchronized (this) {
            if (closed) {
                return closeFuture;
            }
            closed = true;
            running = new ArrayList<>(packagers.values());
            packagers.clear();
        }
        ScheduledFuture<?> h = housekeeping;
        if (h != null) {
            h.cancel(false);
        }
        Channel c = serverChannel;
        if (c != null) {
            c.close().awaitUninterruptibly();
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (HlsPackager p : running) {
            closing.add(p.closeAsync());
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("HLS server: packagers did not close within 5 s: {}", e.toString());
        }
        channels.close().awaitUninterruptibly(10_000);
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> closeFuture.complete(null));
        } else {
            closeFuture.complete(null);
        }
        log.info("HLS server closed");
        return closeFuture;
    }

    /** Builds an {@link HlsServer}. */
    public static final class Builder {
        final StreamKit kit;
        String host = "0.0.0.0";
        int port = 8888;
        HlsOptions options = HlsOptions.defaults();
        java.time.Duration connectionIdleTimeout = java.time.Duration.ofSeconds(60);
        EventLoopGroup group;
        int threads;

        private Builder(StreamKit kit) {
            this.kit = Objects.requireNonNull(kit, "kit");
        }

        /** @param host the interface to bind, {@code 0.0.0.0} by default @return this builder */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** @param port the port, 8888 by default, 0 for any free one @return this builder */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
            }
            this.port = port;
            return this;
        }

        /** @param options how streams are packaged @return this builder */
        public Builder options(HlsOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * @param timeout how long a connection may stay without traffic before it is closed, 60 s
         *        by default; longer than three target durations so blocking requests survive
         * @return this builder
         */
        public Builder connectionIdleTimeout(java.time.Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectionIdleTimeout must be > 0, was " + timeout);
            }
            this.connectionIdleTimeout = timeout;
            return this;
        }

        /** @param group a shared event loop group, not closed by the server @return this builder */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** @param threads event loop threads of the server's own group (0: two per core) @return this builder */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** @return the server, not yet bound: call {@link HlsServer#start()} */
        public HlsServer build() {
            return new HlsServer(this);
        }
    }
}
