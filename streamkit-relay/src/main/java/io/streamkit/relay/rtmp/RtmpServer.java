package io.streamkit.relay.rtmp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.StreamKit;
import io.streamkit.api.TransportException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RTMP (and, with {@link Builder#tls(SslContext)}, RTMPS) ingest and playback on one port.
 * A client that publishes to {@code rtmp://host:port/app/name} publishes the kit's stream
 * {@code app/name}; a client that plays the same URL receives it, starting at the cached keyframe.
 *
 * <pre>{@code
 * RtmpServer server = RtmpServer.builder(kit).port(1935).build().start();
 * }</pre>
 *
 * @see <a href="https://rtmp.veriskope.com/docs/spec/">Adobe RTMP Specification 1.0</a>
 */
public final class RtmpServer implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);

    private final Builder config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final java.util.concurrent.ConcurrentMap<String, RtmpServerSession> sessions = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong nextSessionId = new AtomicLong();
    private final ChannelGroup channels = new DefaultChannelGroup("rtmp", GlobalEventExecutor.INSTANCE);
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();
    final AtomicLong authFailures = new AtomicLong();
    final AtomicInteger publishers = new AtomicInteger();
    final AtomicInteger players = new AtomicInteger();
    private volatile Channel serverChannel;
    private volatile boolean closed;

    private RtmpServer(Builder b) {
        this.config = b;
        if (b.group != null) {
            this.group = b.group;
            this.ownsGroup = false;
        } else {
            this.group = new MultiThreadIoEventLoopGroup(b.threads, new DefaultThreadFactory("streamkit-rtmp", true),
                    NioIoHandler.newFactory());
            this.ownsGroup = true;
        }
        b.kit.register(this);
    }

    /**
     * @param kit the kit whose streams are served; the server closes with it
     * @return a builder with defaults: port 1935 on all interfaces, no TLS, everyone allowed
     */
    public static Builder builder(StreamKit kit) {
        return new Builder(kit);
    }

    StreamKit kit() {
        return config.kit;
    }

    Builder config() {
        return config;
    }

    /**
     * Binds the port.
     *
     * @return this server
     * @throws TransportException when the port cannot be bound
     */
    public RtmpServer start() {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (closed || channels.size() >= config.maxConnections) {
                            refused.incrementAndGet();
                            log.warn("refusing RTMP connection from {}: {} connections open (limit {})", ch
                                    .remoteAddress(), channels.size(), config.maxConnections);
                            ch.close();
                            return;
                        }
                        accepted.incrementAndGet();
                        channels.add(ch);
                        RtmpServerSession session = new RtmpServerSession(RtmpServer.this, (config.sslContext != null
                                ? "rtmps-"
                                : "rtmp-") + nextSessionId.incrementAndGet());
                        sessions.put(session.id(), session);
                        ch.pipeline().addLast("bytes", session.counter());
                        if (config.sslContext != null) {
                            ch.pipeline().addLast("tls", config.sslContext.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("idle", new IdleStateHandler(config.idleTimeout.toMillis(), 0, 0,
                                TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("handshake", new RtmpServerHandshakeHandler());
                        ch.pipeline().addLast("decoder", new RtmpChunkDecoder(config.maxMessageLength,
                                RtmpChunkDecoder.DEFAULT_MAX_CHUNK_STREAMS));
                        ch.pipeline().addLast("encoder", new RtmpChunkEncoder());
                        ch.pipeline().addLast("session", session);
                    }
                });
        try {
            serverChannel = b.bind(config.host, config.port).sync().channel();
        } catch (Exception e) {
            throw new TransportException("cannot bind RTMP" + (config.sslContext != null ? "S" : "") + " on "
                    + config.host + ":" + config.port + ": " + e.getMessage(), e);
        }
        log.info("RTMP{} server listening on {}", config.sslContext != null ? "S" : "", localAddress());
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

    /** @return whether the server uses TLS */
    public boolean isTls() {
        return config.sslContext != null;
    }

    /** @return a snapshot of the counters */
    public RtmpServerStats stats() {
        return new RtmpServerStats(channels.size(), accepted.get(), refused.get(), protocolErrors.get(), authFailures
                .get(), publishers.get(), players.get());
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        synchronized (this) {
            if (closed) {
                return closeFuture;
            }
            closed = true;
        }
        Channel c = serverChannel;
        if (c != null) {
            c.close().awaitUninterruptibly();
        }
        channels.close().awaitUninterruptibly(10_000);
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> closeFuture.complete(null));
        } else {
            closeFuture.complete(null);
        }
        return closeFuture;
    }

    /**
     * @return the clients connected now, oldest first
     */
    public java.util.List<io.streamkit.api.ConnectionInfo> connections() {
        return sessions.values().stream().map(RtmpServerSession::info).sorted(java.util.Comparator.comparing(
                io.streamkit.api.ConnectionInfo::since)).toList();
    }

    /**
     * Disconnects one client.
     *
     * @param id the connection's {@link io.streamkit.api.ConnectionInfo#id()}
     * @return whether such a connection was open
     */
    public boolean kick(String id) {
        RtmpServerSession s = sessions.get(id);
        if (s == null) {
            return false;
        }
        s.kick();
        return true;
    }

    void sessionClosed(RtmpServerSession session) {
        sessions.remove(session.id());
    }

    /** Closes a session with a protocol error; counted. */
    void protocolError() {
        protocolErrors.incrementAndGet();
    }

    /** Builds an {@link RtmpServer}. */
    public static final class Builder {
        final StreamKit kit;
        String host = "0.0.0.0";
        int port = 1935;
        SslContext sslContext;
        RtmpAuthenticator authenticator = RtmpAuthenticator.ALLOW_ALL;
        PublishPolicy publishPolicy = PublishPolicy.REJECT;
        Duration handshakeTimeout = Duration.ofSeconds(10);
        Duration idleTimeout = Duration.ofSeconds(30);
        int maxConnections = 10_000;
        int maxMessageLength = RtmpChunkDecoder.DEFAULT_MAX_MESSAGE_LENGTH;
        int chunkSize = 4096;
        EventLoopGroup group;
        int threads = 0;

        private Builder(StreamKit kit) {
            this.kit = Objects.requireNonNull(kit, "kit");
        }

        /** @param host the interface to bind, {@code 0.0.0.0} by default @return this builder */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** @param port the port, 0 for any free one @return this builder */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
            }
            this.port = port;
            return this;
        }

        /** @param context a server TLS context: the server speaks RTMPS @return this builder */
        public Builder tls(SslContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Serves RTMPS with a freshly generated self-signed certificate, for development (needs
         * BouncyCastle's {@code bcpkix} on the class path).
         *
         * @return this builder
         */
        @SuppressWarnings("deprecation") // Netty's generator is deprecated for production use; this is for development only
        public Builder tlsSelfSigned() {
            try {
                SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
                this.sslContext = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
            } catch (Exception e) {
                throw new TransportException("cannot create a self-signed certificate: " + e.getMessage(), e);
            }
            return this;
        }

        /** @param auth decides who may publish and play @return this builder */
        public Builder authenticator(RtmpAuthenticator auth) {
            this.authenticator = Objects.requireNonNull(auth, "auth");
            return this;
        }

        /**
         * @param policy what happens when a client publishes to a path that is live: refuse it
         *        ({@code NetStream.Publish.BadName}) or let it take over
         * @return this builder
         */
        public Builder publishPolicy(PublishPolicy policy) {
            this.publishPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** @param timeout how long the handshake and {@code connect} may take @return this builder */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        /** @param timeout how long a publisher may send nothing before it is dropped @return this builder */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /** @param max the most connections open at once @return this builder */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1, was " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /** @param max the largest RTMP message accepted, in bytes @return this builder */
        public Builder maxMessageLength(int max) {
            if (max < 1024) {
                throw new IllegalArgumentException("maxMessageLength must be >= 1024, was " + max);
            }
            this.maxMessageLength = max;
            return this;
        }

        /** @param size the outgoing chunk size announced to clients @return this builder */
        public Builder chunkSize(int size) {
            if (size < 128 || size > 65536) {
                throw new IllegalArgumentException("chunkSize must be in [128, 65536], was " + size);
            }
            this.chunkSize = size;
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

        private static Duration positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0, was " + d);
            }
            return d;
        }

        /** @return the server, not yet bound: call {@link RtmpServer#start()} */
        public RtmpServer build() {
            return new RtmpServer(this);
        }
    }
}
