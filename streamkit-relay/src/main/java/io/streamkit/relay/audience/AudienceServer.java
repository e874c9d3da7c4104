package io.streamkit.relay.audience;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.TransportException;
import io.streamkit.relay.audience.AudienceException.Code;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Audience} protocol over WebSocket (<a href="https://www.rfc-editor.org/rfc/rfc6455">RFC
 * 6455</a>) on Netty, plus static resources (a host's pages) on the same port.
 *
 * <p>One JSON object per text frame, at most 16 KiB; every bad message is answered with
 * {@code ERROR} and the connection carries on (a larger frame closes it with 1009, a binary frame
 * is answered with {@code BINARY_NOT_SUPPORTED}). The {@code Origin} header is checked against the
 * allow-list (without one, only the server's own origin is accepted; clients without
 * {@code Origin} are not browsers and are accepted — authenticate them with an
 * {@link AudienceAuthenticator}). Each client may send 20 requests per second (bursts of 60);
 * beyond that it gets {@code RATE_LIMITED}. A client that does not read its messages is closed
 * once 256 KiB are waiting for it (queued or in the socket buffer), so it never holds more than
 * that. Writes are flushed once per burst, not once per message. The server pings a client it has
 * heard nothing from for the keep-alive interval (30 s by default; a silent viewer that only
 * receives chat is pinged too) and closes it when a second interval passes without any frame, pong
 * included; a closed connection leaves its streams (the owners see {@code VIEWER_LEFT}).
 */
public final class AudienceServer implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(AudienceServer.class);
    private static final int MAX_MESSAGE = 16 * 1024;
    private static final long MAX_PENDING_BYTES = 256 * 1024;
    private static final double REQUESTS_PER_SECOND = 20;
    private static final double REQUEST_BURST = 60;
    private static final Set<String> REGISTER_FIELDS = Set.of("username", "role", "token");
    private static final Set<String> KEY_FIELDS = Set.of("streamKey");
    private static final Set<String> CHAT_FIELDS = Set.of("streamKey", "content");
    private static final ThreadLocal<Encoded> LAST_ENCODED = ThreadLocal.withInitial(Encoded::new);

    private final Audience audience;
    private final String host;
    private final int port;
    private final String path;
    private final Set<String> allowedOrigins;
    private final AudienceAuthenticator authenticator;
    private final Map<String, Resource> resources;
    private final long keepAliveMillis;
    private final EventLoopGroup group;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refusedOrigins = new LongAdder();
    private final LongAdder refusedAuth = new LongAdder();
    private final LongAdder oversizedMessages = new LongAdder();
    private final LongAdder badFrames = new LongAdder();
    private final LongAdder slowClosed = new LongAdder();
    private volatile Channel serverChannel;

    private record Resource(String contentType, byte[] body) {
    }

    /** The last event encoded on this thread: a broadcast is encoded once for all its receivers. */
    private static final class Encoded {
        AudienceEvent event;
        byte[] bytes;

        byte[] of(AudienceEvent e) {
            if (e != event) {
                bytes = AudienceJson.write(e);
                event = e;
            }
            return bytes;
        }
    }

    private AudienceServer(Builder b) {
        this.audience = b.audience;
        this.host = b.host;
        this.port = b.port;
        this.path = b.path;
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.authenticator = b.authenticator;
        this.resources = Map.copyOf(b.resources);
        this.keepAliveMillis = b.keepAlive.toMillis();
        this.group = new MultiThreadIoEventLoopGroup(b.ioThreads, new DefaultThreadFactory("streamkit-audience",
                true), NioIoHandler.newFactory());
    }

    /**
     * @param audience the audience to serve
     * @return a builder (defaults: 0.0.0.0, port 8080, path {@code /audience}, one I/O thread)
     */
    public static Builder builder(Audience audience) {
        return new Builder(audience);
    }

    private AudienceServer bind() {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192));
                        ch.pipeline().addLast(new HttpObjectAggregator(16 * 1024));
                        ch.pipeline().addLast(new Handler());
                    }
                });
        try {
            serverChannel = b.bind(host, port).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new TransportException("cannot bind the audience server on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        log.info("audience WebSocket on ws://{}:{}{}", host, port(), path);
        return this;
    }

    /** @return the bound port (the real one when 0 was asked) */
    public int port() {
        return localAddress().getPort();
    }

    /** @return the bound address */
    public InetSocketAddress localAddress() {
        Channel ch = serverChannel;
        if (ch == null) {
            throw new IllegalStateException("the server is not started");
        }
        return (InetSocketAddress) ch.localAddress();
    }

    /** @return the audience served */
    public Audience audience() {
        return audience;
    }

    /** @return the server's counters */
    public Stats stats() {
        return new Stats(open.get(), refusedOrigins.sum(), refusedAuth.sum(), oversizedMessages.sum(),
                badFrames.sum(), slowClosed.sum());
    }

    /**
     * Counters of an {@link AudienceServer}.
     *
     * @param openConnections WebSocket connections open now
     * @param refusedOrigins upgrades refused for their {@code Origin}
     * @param refusedAuth upgrades refused by the {@link AudienceAuthenticator}
     * @param oversizedMessages connections closed for a frame over 16 KiB
     * @param badFrames binary or malformed frames
     * @param slowConsumersClosed connections closed because 256 KiB were waiting for them (queued
     *     or in the socket buffer)
     */
    public record Stats(int openConnections, long refusedOrigins, long refusedAuth, long oversizedMessages,
            long badFrames, long slowConsumersClosed) {
    }

    /** Closes the port and every connection; the audience is not closed. */
    @Override
    public CompletableFuture<Void> closeAsync() {
        Channel ch = serverChannel;
        if (ch != null) {
            ch.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> closeFuture.complete(null));
        return closeFuture;
    }

    private boolean originAllowed(FullHttpRequest req) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return true;
        }
        if (!allowedOrigins.isEmpty()) {
            return allowedOrigins.contains("*") || allowedOrigins.contains(normalizeOrigin(origin));
        }
        String hostHeader = req.headers().get(HttpHeaderNames.HOST);
        try {
            URI u = new URI(origin);
            return hostHeader != null && u.getHost() != null
                    && hostHeader.equalsIgnoreCase(u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : ""));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String normalizeOrigin(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        while (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        return o;
    }

    /** One TCP connection: HTTP until the upgrade, then the protocol. */
    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private WebSocketServerHandshaker handshaker;
        private AudienceConnection connection;
        private volatile Channel channel;
        /** Bytes handed to the event loop and not yet written to the channel. */
        private final AtomicLong queuedBytes = new AtomicLong();
        /** Write tasks handed to the event loop and not yet run; the last one of a burst flushes. */
        private final AtomicInteger queuedWrites = new AtomicInteger();
        private final AtomicBoolean slow = new AtomicBoolean();
        private double allowance = REQUEST_BURST;
        private long lastRequestNanos = System.nanoTime();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest req) {
                http(ctx, req);
            } else if (msg instanceof WebSocketFrame frame) {
                frame(ctx, frame);
            }
        }

        private void http(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                respond(ctx, req, plain(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"));
                return;
            }
            QueryStringDecoder qs = new QueryStringDecoder(req.uri());
            if (qs.path().equals(path)) {
                upgrade(ctx, req, qs);
                return;
            }
            Resource r = resources.get(qs.path());
            if (r != null && (req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD))) {
                FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        req.method().equals(HttpMethod.HEAD)
                                ? Unpooled.EMPTY_BUFFER
                                : Unpooled.wrappedBuffer(r.body()));
                out.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
                out.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                out.headers().set("X-Content-Type-Options", "nosniff");
                HttpUtil.setContentLength(out, r.body().length);
                respond(ctx, req, out);
                return;
            }
            respond(ctx, req, plain(HttpResponseStatus.NOT_FOUND, "not found"));
        }

        private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs) {
            if (!originAllowed(req)) {
                refusedOrigins.increment();
                log.warn("audience upgrade from {} refused: origin {} is not allowed", ctx.channel().remoteAddress(),
                        req.headers().get(HttpHeaderNames.ORIGIN));
                respond(ctx, req, plain(HttpResponseStatus.FORBIDDEN, "origin not allowed"));
                return;
            }
            List<String> tokens = qs.parameters().get("access_token");
            String token = tokens == null || tokens.isEmpty() ? null : tokens.get(0);
            boolean allowed;
            try {
                allowed = authenticator.allow(token, ctx.channel().remoteAddress());
            } catch (RuntimeException e) {
                log.warn("audience authenticator failed; connection refused", e);
                allowed = false;
            }
            if (!allowed) {
                refusedAuth.increment();
                log.info("audience upgrade from {} refused by the authenticator", ctx.channel().remoteAddress());
                respond(ctx, req, plain(HttpResponseStatus.UNAUTHORIZED, "not authorized"));
                return;
            }
            String location = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + path;
            WebSocketServerHandshakerFactory f = new WebSocketServerHandshakerFactory(location, null,
                    WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_MESSAGE).allowExtensions(false)
                            .closeOnProtocolViolation(true).build());
            handshaker = f.newHandshaker(req);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            channel = ctx.channel();
            handshaker.handshake(ctx.channel(), req).addListener(fut -> {
                if (fut.isSuccess()) {
                    ctx.pipeline().addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE));
                    ctx.pipeline().addBefore("ws-aggregator", "idle", new IdleStateHandler(keepAliveMillis, 0,
                            0, TimeUnit.MILLISECONDS));
                    open.incrementAndGet();
                    connection = audience.connect(this::deliver);
                } else {
                    ctx.close();
                }
            });
        }

        /**
         * Under the stream's lock: encode once per broadcast, queue in delivery order, return. What
         * is queued for a client is bounded: past {@link #MAX_PENDING_BYTES} it is closed.
         */
        private void deliver(AudienceEvent event) {
            Channel ch = channel;
            if (ch == null || !ch.isActive() || slow.get()) {
                return;
            }
            byte[] bytes = LAST_ENCODED.get().of(event);
            long queued = queuedBytes.addAndGet(bytes.length);
            if (queued > MAX_PENDING_BYTES) {
                queuedBytes.addAndGet(-bytes.length);
                closeSlow(ch, queued);
                return;
            }
            queuedWrites.incrementAndGet();
            try {
                ch.eventLoop().execute(() -> write(ch, bytes));
            } catch (RejectedExecutionException e) {
                queuedWrites.decrementAndGet(); // the server is closing: nobody is left to read it
                queuedBytes.addAndGet(-bytes.length);
            }
        }

        private void write(Channel ch, byte[] bytes) {
            queuedBytes.addAndGet(-bytes.length);
            boolean last = queuedWrites.decrementAndGet() == 0;
            if (!ch.isActive() || slow.get()) {
                return;
            }
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            long waiting = out == null ? 0 : out.totalPendingWriteBytes() + queuedBytes.get();
            if (waiting > MAX_PENDING_BYTES) {
                closeSlow(ch, waiting);
                return;
            }
            ch.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)), ch.voidPromise());
            if (last) {
                ch.flush();
            }
        }

        private void closeSlow(Channel ch, long waiting) {
            if (slow.compareAndSet(false, true)) {
                slowClosed.increment();
                log.warn("audience client {} is not reading ({} bytes waiting); closing it", ch.remoteAddress(),
                        waiting);
                ch.close();
            }
        }

        private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                handshaker.close(ctx.channel(), close.retain());
            } else if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (frame instanceof PongWebSocketFrame) {
                // keep-alive answer; the idle handler saw it
            } else if (frame instanceof TextWebSocketFrame text && connection != null) {
                onText(text.text());
            } else if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
                badFrames.increment();
                connection.reportFailure(audience.refused(new AudienceException(Code.BINARY_NOT_SUPPORTED,
                        "binary frames are not part of the protocol; send JSON text")), null);
            }
        }

        private boolean withinRequestRate() {
            long now = System.nanoTime();
            allowance = Math.min(REQUEST_BURST, allowance + (now - lastRequestNanos) * REQUESTS_PER_SECOND / 1e9);
            lastRequestNanos = now;
            if (allowance < 1) {
                return false;
            }
            allowance -= 1;
            return true;
        }

        private void onText(String text) {
            String type = null;
            try {
                if (!withinRequestRate()) {
                    throw new AudienceException(Code.RATE_LIMITED, "more than " + (int) REQUESTS_PER_SECOND
                            + " requests per second; slow down");
                }
                AudienceJson.Request req = AudienceJson.parse(text);
                type = req.type();
                dispatch(req);
            } catch (AudienceException e) {
                if (type == null) {
                    audience.refused(e); // rate or parse refusals; dispatch counted the others
                }
                connection.reportFailure(e, type);
            } catch (IllegalStateException e) {
                log.debug("audience request on a closing connection: {}", e.getMessage());
            }
        }

        /** Checks the message's shape (refusals counted here), then runs it (the core counts its own). */
        private void dispatch(AudienceJson.Request req) {
            Runnable action;
            try {
                action = parseAction(req);
            } catch (AudienceException e) {
                throw audience.refused(e);
            }
            action.run();
        }

        private Runnable parseAction(AudienceJson.Request req) {
            switch (req.type()) {
                case "USER_REGISTER" -> {
                    req.allowOnly(REGISTER_FIELDS);
                    String token = req.boundedString("token", false);
                    if (token != null) {
                        return () -> connection.resume(token);
                    }
                    String username = req.boundedString("username", true);
                    String role = req.requiredString("role");
                    AudienceRole r;
                    try {
                        r = AudienceRole.valueOf(role);
                    } catch (IllegalArgumentException e) {
                        throw new AudienceException(Code.INVALID_FIELD, "role", "role must be STREAMER or VIEWER");
                    }
                    return () -> connection.register(username, r);
                }
                case "STREAM_JOIN" -> {
                    req.allowOnly(KEY_FIELDS);
                    String key = req.boundedString("streamKey", true);
                    return () -> connection.join(key);
                }
                case "STREAM_LEAVE" -> {
                    req.allowOnly(KEY_FIELDS);
                    String key = req.boundedString("streamKey", true);
                    return () -> connection.leave(key);
                }
                case "CHAT_MESSAGE_SEND" -> {
                    req.allowOnly(CHAT_FIELDS);
                    String key = req.boundedString("streamKey", true);
                    String content = req.requiredString("content");
                    return () -> connection.sendChat(key, content);
                }
                case "STREAM_LIST" -> {
                    req.allowOnly(Set.of());
                    return connection::listStreams;
                }
                default -> throw new AudienceException(Code.UNKNOWN_TYPE, "type", "unknown type '"
                        + (req.type().length() > 40 ? req.type().substring(0, 40) + "…" : req.type())
                        + "'; known: USER_REGISTER, STREAM_JOIN, STREAM_LEAVE, CHAT_MESSAGE_SEND, STREAM_LIST");
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.READER_IDLE && idle.isFirst()) {
                    ctx.writeAndFlush(new PingWebSocketFrame());
                } else if (idle.state() == IdleState.READER_IDLE) {
                    log.debug("audience client {} silent for {} ms after a ping; closing", ctx.channel()
                            .remoteAddress(), 2 * keepAliveMillis);
                    ctx.writeAndFlush(new CloseWebSocketFrame(1001, "idle")).addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (connection != null) {
                open.decrementAndGet();
                connection.close();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException || (cause instanceof CorruptedWebSocketFrameException c
                    && c.closeStatus() != null && c.closeStatus().code() == 1009)) {
                oversizedMessages.increment();
                log.warn("audience client {}: message over {} bytes; closing", ctx.channel().remoteAddress(),
                        MAX_MESSAGE);
            } else if (cause instanceof CorruptedFrameException) {
                badFrames.increment();
                log.warn("audience client {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            } else {
                log.debug("audience client {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            }
            if (cause instanceof CorruptedWebSocketFrameException) {
                return; // the decoder sends the close frame with its status, then closes
            }
            ctx.close();
        }
    }

    private static FullHttpResponse plain(HttpResponseStatus status, String text) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return out;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        if (!res.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(res, res.content().readableBytes());
        }
        if (HttpUtil.isKeepAlive(req)) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Builds and starts an {@link AudienceServer}. */
    public static final class Builder {
        private final Audience audience;
        private String host = "0.0.0.0";
        private int port = 8080;
        private String path = "/audience";
        private int ioThreads = 1;
        private Duration keepAlive = Duration.ofSeconds(30);
        private AudienceAuthenticator authenticator = AudienceAuthenticator.ALLOW_ALL;
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private final Map<String, Resource> resources = new HashMap<>();

        private Builder(Audience audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
        }

        /**
         * @param host the address to bind
         * @param port the TCP port, 0 for an ephemeral one
         * @return this builder
         */
        public Builder bind(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
            }
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /**
         * @param path the WebSocket path, starting with {@code /}
         * @return this builder
         */
        public Builder path(String path) {
            if (path == null || !path.startsWith("/") || path.length() > 256) {
                throw new IllegalArgumentException("path must start with / and be at most 256 characters, got " + path);
            }
            this.path = path;
            return this;
        }

        /**
         * @param threads Netty I/O threads, 1 to 64
         * @return this builder
         */
        public Builder ioThreads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("ioThreads must be 1 to 64, got " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * How long a client may stay silent before it is pinged; after twice as long without any
         * frame (a pong counts) it is closed with 1001.
         *
         * @param interval 100 ms to 10 minutes (default 30 s)
         * @return this builder
         */
        public Builder keepAlive(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.toMillis() < 100 || interval.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("keepAlive must be 100 ms to 10 minutes, got " + interval);
            }
            this.keepAlive = interval;
            return this;
        }

        /**
         * @param authenticator decides who may connect
         * @return this builder
         */
        public Builder authenticator(AudienceAuthenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /**
         * Adds an allowed {@code Origin} ({@code scheme://host[:port]}, or {@code *} for any).
         *
         * @param origin the origin
         * @return this builder
         */
        public Builder allowedOrigin(String origin) {
            if (origin == null || origin.isBlank()) {
                throw new IllegalArgumentException("origin must not be blank");
            }
            if (!origin.equals("*")) {
                URI u;
                try {
                    u = new URI(origin.trim());
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("origin is not a URL: " + origin, e);
                }
                if (u.getScheme() == null || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty()
                        && !u.getPath().equals("/"))) {
                    throw new IllegalArgumentException("origin must be scheme://host[:port], got " + origin);
                }
            }
            allowedOrigins.add(origin.equals("*") ? "*" : normalizeOrigin(origin));
            return this;
        }

        /**
         * Serves a static resource (a page, a script) on the same port.
         *
         * @param urlPath the path, starting with {@code /}
         * @param contentType its content type
         * @param body its bytes (copied)
         * @return this builder
         */
        public Builder resource(String urlPath, String contentType, byte[] body) {
            if (urlPath == null || !urlPath.startsWith("/")) {
                throw new IllegalArgumentException("resource path must start with /, got " + urlPath);
            }
            resources.put(urlPath, new Resource(Objects.requireNonNull(contentType, "contentType"), body.clone()));
            return this;
        }

        /**
         * Binds the port.
         *
         * @return the running server
         * @throws TransportException when the port cannot be bound
         */
        public AudienceServer start() {
            if (resources.containsKey(path)) {
                throw new IllegalArgumentException("a resource uses the WebSocket path " + path);
            }
            return new AudienceServer(this).bind();
        }
    }
}
