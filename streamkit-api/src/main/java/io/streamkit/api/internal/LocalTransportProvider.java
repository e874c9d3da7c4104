package io.streamkit.api.internal;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Publisher;
import io.streamkit.api.Stream;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.Subscription;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.TransportException;
import io.streamkit.api.spi.InputSession;
import io.streamkit.api.spi.InputSink;
import io.streamkit.api.spi.OutputSession;
import io.streamkit.api.spi.TransportContext;
import io.streamkit.api.spi.TransportProvider;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The {@code local:} transport, always registered: {@code local:other/path} links two streams of
 * the same kit without leaving the process (an output publishes into {@code other/path}; an input
 * subscribes to it). Packets are shared, not copied.
 */
public final class LocalTransportProvider implements TransportProvider {

    /** Creates the provider. */
    public LocalTransportProvider() {
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("local");
    }

    private static String target(URI uri, TransportContext context) {
        String path = uri.getSchemeSpecificPart();
        if (path == null || path.isEmpty()) {
            throw new TransportException("local: URI needs a stream path, was " + uri);
        }
        KitCore.validatePath(path);
        if (path.equals(context.streamPath())) {
            throw new TransportException("local: URI " + uri + " points at its own stream");
        }
        return path;
    }

    @Override
    public CompletableFuture<OutputSession> connectOutput(URI uri, TransportContext context) {
        try {
            Stream target = context.kit().stream(target(uri, context));
            return CompletableFuture.completedFuture(new LocalOutput(target, context.endpointId()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<InputSession> connectInput(URI uri, TransportContext context, InputSink sink) {
        try {
            Stream source = context.kit().stream(target(uri, context));
            LocalInput in = new LocalInput();
            in.subscription = source.subscribe(in.sinkFor(sink), SubscribeOptions.on(Runnable::run).withLabel(
                    context.endpointId()));
            return CompletableFuture.completedFuture(in);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static final class LocalOutput implements OutputSession {
        private final Stream target;
        private final String label;
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private Publisher publisher;

        LocalOutput(Stream target, String label) {
            this.target = target;
            this.label = label;
        }

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public synchronized void onTracks(List<TrackInfo> tracks) {
            if (closed.isDone()) {
                return;
            }
            if (publisher == null) {
                try {
                    publisher = target.publish(tracks, PublishPolicy.TAKE_OVER, label);
                } catch (RuntimeException e) {
                    closed.completeExceptionally(e);
                    return;
                }
                publisher.revoked().thenRun(() -> closed.completeExceptionally(new TransportException(
                        "local output to " + target.path() + " was taken over")));
            } else {
                publisher.updateTracks(tracks);
            }
        }

        @Override
        public synchronized void onPacket(MediaPacket packet) {
            if (publisher != null) {
                publisher.send(packet.retain());
            }
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return closed;
        }

        @Override
        public void close() {
            Publisher p;
            synchronized (this) {
                p = publisher;
                publisher = null;
            }
            closed.complete(null);
            if (p != null) {
                p.close();
            }
        }
    }

    private static final class LocalInput implements InputSession {
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private volatile Subscription subscription;

        MediaSink sinkFor(InputSink sink) {
            return new MediaSink() {
                @Override
                public void onTracks(List<TrackInfo> tracks) {
                    sink.tracks(tracks);
                }

                @Override
                public void onPacket(MediaPacket packet) {
                    sink.packet(packet.retain());
                }

                @Override
                public void onClose(Throwable cause) {
                    if (cause == null) {
                        closed.complete(null);
                    } else {
                        closed.completeExceptionally(cause);
                    }
                }
            };
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return closed;
        }

        @Override
        public void close() {
            Subscription s = subscription;
            if (s != null) {
                s.close();
            }
            closed.complete(null);
        }
    }
}
