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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The {@code srt} transport in caller mode: an output sends MPEG-TS to
 * {@code srt://host:port?streamid=publish:live/show}, an input reads from
 * {@code srt://host:port?streamid=read:live/show}. Query parameters follow srt-live-transmit:
 * {@code streamid}, {@code latency} (milliseconds, default 200), {@code passphrase},
 * {@code pbkeylen} (16, 24 or 32). Note that FFmpeg's own {@code latency} is in microseconds.
 */
public final class SrtTransportProvider implements TransportProvider, AutoCloseable {
    private EventLoopGroup group;
    private boolean closed;

    /** Creates the provider (threads start with the first connection). */
    public SrtTransportProvider() {
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
            group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("streamkit-srt-caller", true),
                    NioIoHandler.newFactory());
        }
        return group;
    }

    /**
     * @param uri an srt URI
     * @param connectTimeout how long connecting may take
     * @return the caller options it describes
     * @throws IllegalArgumentException with a specific message when a parameter is invalid
     */
    static SrtCaller.Options options(URI uri, Duration connectTimeout) {
        if (uri.getHost() == null || uri.getPort() <= 0) {
            throw new IllegalArgumentException("SRT URI needs host and port: " + Uris.redact(uri));
        }
        Map<String, String> q = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String mode = q.getOrDefault("mode", "caller");
        if (!mode.equals("caller")) {
            throw new IllegalArgumentException("only mode=caller is supported for SRT outputs and inputs, got "
                    + mode);
        }
        long latency;
        try {
            latency = Long.parseLong(q.getOrDefault("latency", "200"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SRT latency must be milliseconds, got " + q.get("latency"));
        }
        int keyLength = Integer.parseInt(q.getOrDefault("pbkeylen", "16"));
        SrtStreamSettings settings = new SrtStreamSettings(Duration.ofMillis(latency), q.get("passphrase"), keyLength);
        return new SrtCaller.Options(q.get("streamid"), settings.latency(), settings.passphrase(), settings
                .keyLength(), connectTimeout);
    }

    private CompletableFuture<SrtConnection> connect(URI uri, TransportContext context) {
        try {
            SrtCaller.Options o = options(uri, context.connectTimeout());
            return SrtCaller.connect(group(), new InetSocketAddress(uri.getHost(), uri.getPort()), o);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new TransportException(e.getMessage(), e));
        }
    }

    @Override
    public CompletableFuture<OutputSession> connectOutput(URI uri, TransportContext context) {
        return connect(uri, context).thenApply(c -> {
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
        return connect(uri, context).thenApply(c -> {
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
