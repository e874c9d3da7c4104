package io.streamkit.relay.srt;

import io.netty.channel.EventLoopGroup;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.TransportException;
import io.streamkit.api.spi.InputSession;
import io.streamkit.api.spi.InputSink;
import io.streamkit.relay.ts.TsDemuxer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An input of the {@code srt} transport in listener mode ({@code srt://0.0.0.0:9000?mode=listener}):
 * binds the UDP port and takes one publishing caller, whose MPEG-TS it demuxes into the stream. A
 * second caller while one is connected is refused with {@link SrtRejectReason#REJX_CONFLICT}, a
 * stream id other than the expected one with {@link SrtRejectReason#REJX_NOTFOUND}.
 *
 * <p>The session lives as long as the port is bound, waiting for a caller or receiving from one.
 * When the publishing caller leaves, the session ends like a caller-mode input whose remote
 * ended, so that the kit ends the publisher (the stream's grace period applies) and binds the port
 * again after its reconnect delay for the next caller; libsrt callers repeat their handshake every
 * 250 ms, so one that reconnects at once gets in. Not API.
 */
final class SrtListenerInput implements InputSession {
    private static final Logger log = LoggerFactory.getLogger(SrtListenerInput.class);

    private final SrtTransportUri source;
    private final InputSink sink;
    private final String redacted;
    private final String streamPath;
    private final String endpointId;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    /** The publishing caller; used on the listener's event loop only. */
    private SrtConnection publisher;
    private volatile SrtListener listener;
    private volatile boolean closed;

    private SrtListenerInput(SrtTransportUri source, InputSink sink, String redacted, String streamPath,
            String endpointId) {
        this.source = source;
        this.sink = sink;
        this.redacted = redacted;
        this.streamPath = streamPath;
        this.endpointId = endpointId;
    }

    /**
     * Binds the port.
     *
     * @param group the transport's event loops
     * @param source the parsed URI, in listener mode
     * @param redacted the URI for logs
     * @param streamPath the stream the input publishes, for logs
     * @param endpointId the input's id, for logs
     * @param sink where the publishing caller's media goes
     * @return completes with the session once the port is bound, or fails with a
     *         {@link TransportException} (the port is in use, for example)
     */
    static CompletableFuture<InputSession> open(EventLoopGroup group, SrtTransportUri source, String redacted,
            String streamPath, String endpointId, InputSink sink) {
        SrtListenerInput input = new SrtListenerInput(source, sink, redacted, streamPath, endpointId);
        return SrtListener.bindAsync(group, source.bindAddress(), input.new Acceptor()).thenApply(l -> {
            input.listener = l;
            l.closeFuture().whenComplete((v, e) -> {
                if (e != null) {
                    l.close();
                    input.closeFuture.completeExceptionally(e);
                }
            });
            log.atInfo().addKeyValue("stream", streamPath).addKeyValue("endpoint", endpointId).log(
                    "SRT input {} waits for a publishing caller on {}", redacted, l.localAddress());
            return input;
        });
    }

    /** Decides on callers; runs on the listener's event loop. */
    private final class Acceptor implements SrtListener.Acceptor {
        @Override
        public SrtListener.Decision decide(String streamId, InetSocketAddress peer) {
            if (closed) {
                return SrtListener.Decision.reject(SrtRejectReason.CLOSE);
            }
            if (source.streamId() != null && !source.streamId().equals(streamId)) {
                return refuse(peer, SrtRejectReason.REJX_NOTFOUND, "it asked for stream id \"" + streamId + "\"");
            }
            if (publisher != null) {
                return refuse(peer, SrtRejectReason.REJX_CONFLICT, publisher.remoteAddress() + " is publishing");
            }
            return SrtListener.Decision.accept(source.settings().latency(), source.settings().passphrase());
        }

        @Override
        public void onConnected(SrtConnection c) {
            receive(c);
        }
    }

    private SrtListener.Decision refuse(InetSocketAddress peer, int reason, String why) {
        log.atWarn().addKeyValue("stream", streamPath).addKeyValue("endpoint", endpointId).log(
                "SRT input {} refuses caller {} ({}): {}", redacted, peer, SrtRejectReason.name(reason), why);
        return SrtListener.Decision.reject(reason);
    }

    private void receive(SrtConnection c) {
        publisher = c;
        c.setHandler(new SrtTsReader(new TsDemuxer.Listener() {
            @Override
            public void onTracks(List<TrackInfo> tracks) {
                sink.tracks(tracks);
            }

            @Override
            public void onPacket(MediaPacket packet) {
                sink.packet(packet);
            }
        }, "srt input " + redacted + " from " + c.remoteAddress(), () -> {
        }));
        c.closeFuture().whenComplete((v, e) -> publisherLeft(c, e));
        log.atInfo().addKeyValue("stream", streamPath).addKeyValue("endpoint", endpointId).log(
                "SRT caller {} publishes into input {} (latency {} ms{})", c.remoteAddress(), redacted, c.latency()
                        .toMillis(),
                c.isEncrypted() ? ", encrypted" : "");
    }

    /** The publishing caller is gone: end the session, so that the kit ends its publisher and listens again. */
    private void publisherLeft(SrtConnection c, Throwable cause) {
        if (closed) {
            return;
        }
        log.atInfo().addKeyValue("stream", streamPath).addKeyValue("endpoint", endpointId).log(
                "SRT caller {} stopped publishing into input {}{}", c.remoteAddress(), redacted, cause == null
                        ? ""
                        : " (" + cause.getMessage() + ")");
        closed = true;
        listener.close();
        if (cause == null) {
            closeFuture.complete(null);
        } else {
            closeFuture.completeExceptionally(cause);
        }
    }

    /** @return the bound address */
    InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /** Disconnects the publishing caller, if any, and unbinds the port; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close();
        closeFuture.complete(null);
    }
}
