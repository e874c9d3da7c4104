package io.streamkit.relay.srt;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Subscription;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.TransportException;
import io.streamkit.api.Uris;
import io.streamkit.api.spi.InputSession;
import io.streamkit.api.spi.InputSink;
import io.streamkit.api.spi.OutputSession;
import io.streamkit.api.spi.TransportContext;
import io.streamkit.api.spi.TransportProvider;
import io.streamkit.relay.ts.TsDemuxer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The {@code srt} transport. Query parameters follow srt-live-transmit: {@code mode},
 * {@code streamid}, {@code latency} (milliseconds, default 200), {@code passphrase} (10 to 79
 * characters), {@code pbkeylen} (16, 24 or 32). Note that FFmpeg's own {@code latency} is in
 * microseconds.
 *
 * <p>Caller mode (the default): an output sends MPEG-TS to
 * {@code srt://host:port?streamid=publish:live/show}, an input reads from
 * {@code srt://host:port?streamid=read:live/show}.
 *
 * <p>Listener mode ({@code mode=listener}, or an empty host as in {@code srt://:9000}): the host
 * is the address to bind ({@code 0.0.0.0} or empty for every interface) and remote callers
 * connect. An output serves the stream to every caller that connects, each from a keyframe, up to
 * {@code maxcallers} at once (default 8); an input takes one publishing caller at a time and
 * refuses a second with the SRT rejection 1409 (conflict). With {@code streamid} only callers that
 * send that stream id are accepted (others get 1404, not found); with {@code passphrase} a caller
 * without it or with another one is refused (BADSECRET/UNSECURE), and the caller's key length
 * applies, as with libsrt. A port already in use fails the attempt with a
 * {@link TransportException} that says so, and the kit retries as for any connection failure.
 *
 * <p>The kit owns the states: a listener-mode endpoint is {@code LIVE} while its port is bound,
 * with or without callers (the callers of an output show as subscribers of the stream). An output
 * binds only while its stream is published ({@code WAITING} otherwise, port closed). When an
 * input's publishing caller leaves, its session ends: the kit ends the publisher, reports the
 * remote end ({@code RETRYING}) and binds again after its reconnect delay.
 */
public final class SrtTransportProvider implements TransportProvider, AutoCloseable {
    private final int threads;
    private EventLoopGroup group;
    private boolean closed;

    /** Creates the provider (its one thread starts with the first connection). */
    public SrtTransportProvider() {
        this(1);
    }

    /**
     * For tests where both ends of a connection are in this process: with two threads, a sender
     * and a receiver do not share one (a burst then overflows the receiver's socket buffer).
     *
     * @param threads the event loop threads
     */
    SrtTransportProvider(int threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return "srt";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("srt");
    }

    private synchronized EventLoopGroup group() {
        if (closed) {
            throw new IllegalStateException("the srt transport is closed");
        }
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("streamkit-srt-transport", true),
                    NioIoHandler.newFactory());
        }
        return group;
    }

    private CompletableFuture<SrtConnection> call(SrtTransportUri target, TransportContext context) {
        try {
            SrtCaller.Options o = target.callerOptions(context.connectTimeout());
            return SrtCaller.connect(group(), new InetSocketAddress(target.host(), target.port()), o);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new TransportException(e.getMessage(), e));
        }
    }

    @Override
    public CompletableFuture<OutputSession> connectOutput(URI uri, TransportContext context) {
        SrtTransportUri target;
        try {
            target = SrtTransportUri.parse(uri, true);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new TransportException(e.getMessage(), e));
        }
        if (target.listener()) {
            return SrtListenerOutput.open(group(), target, SrtTransportUri.redact(uri), context);
        }
        return call(target, context).thenApply(c -> {
            SrtTsWriter writer = new SrtTsWriter(c, ByteBufAllocator.DEFAULT);
            c.setHandler(message -> message.release());
            return new OutputSession() {
                @Override
                public void onSubscribe(Subscription s) {
                }

                @Override
                public void onTracks(List<TrackInfo> tracks) {
                    writer.onTracks(tracks);
                }

                @Override
                public void onPacket(MediaPacket packet) {
                    writer.onPacket(packet);
                }

                @Override
                public void onClose(Throwable cause) {
                    writer.onClose(cause);
                }

                @Override
                public Executor executor() {
                    return c.eventLoop();
                }

                @Override
                public CompletableFuture<Void> closeFuture() {
                    return c.closeFuture();
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        });
    }

    @Override
    public CompletableFuture<InputSession> connectInput(URI uri, TransportContext context, InputSink sink) {
        SrtTransportUri source;
        try {
            source = SrtTransportUri.parse(uri, false);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new TransportException(e.getMessage(), e));
        }
        if (source.listener()) {
            return SrtListenerInput.open(group(), source, SrtTransportUri.redact(uri), context.streamPath(), context
                    .endpointId(), sink);
        }
        return call(source, context).thenApply(c -> {
            c.setHandler(new SrtTsReader(new TsDemuxer.Listener() {
                @Override
                public void onTracks(List<TrackInfo> tracks) {
                    sink.tracks(tracks);
                }

                @Override
                public void onPacket(MediaPacket packet) {
                    sink.packet(packet);
                }
            }, "srt input " + Uris.redact(uri), () -> {
            }));
            return new InputSession() {
                @Override
                public CompletableFuture<Void> closeFuture() {
                    return c.closeFuture();
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }
}
