package io.streamkit.relay.rtmp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.api.TransportException;
import io.streamkit.api.Uris;
import io.streamkit.api.spi.InputSession;
import io.streamkit.api.spi.InputSink;
import io.streamkit.api.spi.OutputSession;
import io.streamkit.api.spi.TransportContext;
import io.streamkit.api.spi.TransportProvider;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@code rtmp} and {@code rtmps} transport: outputs push with {@code publish}, inputs pull
 * with {@code play}. Found by the service loader; register one built with
 * {@link #RtmpTransportProvider(TrustManagerFactory)} to trust other certificates for RTMPS.
 */
public final class RtmpTransportProvider implements TransportProvider, AutoCloseable {
    /** By default a pulled source that sends nothing for this long is reconnected. */
    public static final java.time.Duration DEFAULT_READ_IDLE = java.time.Duration.ofSeconds(30);
    private final TrustManagerFactory trust;
    private final java.time.Duration readIdle;
    private EventLoopGroup group;
    private SslContext sslContext;
    private boolean closed;

    /** Uses the JDK's default trust store for RTMPS. */
    public RtmpTransportProvider() {
        this(null);
    }

    /** @param trust the certificates trusted for RTMPS, {@code null} for the JDK's defaults */
    public RtmpTransportProvider(TrustManagerFactory trust) {
        this(trust, DEFAULT_READ_IDLE);
    }

    /**
     * @param trust the certificates trusted for RTMPS, {@code null} for the JDK's defaults
     * @param readIdle how long a pulled source may send nothing before the input reconnects
     */
    public RtmpTransportProvider(TrustManagerFactory trust, java.time.Duration readIdle) {
        if (readIdle.isNegative() || readIdle.isZero()) {
            throw new IllegalArgumentException("readIdle must be > 0, was " + readIdle);
        }
        this.trust = trust;
        this.readIdle = readIdle;
    }

    @Override
    public String name() {
        return "rtmp";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("rtmp", "rtmps");
    }

    private synchronized EventLoopGroup group() {
        if (closed) {
            throw new IllegalStateException("the rtmp transport is closed");
        }
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("streamkit-rtmp-client", true),
                    NioIoHandler.newFactory());
        }
        return group;
    }

    private synchronized SslContext ssl() throws SSLException {
        if (sslContext == null) {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (trust != null) {
                b.trustManager(trust);
            }
            sslContext = b.build();
        }
        return sslContext;
    }

    @Override
    public CompletableFuture<OutputSession> connectOutput(URI uri, TransportContext context) {
        return connect(uri, context, true, null).thenApply(RtmpClientSession::outputSession);
    }

    @Override
    public CompletableFuture<InputSession> connectInput(URI uri, TransportContext context, InputSink sink) {
        return connect(uri, context, false, sink).thenApply(RtmpClientSession::inputSession);
    }

    private CompletableFuture<RtmpClientSession> connect(URI uri, TransportContext context, boolean push,
            InputSink sink) {
        RtmpUrl url;
        SslContext ssl;
        try {
            url = RtmpUrl.parse(uri);
            ssl = url.tls() ? ssl() : null;
        } catch (IllegalArgumentException | SSLException e) {
            return CompletableFuture.failedFuture(new TransportException(e.getMessage(), e));
        }
        RtmpClientSession session = new RtmpClientSession(url, push, sink, readIdle);
        Bootstrap b = new Bootstrap().group(group()).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, context
                        .connectTimeout().toMillis()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), url.host(), url.port()));
                        }
                        if (!push) {
                            // a source that goes silent without telling (nginx-rtmp does not) is reconnected
                            ch.pipeline().addLast("idle", new IdleStateHandler(readIdle.toMillis(), 0, 0,
                                    TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast("handshake", new RtmpClientHandshakeHandler());
                        ch.pipeline().addLast("decoder", new RtmpChunkDecoder());
                        ch.pipeline().addLast("encoder", new RtmpChunkEncoder());
                        ch.pipeline().addLast("session", session);
                    }
                });
        CompletableFuture<RtmpClientSession> result = new CompletableFuture<>();
        ChannelFuture cf = b.connect(url.host(), url.port());
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TransportException("cannot connect to " + Uris.redact(uri) + ": "
                        + f.cause().getMessage(), f.cause()));
            }
        });
        Channel ch = cf.channel();
        session.ready().orTimeout(context.connectTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((v,
                err) -> {
            if (err == null) {
                result.complete(session);
            } else {
                ch.close();
                result.completeExceptionally(err);
            }
        });
        return result;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }
}
