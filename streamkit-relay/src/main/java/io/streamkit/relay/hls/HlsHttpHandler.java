package io.streamkit.relay.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the HLS requests of one HTTP/1.1 connection, one at a time and in order (pipelined
 * requests wait for the previous answer): GET and HEAD of playlists, initialization segments,
 * segments and parts; OPTIONS preflights; 405 for other methods. Requests that must wait (the
 * first segment of a stream, a blocking playlist reload, a preload-hinted part) do not block the
 * event loop: they continue when the packager's future completes.
 *
 * <p>Every response carries CORS headers. Playlists and initialization segments are not cached;
 * segments and parts, whose names are never reused by a server, are cacheable for an hour.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9112">RFC 9112, HTTP/1.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216#section-6.2">RFC 8216, section 6.2: server process</a>
 * @see <a href="https://fetch.spec.whatwg.org/#http-cors-protocol">Fetch standard, the CORS protocol</a>
 */
final class HlsHttpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HlsHttpHandler.class);
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    static final String MP4_TYPE = "video/mp4";
    static final String TS_TYPE = "video/mp2t";
    static final String SEGMENT_CACHE = "public, max-age=3600";
    static final String NO_CACHE = "no-cache";
    private static final String ALLOWED_METHODS = "GET, HEAD, OPTIONS";
    private static final String EXPOSED_HEADERS = "Content-Length, Date, Age";
    private static final String DEFAULT_ALLOWED_HEADERS = "Range, Origin, Accept, Content-Type";
    private static final Pattern HEADER_LIST = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~ ,-]{1,256}");
    /** Pipelined requests queued at most per connection. */
    private static final int MAX_QUEUED = 16;

    private final HlsServer server;
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private boolean busy;

    /** What is kept of a request once its buffers are released. */
    private record Request(HttpMethod method, String uri, HttpVersion version, boolean keepAlive,
            DecoderResult decoderResult, String requestHeaders) {
        boolean head() {
            return HttpMethod.HEAD.equals(method);
        }
    }

    HlsHttpHandler(HlsServer server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Request r;
        try {
            r = new Request(req.method(), req.uri(), req.protocolVersion(), HttpUtil.isKeepAlive(req), req
                    .decoderResult(), req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS));
        } finally {
            req.release();
        }
        if (queue.size() >= MAX_QUEUED) {
            log.info("HLS: {} pipelined more than {} requests; closing the connection", ctx.channel().remoteAddress(),
                    MAX_QUEUED);
            ctx.close();
            return;
        }
        queue.add(r);
        drain(ctx);
    }

    private void drain(ChannelHandlerContext ctx) {
        if (busy || queue.isEmpty() || !ctx.channel().isActive()) {
            return;
        }
        busy = true;
        Request r = queue.poll();
        try {
            handle(ctx, r);
        } catch (RuntimeException e) {
            log.warn("HLS: {} {} failed", r.method(), r.uri(), e);
            error(ctx, r, 500, "internal error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        queue.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HLS: connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    // ------------------------------------------------------------------ routing

    private void handle(ChannelHandlerContext ctx, Request r) {
        server.requests.incrementAndGet();
        DecoderResult dr = r.decoderResult();
        if (dr.isFailure()) {
            Throwable c = dr.cause();
            if (c instanceof TooLongHttpLineException) {
                error(ctx, r, 414, "request line too long");
            } else if (c instanceof TooLongHttpHeaderException) {
                error(ctx, r, 431, "request headers too large");
            } else if (c instanceof TooLongFrameException) {
                error(ctx, r, 413, "request too large");
            } else {
                error(ctx, r, 400, "malformed request: " + c.getMessage());
            }
            return;
        }
        if (HttpMethod.OPTIONS.equals(r.method())) {
            FullHttpResponse res = new DefaultFullHttpResponse(r.version(), HttpResponseStatus.NO_CONTENT,
                    Unpooled.EMPTY_BUFFER);
            HttpHeaders h = res.headers();
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
            String asked = r.requestHeaders();
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked != null && HEADER_LIST.matcher(asked).matches()
                    ? asked
                    : DEFAULT_ALLOWED_HEADERS);
            h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
            h.set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE);
            send(ctx, r, res, 0);
            return;
        }
        if (!HttpMethod.GET.equals(r.method()) && !HttpMethod.HEAD.equals(r.method())) {
            error(ctx, r, 405, "method " + r.method() + " is not allowed; use GET or HEAD");
            return;
        }
        HlsRoute route;
        try {
            route = HlsRoute.parse(r.uri(), server.options().format());
        } catch (HlsRequestException e) {
            error(ctx, r, e.status(), e.getMessage());
            return;
        }
        HlsPackager p = server.packager(route.streamPath());
        if (p == null) {
            error(ctx, r, 404, "no live stream at " + route.streamPath());
            return;
        }
        p.touch();
        continueWith(ctx, r, p.firstSegment(), () -> serve(ctx, r, route, p));
    }

    private void serve(ChannelHandlerContext ctx, Request r, HlsRoute route, HlsPackager p) {
        switch (route.kind()) {
            case MULTIVARIANT -> text(ctx, r, p.multivariantPlaylist());
            case MEDIA -> {
                if (route.msn() < 0) {
                    text(ctx, r, p.mediaPlaylist());
                } else {
                    CompletableFuture<String> f = p.mediaPlaylist(route.msn(), route.part());
                    continueWith(ctx, r, f, () -> text(ctx, r, f.join()));
                }
            }
            case INIT -> {
                Optional<ByteBuf> b = p.initSegment(route.generation());
                if (b.isEmpty() && route.generation() == 0) {
                    b = p.initSegment(-1); // init.mp4 of a stream whose first tracks are gone: the newest
                }
                media(ctx, r, b, MP4_TYPE, NO_CACHE, () -> "initialization segment " + route.generation()
                        + " is not available");
            }
            case SEGMENT -> {
                String type = p.options().format() == HlsFormat.FMP4 ? MP4_TYPE : TS_TYPE;
                Optional<ByteBuf> b = p.segment(route.msn());
                if (b.isPresent()) {
                    media(ctx, r, b, type, SEGMENT_CACHE, null);
                } else {
                    continueWith(ctx, r, p.awaitSegment(route.msn()), () -> media(ctx, r, p.segment(route.msn()),
                            type, SEGMENT_CACHE, () -> "segment " + route.msn() + " is not available"));
                }
            }
            case PART -> {
                if (!p.options().lowLatency()) {
                    error(ctx, r, 404, "partial segments are served in low-latency mode only");
                    return;
                }
                Optional<ByteBuf> b = p.part(route.msn(), route.part());
                Supplier<String> missing = () -> "part " + route.msn() + "." + route.part() + " is not available";
                if (b.isPresent()) {
                    media(ctx, r, b, MP4_TYPE, SEGMENT_CACHE, missing);
                } else {
                    continueWith(ctx, r, p.awaitPart(route.msn(), route.part()), () -> media(ctx, r, p.part(route
                            .msn(), route.part()), MP4_TYPE, SEGMENT_CACHE, missing));
                }
            }
            default -> error(ctx, r, 404, "unknown resource");
        }
    }

    /** Runs {@code next} on the channel's event loop when {@code f} succeeds; answers its failure otherwise. */
    private void continueWith(ChannelHandlerContext ctx, Request r, CompletableFuture<?> f, Runnable next) {
        if (f.isDone() && ctx.executor().inEventLoop()) {
            complete(ctx, r, f, next);
        } else {
            f.whenCompleteAsync((v, e) -> complete(ctx, r, f, next), ctx.executor());
        }
    }

    private void complete(ChannelHandlerContext ctx, Request r, CompletableFuture<?> f, Runnable next) {
        try {
            f.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            if (c instanceof HlsRequestException h) {
                error(ctx, r, h.status(), h.getMessage());
            } else {
                log.warn("HLS: {} {} failed", r.method(), r.uri(), c);
                error(ctx, r, 500, "internal error");
            }
            return;
        }
        try {
            next.run();
        } catch (RuntimeException e) {
            log.warn("HLS: {} {} failed", r.method(), r.uri(), e);
            error(ctx, r, 500, "internal error");
        }
    }

    // ------------------------------------------------------------------ responses

    private void text(ChannelHandlerContext ctx, Request r, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(r.version(), HttpResponseStatus.OK, r.head()
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, PLAYLIST_TYPE);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE);
        send(ctx, r, res, bytes.length);
    }

    private void media(ChannelHandlerContext ctx, Request r, Optional<ByteBuf> data, String type, String cache,
            Supplier<String> missing) {
        if (data.isEmpty()) {
            error(ctx, r, 404, missing == null ? "not available" : missing.get());
            return;
        }
        ByteBuf b = data.get();
        int length = b.readableBytes();
        if (r.head()) {
            b.release();
            b = Unpooled.EMPTY_BUFFER;
        }
        FullHttpResponse res = new DefaultFullHttpResponse(r.version(), HttpResponseStatus.OK, b);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, cache);
        if (!r.head()) {
            server.bytesOut.addAndGet(length);
        }
        send(ctx, r, res, length);
    }

    private void error(ChannelHandlerContext ctx, Request r, int status, String reason) {
        HttpResponseStatus s = HttpResponseStatus.valueOf(status);
        server.errors.incrementAndGet();
        if (status >= 500) {
            log.warn("HLS: {} {} from {} -> {}: {}", r.method(), r.uri(), ctx.channel().remoteAddress(), status,
                    reason);
        } else if (status == 404) {
            log.debug("HLS: {} {} from {} -> 404: {}", r.method(), r.uri(), ctx.channel().remoteAddress(), reason);
        } else {
            log.info("HLS: {} {} from {} -> {}: {}", r.method(), truncate(r.uri()), ctx.channel().remoteAddress(),
                    status, reason);
        }
        byte[] body = (status + " " + s.reasonPhrase() + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(r.version(), s, r.head()
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE);
        if (status == 405) {
            res.headers().set(HttpHeaderNames.ALLOW, ALLOWED_METHODS);
        }
        boolean fatal = r.decoderResult().isFailure();
        if (fatal) {
            res.setProtocolVersion(HttpVersion.HTTP_1_1); // the decoder could not read the client's version
        }
        send(ctx, fatal ? new Request(r.method(), r.uri(), HttpVersion.HTTP_1_1, false, r.decoderResult(), null) : r,
                res, body.length);
    }

    private static String truncate(String uri) {
        return uri.length() <= 200 ? uri : uri.substring(0, 200) + "...";
    }

    private void send(ChannelHandlerContext ctx, Request r, FullHttpResponse res, int contentLength) {
        HttpHeaders h = res.headers();
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        h.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        if (res.status().code() != HttpResponseStatus.NO_CONTENT.code()) {
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, contentLength); // never on 204 (RFC 9110 8.6)
        }
        if (!r.keepAlive()) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (r.version().equals(HttpVersion.HTTP_1_0)) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        busy = false;
        if (!ctx.channel().isActive()) {
            res.release();
            return;
        }
        if (r.keepAlive()) {
            ctx.writeAndFlush(res);
            drain(ctx);
        } else {
            queue.clear();
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
