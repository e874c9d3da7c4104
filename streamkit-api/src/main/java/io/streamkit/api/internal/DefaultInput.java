package io.streamkit.api.internal;

import io.streamkit.api.Input;
import io.streamkit.api.InputConfig;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Publisher;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.Uris;
import io.streamkit.api.spi.InputSession;
import io.streamkit.api.spi.InputSink;
import io.streamkit.api.spi.TransportContext;
import io.streamkit.api.spi.TransportProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An input: each connected session publishes into the stream through its own publisher. */
final class DefaultInput extends AbstractEndpoint<DefaultInput.Attempt> implements Input {
    private final TransportProvider provider;
    private final InputConfig config;

    /** One connection attempt: the provider's session and the publisher it feeds. */
    static final class Attempt implements InputSink {
        private final DefaultInput owner;
        private InputSession session;
        private Publisher publisher;
        private boolean detached;

        Attempt(DefaultInput owner) {
            this.owner = owner;
        }

        @Override
        public synchronized void tracks(List<TrackInfo> tracks) {
            if (detached) {
                return;
            }
            if (publisher == null) {
                publisher = owner.stream.publish(tracks, owner.config.policy(), "input " + Uris.redact(owner.uri()));
                publisher.revoked().thenRun(this::revokedByStream);
            } else {
                publisher.updateTracks(tracks);
            }
        }

        private void revokedByStream() {
            InputSession s;
            synchronized (this) {
                s = detached ? null : session;
            }
            if (s != null) {
                s.close();
            }
        }

        @Override
        public boolean packet(MediaPacket packet) {
            Publisher p;
            synchronized (this) {
                p = detached ? null : publisher;
            }
            if (p == null) {
                packet.release();
                return false;
            }
            int size = packet.size();
            boolean ok = p.send(packet);
            if (ok) {
                owner.count(size);
            }
            return ok;
        }

        void close() {
            Publisher p;
            InputSession s;
            synchronized (this) {
                detached = true;
                p = publisher;
                s = session;
            }
            if (s != null) {
                s.close();
            }
            if (p != null) {
                p.close();
            }
        }
    }

    DefaultInput(DefaultStream stream, TransportProvider provider, InputConfig config, String id) {
        super(stream, id, config.uri(), config.reconnect(), false);
        this.provider = provider;
        this.config = config;
    }

    @Override
    public InputConfig config() {
        return config;
    }

    @Override
    CompletableFuture<Attempt> connect(TransportContext context) {
        Attempt attempt = new Attempt(this);
        return provider.connectInput(config.uri(), context, attempt).thenApply(session -> {
            synchronized (attempt) {
                attempt.session = session;
            }
            return attempt;
        }).whenComplete((a, err) -> {
            if (err != null) {
                attempt.close();
            }
        });
    }

    @Override
    CompletableFuture<Void> attach(Attempt attempt) {
        return attempt.session.closeFuture();
    }

    @Override
    void detach(Attempt attempt) {
        attempt.close();
    }

    @Override
    long dropped() {
        return 0;
    }
}
