package io.streamkit.webrtc.signaling;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
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
import java.net.InetSocketAddress;
import java.net.SocketAddress;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling protocol of a {@link SignalingHub} over WebSocket
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455">RFC 6455</a>) on Netty, plus a few static
 * resources (a client page) on the same port.
 *
 * <p>The upgrade is accepted on one path (default {@code /ws}). The {@code Origin} header is
 * checked against cross-site WebSocket hijacking: with an allow-list, browsers may connect only from
 * the listed origins (exact {@code scheme://host[:port]}, or {@code *}); without one, only from the
 * server's own origin. Requests without {@code Origin} come from non-browser clients, which could
 * send any value, and are accepted (authenticate them with a {@link PeerAuthenticator}). Messages are text frames of at most 64 KiB (a larger frame
 * closes the connection with code 1009). The server pings an idle connection every 15 s and closes
 * it after 45 s without any frame, so a peer that vanishes leaves its room after the hub's
 * reconnect grace.
 */
public final class SignalingServer implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);
    private static final int MAX_MESSAGE = Messages.MAX_MESSAGE;

    private final SignalingHub hub;
    private final String host;
    private final int port;
    private final String path;
    private final Set<String> allowedOrigins;
    private final Map<String, Resource> resources;
    private final EventLoopGroup group;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final LongAdder refusedOrigins = new LongAdder();
    private final LongAdder oversizedMessages = new LongAdder();
    private final LongAdder badFrames = new LongAdder();
    private volatile Channel serverChannel;

    private record Resource(String contentType, byte[] body) {
    }

    private SignalingServer(Builder b) {
        this.hub = b.hub;
        this.host = b.host;
        this.port = b.port;
        this.path = b.path;
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.resources = Map.copyOf(b.resources);
        this.group = new MultiThreadIoEventLoopGroup(b.ioThreads, new DefaultThreadFactory("streamkit-signaling", true),
                NioIoHandler.newFactory());
    }

    /**
     * @param hub the rooms and protocol to serve
     * @return a builder (defaults: 0.0.0.0, port 8080, path {@code /ws}, one I/O thread)
     */
    public static Builder builder(SignalingHub hub) {
        return new Builder(hub);
    }

    /**
     * Binds the port.
     *
     * @return this server
     * @throws TransportException when the port cannot be bound
     */
    public SignalingServer start() {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(4096, 16 * 1024, 8192));
                        ch.pipeline().addLast(new HttpObjectAggregator(16 * 1024));
                        ch.pipeline().addLast(new Handler());
                    }
                });
        try {
            serverChannel = b.bind(host, port).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new TransportException("cannot bind the signaling server on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        log.info("signaling WebSocket on ws://{}:{}{}", localAddress().getHostString(), localAddress().getPort(), path);
        return this;
    }

    /** @return the bound address (with the real port when 0 was asked) */
    public InetSocketAddress localAddress() {
        Channel ch = serverChannel;
        if (ch == null) {
            throw new IllegalStateException("the server is not started");
        }
        return (InetSocketAddress) ch.localAddress();
    }

    /** @return upgrades refused because of their {@code Origin} */
    public long refusedOrigins() {
        return refusedOrigins.sum();
    }

    /** @return connections closed because a message exceeded 64 KiB */
    public long oversizedMessages() {
        return oversizedMessages.sum();
    }

    /** @return binary or malformed frames received */
    public long badFrames() {
        return badFrames.sum();
    }

    /** Closes the port and every connection; the hub is not closed. */
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
            return true; // not a browser: it could send any Origin, so the check protects nothing
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

    static String normalizeOrigin(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        while (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        return o;
    }

    /** One TCP connection: HTTP until the upgrade, then WebSocket frames. */
    private final class Handler extends SimpleChannelInboundHandler<Object>
            implements
                SignalingConnection,
                SignalingHub.TokenCarrier {
        private WebSocketServerHandshaker handshaker;
        private SignalingSession session;
        private Channel channel;
        private String token;

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
                log.warn("signaling upgrade from {} refused: origin {} is not allowed", ctx.channel().remoteAddress(),
                        req.headers().get(HttpHeaderNames.ORIGIN));
                respond(ctx, req, plain(HttpResponseStatus.FORBIDDEN, "origin not allowed"));
                return;
            }
            List<String> tokens = qs.parameters().get("token");
            token = tokens == null || tokens.isEmpty() ? null : tokens.get(0);
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
                    ctx.pipeline().addBefore("ws-aggregator", "idle", new IdleStateHandler(45, 15, 0));
                    session = hub.connect(this);
                } else {
                    ctx.close();
                }
            });
        }

        private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                handshaker.close(ctx.channel(), close.retain());
            } else if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (frame instanceof PongWebSocketFrame) {
                // keep-alive answer; the idle handler saw it
            } else if (frame instanceof TextWebSocketFrame text && session != null) {
                session.onMessage(text.text());
            } else if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
                badFrames.increment();
                send(Messages.write(Messages.error(SignalingException.INVALID_MESSAGE,
                        "binary frames are not part of the protocol; send JSON text", null)));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.WRITER_IDLE) {
                    ctx.writeAndFlush(new PingWebSocketFrame());
                } else if (idle.state() == IdleState.READER_IDLE) {
                    log.debug("signaling connection {} silent for 45 s; closing", ctx.channel().remoteAddress());
                    close(1001, "idle");
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (session != null) {
                session.onClose();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException || (cause instanceof CorruptedWebSocketFrameException c
                    && c.closeStatus() != null && c.closeStatus().code() == 1009)) {
                oversizedMessages.increment();
                log.warn("signaling connection {}: message over {} bytes; closing", ctx.channel().remoteAddress(),
                        MAX_MESSAGE);
            } else if (cause instanceof CorruptedFrameException) {
                badFrames.increment();
                log.warn("signaling connection {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            } else {
                log.debug("signaling connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            }
            if (cause instanceof CorruptedWebSocketFrameException) {
                return; // the frame decoder sends the close frame with its status, then closes
            }
            ctx.close();
        }

        @Override
        public void send(String json) {
            Channel ch = channel;
            if (ch != null && ch.isActive()) {
                ch.writeAndFlush(new TextWebSocketFrame(json));
            }
        }

        @Override
        public void close(int code, String reason) {
            Channel ch = channel;
            if (ch != null && ch.isActive()) {
                ch.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public SocketAddress remoteAddress() {
            Channel ch = channel;
            return ch == null ? null : ch.remoteAddress();
        }

        @Override
        public String token() {
            return token;
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

    /** Builds a {@link SignalingServer}. */
    public static final class Builder {
        private final SignalingHub hub;
        private String host = "0.0.0.0";
        private int port = 8080;
        private String path = "/ws";
        private int ioThreads = 1;
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private final Map<String, Resource> resources = new HashMap<>();

        private Builder(SignalingHub hub) {
            this.hub = Objects.requireNonNull(hub, "hub");
        }

        /**
         * @param host the address to bind
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port the TCP port, 0 for an ephemeral one
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
            }
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
         * Serves a static resource (for example the client page) on the same port.
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
         * Serves the demo client on this port: {@code /} (join a room, publish camera and
         * microphone, see and hear the others; query parameters {@code room}, {@code user},
         * {@code autojoin=1}), {@code /streamkit-sfu.js} (the reusable browser client of the
         * protocol), {@code /sfu-page.js} and {@code /sfu.css}.
         *
         * @return this builder
         */
        public Builder clientPage() {
            resource("/", "text/html; charset=utf-8", clientResource("index.html"));
            resource("/streamkit-sfu.js", "text/javascript; charset=utf-8", clientResource("streamkit-sfu.js"));
            resource("/sfu-page.js", "text/javascript; charset=utf-8", clientResource("sfu-page.js"));
            resource("/sfu.css", "text/css; charset=utf-8", clientResource("sfu.css"));
            return this;
        }

        private static byte[] clientResource(String name) {
            try (java.io.InputStream in = SignalingServer.class.getResourceAsStream("/io/streamkit/webrtc/client/"
                    + name)) {
                if (in == null) {
                    throw new IllegalStateException("client resource missing from the jar: " + name);
                }
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read client resource " + name, e);
            }
        }

        /** @return the server, not yet started */
        public SignalingServer build() {
            if (resources.containsKey(path)) {
                throw new IllegalArgumentException("a resource uses the WebSocket path " + path);
            }
            return new SignalingServer(this);
        }
    }
}
