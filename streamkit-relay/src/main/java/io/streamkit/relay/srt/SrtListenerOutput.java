package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Stream;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.Subscription;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.TransportException;
import io.streamkit.api.spi.OutputSession;
import io.streamkit.api.spi.TransportContext;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output of the {@code srt} transport in listener mode ({@code srt://0.0.0.0:9000?mode=listener}):
 * binds the UDP port and lets callers pull the stream. Every caller that connects, with the
 * passphrase and (when the URI names one) the stream id, gets its own subscription and receives
 * the stream as MPEG-TS from a keyframe (the stream's cached group of pictures first), as
 * {@link SrtServer} serves its {@code read:} callers. At most {@code maxcallers} callers at once;
 * one more is refused with {@link SrtRejectReason#REJX_OVERLOAD}, a stream id other than the
 * expected one with {@link SrtRejectReason#REJX_NOTFOUND}.
 *
 * <p>The session lives as long as the port is bound: the kit reports the output live while it
 * serves, whether or not a caller is connected (the callers' subscriptions show as the stream's
 * subscribers, labelled with their address). Closing it disconnects every caller and unbinds the
 * port. Not API.
 */
final class SrtListenerOutput implements OutputSession {
    private static final Logger log = LoggerFactory.getLogger(SrtListenerOutput.class);

    private final SrtTransportUri target;
    private final Stream stream;
    private final String endpointId;
    private final String redacted;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    /** The callers connected now, with their subscriptions; used on the listener's event loop only. */
    private final Map<SrtConnection, Subscription> callers = new HashMap<>();
    private volatile SrtListener listener;
    private volatile boolean closed;

    private SrtListenerOutput(SrtTransportUri target, Stream stream, String endpointId, String redacted) {
        this.target = target;
        this.stream = stream;
        this.endpointId = endpointId;
        this.redacted = redacted;
    }

    /**
     * Binds the port.
     *
     * @param group the transport's event loops
     * @param target the parsed URI, in listener mode
     * @param redacted the URI for logs
     * @param context the output's context
     * @return completes with the session once the port is bound, or fails with a
     *         {@link TransportException} (the port is in use, for example)
     */
    static CompletableFuture<OutputSession> open(EventLoopGroup group, SrtTransportUri target, String redacted,
            TransportContext context) {
        Stream stream = context.kit().findStream(context.streamPath()).orElse(null);
        if (stream == null) {
            return CompletableFuture.failedFuture(new TransportException("stream " + context.streamPath()
                    + " does not exist"));
        }
        SrtListenerOutput output = new SrtListenerOutput(target, stream, context.endpointId(), redacted);
        return SrtListener.bindAsync(group, target.bindAddress(), output.new Acceptor()).thenApply(l -> {
            output.listener = l;
            l.closeFuture().whenComplete((v, e) -> {
                if (e == null) {
                    output.closeFuture.complete(null);
                } else {
                    l.close(); // the socket failed: disconnect the callers too
                    output.closeFuture.completeExceptionally(e);
                }
            });
            log.atInfo().addKeyValue("stream", stream.path()).addKeyValue("endpoint", output.endpointId).log(
                    "SRT output {} listens on {} for up to {} callers", redacted, l.localAddress(), target
                            .maxCallers());
            return output;
        });
    }

    /** Decides on callers and serves them; runs on the listener's event loop. */
    private final class Acceptor implements SrtListener.Acceptor {
        @Override
        public SrtListener.Decision decide(String streamId, InetSocketAddress peer) {
            if (closed) {
                return SrtListener.Decision.reject(SrtRejectReason.CLOSE);
            }
            if (target.streamId() != null && !target.streamId().equals(streamId)) {
                return refuse(peer, SrtRejectReason.REJX_NOTFOUND, "it asked for stream id \"" + streamId + "\"");
            }
            if (callers.size() >= target.maxCallers()) {
                return refuse(peer, SrtRejectReason.REJX_OVERLOAD, target.maxCallers()
                        + " callers are connected (maxcallers)");
            }
            return SrtListener.Decision.accept(target.settings().latency(), target.settings().passphrase());
        }

        @Override
        public void onConnected(SrtConnection c) {
            serve(c);
        }
    }

    private SrtListener.Decision refuse(InetSocketAddress peer, int reason, String why) {
        log.atWarn().addKeyValue("stream", stream.path()).addKeyValue("endpoint", endpointId).log(
                "SRT output {} refuses caller {} ({}): {}", redacted, peer, SrtRejectReason.name(reason), why);
        return SrtListener.Decision.reject(reason);
    }

    private void serve(SrtConnection c) {
        SrtTsWriter writer = new SrtTsWriter(c, ByteBufAllocator.DEFAULT) {
            @Override
            public void onClose(Throwable cause) {
                super.onClose(cause);
                c.close(); // the subscription ended (the stream closed): disconnect the caller
            }
        };
        Subscription subscription;
        try {
            subscription = stream.subscribe(writer, SubscribeOptions.on(c.eventLoop()).withLabel("srt caller " + c
                    .remoteAddress() + " of " + endpointId));
        } catch (RuntimeException e) {
            log.warn("SRT output {} cannot serve caller {}: {}", redacted, c.remoteAddress(), e.toString());
            c.close();
            return;
        }
        callers.put(c, subscription);
        c.setHandler(new SrtConnection.Handler() {
            @Override
            public void onMessage(ByteBuf message) {
                message.release(); // a reader sends nothing we use
            }

            @Override
            public void onClosed(Throwable cause) {
                callers.remove(c);
                subscription.close();
                SrtStats stats = c.stats();
                log.atInfo().addKeyValue("stream", stream.path()).addKeyValue("endpoint", endpointId).log(
                        "SRT caller {} left output {}{}: {} packets sent, {} retransmitted, {} dropped",
                        c.remoteAddress(), redacted, cause == null ? "" : " (" + cause.getMessage() + ")", stats
                                .packetsSent(),
                        stats.packetsRetransmitted(), stats.packetsDropped());
            }
        });
        log.atInfo().addKeyValue("stream", stream.path()).addKeyValue("endpoint", endpointId).log(
                "SRT caller {} reads output {} (latency {} ms{}; {} of {} callers)", c.remoteAddress(), redacted, c
                        .latency().toMillis(),
                c.isEncrypted() ? ", encrypted" : "", callers.size(), target
                        .maxCallers());
    }

    /** @return the bound address */
    InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    // The kit's own subscription of this session: the callers have theirs, so there is nothing to do here
    // but let the kit count the stream's packets.

    @Override
    public void onTracks(List<TrackInfo> tracks) {
    }

    @Override
    public void onPacket(MediaPacket packet) {
    }

    @Override
    public Executor executor() {
        return listener.eventLoop();
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /** Disconnects every caller (each gets a shutdown) and unbinds the port; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close();
    }
}
