package io.streamkit.relay.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
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
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restreamer's HTTP server on Netty: the REST API under {@code /api/v1/}, the event WebSocket
 * at {@code /api/v1/events}, Prometheus metrics at {@code /metrics}, and the dashboard's static
 * files at {@code /}. API calls run on a small worker pool, never on the network threads (they hash
 * passwords and touch the store). Bodies are limited to 64 KiB.
 */
final class ControlHttpServer implements AsyncCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlHttpServer.class);
    static final int MAX_BODY = 64 * 1024;
    private static final String STATIC_ROOT = "io/streamkit/relay/control/dashboard/";

    private final ControlApi api;
    private final EventHub events;
    private final Supplier<String> metrics;
    private final boolean dashboard;
    private final ExecutorService workers;
    private final EventLoopGroup group;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final Map<String, byte[]> staticCache = new java.util.concurrent.ConcurrentHashMap<>();
    private Channel serverChannel;

    ControlHttpServer(ControlApi api, EventHub events, Supplier<String> metrics, boolean dashboard,
            ExecutorService workers) {
        this.api = api;
        this.events = events;
        this.metrics = metrics;
        this.dashboard = dashboard;
        this.workers = workers;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("streamkit-control-http", true),
                NioIoHandler.newFactory());
    }

    ControlHttpServer start(String host, int port) {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(
                new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(4096, 16 * 1024, 8192));
                        ch.pipeline().addLast(new HttpObjectAggregator(MAX_BODY));
                        ch.pipeline().addLast(new Handler());
                    }
                });
        try {
            serverChannel = b.bind(host, port).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new TransportException("cannot bind the control HTTP server on " + host + ":" + port + ": " + e
                    .getMessage(), e);
        }
        log.info("control HTTP server listening on {}", localAddress());
        return this;
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (serverChannel != null) {
            serverChannel.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> closeFuture.complete(null));
        return closeFuture;
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private WebSocketServerHandshaker handshaker;
        private EventHub.Client client;

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
                send(ctx, req, plain(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"));
                return;
            }
            QueryStringDecoder qs = new QueryStringDecoder(req.uri());
            String path = qs.path();
            String remote = remote(ctx);
            if (path.equals(ControlApi.PREFIX + "/events")) {
                upgrade(ctx, req, qs, remote);
                return;
            }
            if (path.startsWith(ControlApi.PREFIX + "/") || path.equals(ControlApi.PREFIX)) {
                Map<String, String> query = new HashMap<>();
                qs.parameters().forEach((k, v) -> query.put(k, v.get(0)));
                ControlApi.Request r = new ControlApi.Request(req.method().name(), path.substring(ControlApi.PREFIX
                        .length()), query, req.headers().get(HttpHeaderNames.AUTHORIZATION), ByteBufUtil.getBytes(
                                req
                                        .content()),
                        remote);
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                try {
                    workers.execute(() -> {
                        ControlApi.Response res = api.handle(r);
                        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus
                                .valueOf(res.status()), Unpooled.wrappedBuffer(res.body()));
                        out.headers().set(HttpHeaderNames.CONTENT_TYPE, res.contentType());
                        out.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
                        write(ctx, out, keepAlive);
                    });
                } catch (RejectedExecutionException e) {
                    send(ctx, req, plain(HttpResponseStatus.SERVICE_UNAVAILABLE, "server is shutting down"));
                }
                return;
            }
            if (path.equals("/metrics")) {
                if (!req.method().equals(HttpMethod.GET)) {
                    send(ctx, req, plain(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET"));
                    return;
                }
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                try {
                    workers.execute(() -> {
                        // the scrape reads the store: never on the network thread
                        byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
                        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                Unpooled.wrappedBuffer(body));
                        out.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                        write(ctx, out, keepAlive);
                    });
                } catch (RejectedExecutionException e) {
                    send(ctx, req, plain(HttpResponseStatus.SERVICE_UNAVAILABLE, "server is shutting down"));
                }
                return;
            }
            if (dashboard && (req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD))) {
                serveStatic(ctx, req, path);
                return;
            }
            send(ctx, req, plain(HttpResponseStatus.NOT_FOUND, "not found"));
        }

        private void serveStatic(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
            String name = path.equals("/") ? "index.html" : path.substring(1);
            if (name.contains("..") || name.contains("//") || name.contains("\\") || !name.matches(
                    "[A-Za-z0-9._/-]{1,128}")) {
                send(ctx, req, plain(HttpResponseStatus.NOT_FOUND, "not found"));
                return;
            }
            byte[] body = staticCache.computeIfAbsent(name, ControlHttpServer::loadStatic);
            if (body.length == 0) {
                send(ctx, req, plain(HttpResponseStatus.NOT_FOUND, "not found"));
                return;
            }
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, req
                    .method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType(name));
            out.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            out.headers().set("X-Content-Type-Options", "nosniff");
            out.headers().set("Content-Security-Policy", "default-src 'self'; connect-src 'self'; "
                    + "img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
            HttpUtil.setContentLength(out, body.length);
            send(ctx, req, out);
        }

        private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, String remote) {
            String token = qs.parameters().containsKey("token")
                    ? qs.parameters().get("token").get(0)
                    : ControlApi.bearer(req.headers().get(HttpHeaderNames.AUTHORIZATION));
            Actor actor;
            java.time.Instant expiry;
            try {
                actor = events.authenticate(token, remote);
                expiry = events.expiry(token);
            } catch (ApiException e) {
                FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(e
                        .status()), Unpooled.wrappedBuffer(e.getMessage().getBytes(StandardCharsets.UTF_8)));
                out.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                send(ctx, req, out);
                return;
            }
            String location = "ws://" + req.headers().get(HttpHeaderNames.HOST) + ControlApi.PREFIX + "/events";
            WebSocketServerHandshakerFactory f = new WebSocketServerHandshakerFactory(location, null, false, 16
                    * 1024);
            handshaker = f.newHandshaker(req);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            handshaker.handshake(ctx.channel(), req).addListener(fut -> {
                if (fut.isSuccess()) {
                    client = events.join(ctx.channel(), actor, expiry);
                }
            });
        }

        private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                handshaker.close(ctx.channel(), close.retain());
            } else if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (frame instanceof TextWebSocketFrame text && client != null) {
                String message = text.text();
                workers.execute(() -> client.onMessage(message));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (client != null) {
                events.leave(client);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("control HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private static String remote(ChannelHandlerContext ctx) {
        InetSocketAddress a = (InetSocketAddress) ctx.channel().remoteAddress();
        return a == null ? "?" : a.getAddress().getHostAddress();
    }

    private static FullHttpResponse plain(HttpResponseStatus status, String text) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(text
                .getBytes(StandardCharsets.UTF_8)));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return out;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        write(ctx, res, HttpUtil.isKeepAlive(req));
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
        if (!res.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(res, res.content().readableBytes());
        }
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static byte[] loadStatic(String name) {
        try (InputStream in = ControlHttpServer.class.getResourceAsStream("/" + STATIC_ROOT + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            log.warn("cannot read dashboard file {}: {}", name, e.toString());
            return new byte[0];
        }
    }

    private static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "json" -> "application/json";
            case "yaml" -> "application/yaml";
            default -> "application/octet-stream";
        };
    }
}
