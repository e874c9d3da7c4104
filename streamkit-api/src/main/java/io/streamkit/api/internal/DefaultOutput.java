package io.streamkit.api.internal;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.Output;
import io.streamkit.api.OutputConfig;
import io.streamkit.api.StreamState;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.Subscription;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.spi.OutputSession;
import io.streamkit.api.spi.TransportContext;
import io.streamkit.api.spi.TransportProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An output: subscribes each connected session to the stream, starting at a keyframe. */
final class DefaultOutput extends AbstractEndpoint<OutputSession> implements Output {
    private final TransportProvider provider;
    private final OutputConfig config;
    private volatile Subscription subscription;
    private volatile long droppedBefore;

    DefaultOutput(DefaultStream stream, TransportProvider provider, OutputConfig config, String id) {
        super(stream, id, config.uri(), config.reconnect(), true);
        this.provider = provider;
        this.config = config;
    }

    @Override
    public OutputConfig config() {
        return config;
    }

    @Override
    boolean readyToConnect() {
        StreamState s = stream.state();
        return s == StreamState.LIVE || s == StreamState.GRACE;
    }

    @Override
    CompletableFuture<OutputSession> connect(TransportContext context) {
        return provider.connectOutput(config.uri(), context);
    }

    @Override
    CompletableFuture<Void> attach(OutputSession session) {
        MediaSink counting = new MediaSink() {
            @Override
            public void onSubscribe(Subscription s) {
                session.onSubscribe(s);
            }

            @Override
            public void onTracks(List<TrackInfo> tracks) {
                session.onTracks(tracks);
            }

            @Override
            public void onPacket(MediaPacket packet) {
                session.onPacket(packet);
                count(packet.size());
            }

            @Override
            public void onUnpublished() {
                session.onUnpublished();
                // the remote end should see the stream end too; reconnect when it is live again
                stream.kit().scheduler().execute(DefaultOutput.this::sleep);
            }

            @Override
            public boolean isReady() {
                return session.isReady();
            }
        };
        SubscribeOptions options = new SubscribeOptions(session.executor(), config.queueCapacity(), true, id);
        subscription = stream.subscribe(counting, options);
        return session.closeFuture();
    }

    @Override
    void detach(OutputSession session) {
        Subscription s = subscription;
        subscription = null;
        if (s != null) {
            droppedBefore += s.stats().packetsDropped();
            s.close();
        }
        session.close();
    }

    @Override
    long dropped() {
        Subscription s = subscription;
        return droppedBefore + (s == null ? 0 : s.stats().packetsDropped());
    }
}
