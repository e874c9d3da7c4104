package io.streamkit.relay;

import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.Output;
import io.streamkit.api.OutputConfig;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.relay.hls.HlsServer;
import io.streamkit.relay.record.RecordingOptions;
import io.streamkit.relay.rtmp.RtmpServer;
import io.streamkit.relay.srt.SrtServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The relay's fluent entry point over a {@link StreamKit}: servers for publishers and players,
 * and per-stream outputs, all closed with the relay.
 *
 * <pre>{@code
 * Relay relay = Relay.on(kit);
 * relay.rtmp(b -> b.port(1935));                       // rtmp://host:1935/{path}
 * relay.srt(b -> b.port(8890));                        // srt://host:8890?streamid=publish:{path}
 * relay.hls(b -> b.port(8888));                        // http://host:8888/{path}/index.m3u8
 * relay.stream("live/show").record(RecordingOptions.mp4(dir).segment(Duration.ofMinutes(10)));
 * relay.stream("live/show").push(URI.create("rtmp://a.rtmp.youtube.com/live2/KEY"));
 * }</pre>
 *
 * <p>Servers started here are closed, in reverse order, by {@link #closeAsync()}; the kit itself
 * is not closed (it closes its streams and outputs when the host closes it).
 */
public final class Relay implements AsyncCloseable {
    private final StreamKit kit;
    private final List<AsyncCloseable> servers = new ArrayList<>();
    private CompletableFuture<Void> closing;

    private Relay(StreamKit kit) {
        this.kit = Objects.requireNonNull(kit, "kit");
    }

    /**
     * @param kit the kit whose streams the relay serves
     * @return a relay with no server yet
     */
    public static Relay on(StreamKit kit) {
        return new Relay(kit);
    }

    /** @return the kit */
    public StreamKit kit() {
        return kit;
    }

    /**
     * Starts an RTMP/RTMPS server for publishers and players.
     *
     * @param configure sets the builder up (port, host, TLS, authentication...)
     * @return the started server
     */
    public RtmpServer rtmp(UnaryOperator<RtmpServer.Builder> configure) {
        return own(configure.apply(RtmpServer.builder(kit)).build().start());
    }

    /**
     * Starts an SRT listener routed by Stream ID.
     *
     * @param configure sets the builder up
     * @return the started server
     */
    public SrtServer srt(UnaryOperator<SrtServer.Builder> configure) {
        return own(configure.apply(SrtServer.builder(kit)).build().start());
    }

    /**
     * Starts an HLS server for every stream of the kit.
     *
     * @param configure sets the builder up (port, host, {@link io.streamkit.relay.hls.HlsOptions})
     * @return the started server
     */
    public HlsServer hls(UnaryOperator<HlsServer.Builder> configure) {
        return own(configure.apply(HlsServer.builder(kit)).build().start());
    }

    /**
     * @param path a stream path such as {@code live/show}
     * @return fluent operations on that stream (created if needed)
     */
    public StreamOps stream(String path) {
        return new StreamOps(kit.stream(path));
    }

    private synchronized <T extends AsyncCloseable> T own(T server) {
        if (closing != null) {
            server.close();
            throw new IllegalStateException("the relay is closed");
        }
        servers.add(server);
        return server;
    }

    /** Closes the servers started through this relay, last started first. */
    @Override
    public synchronized CompletableFuture<Void> closeAsync() {
        if (closing == null) {
            List<AsyncCloseable> reversed = new ArrayList<>(servers);
            java.util.Collections.reverse(reversed);
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (AsyncCloseable s : reversed) {
                chain = chain.thenCompose(v -> s.closeAsync());
            }
            closing = chain;
        }
        return closing;
    }

    /** Fluent operations on one stream. */
    public static final class StreamOps {
        private final Stream stream;

        private StreamOps(Stream stream) {
            this.stream = stream;
        }

        /** @return the stream */
        public Stream stream() {
            return stream;
        }

        /**
         * Records the stream (a {@code file} output).
         *
         * @param options where and how to record
         * @return the recording output
         */
        public Output record(RecordingOptions options) {
            return stream.addOutput(OutputConfig.of(options.toUri()));
        }

        /**
         * Pushes the stream to a destination ({@code rtmp://}, {@code rtmps://}, {@code srt://}).
         *
         * @param destination the destination URI
         * @return the output
         */
        public Output push(URI destination) {
            return stream.addOutput(OutputConfig.of(destination));
        }
    }
}
