package io.streamkit.api;

import io.streamkit.api.internal.KitCore;
import io.streamkit.api.spi.TransportProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The top-level entry point: owns the stream registry, the transports, the event listeners and
 * every component created from it (relays, SFUs, compositors), and closes them all.
 *
 * <pre>{@code
 * try (StreamKit kit = StreamKit.builder()
 *         .publisherGracePeriod(Duration.ofSeconds(5))
 *         .listener(event -> log.info("{}", event))
 *         .build()) {
 *     Stream show = kit.stream("live/show");
 *     show.addOutput(URI.create("rtmp://a.rtmp.youtube.com/live2/KEY"));
 *     // a relay server created on this kit publishes into "live/show" ...
 * }
 * }</pre>
 */
public final class StreamKit implements AsyncCloseable {
    private final KitCore core;

    private StreamKit(Builder b) {
        this.core = new KitCore(this, b.callbackExecutor, List.copyOf(b.listeners), b.publisherGracePeriod,
                b.gopCacheMaxBytes, b.maxStreams, b.connectTimeout, List.copyOf(b.transports), b.discoverTransports);
    }

    /** @return a builder with defaults: 5 s grace, 32 MiB GOP cache limit, discovery on */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the stream at {@code path}, creating it when absent.
     *
     * @param path a path of 1 to 256 characters from {@code [A-Za-z0-9._~/-]}, no leading,
     *        trailing or double slash, no {@code ..} segment
     * @return the stream
     * @throws IllegalArgumentException when the path is invalid
     * @throws IllegalStateException when the kit is closed or holds {@link Builder#maxStreams(int)}
     *         streams
     */
    public Stream stream(String path) {
        return core.stream(path);
    }

    /**
     * @param path a stream path
     * @return the stream when it exists
     */
    public Optional<Stream> findStream(String path) {
        return core.findStream(path);
    }

    /** @return the streams that exist now */
    public List<Stream> streams() {
        return core.streams();
    }

    /**
     * @param scheme a URI scheme
     * @return the transport that handles it
     */
    public Optional<TransportProvider> transport(String scheme) {
        return core.transport(scheme);
    }

    /** @return the transports by scheme */
    public Map<String, TransportProvider> transports() {
        return core.transports();
    }

    /**
     * Makes the kit own a component: it is closed, in reverse order of registration, before the
     * streams when the kit closes.
     *
     * @param <T> the component type
     * @param component a server, room, compositor...
     * @return {@code component}
     */
    public <T extends AsyncCloseable> T register(T component) {
        return core.register(Objects.requireNonNull(component, "component"));
    }

    /**
     * Adds an event listener to a running kit, for components built after it (a control plane, a
     * metrics exporter).
     *
     * @param listener receives every later event on the callback executor
     * @return an action that removes the listener again
     */
    public Runnable addListener(EventListener listener) {
        return core.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** @return the executor that runs user callbacks and event listeners */
    public Executor callbackExecutor() {
        return core.callbackExecutor();
    }

    /** @return whether the kit is closed or closing */
    public boolean isClosed() {
        return core.isClosed();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        return core.closeAsync();
    }

    /**
     * Delivers an event to the listeners on the callback executor; for components built on the
     * kit (servers, rooms) that report their own events.
     *
     * @param event the event
     */
    public void emit(StreamKitEvent event) {
        core.emit(Objects.requireNonNull(event, "event"));
    }

    /** Builds a {@link StreamKit}. */
    public static final class Builder {
        private Executor callbackExecutor;
        private final List<EventListener> listeners = new ArrayList<>();
        private Duration publisherGracePeriod = Duration.ofSeconds(5);
        private long gopCacheMaxBytes = 32L << 20;
        private int maxStreams = 10_000;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private final List<TransportProvider> transports = new ArrayList<>();
        private boolean discoverTransports = true;

        private Builder() {
        }

        /**
         * @param executor runs user callbacks and event listeners; by default one daemon thread
         *        owned by the kit (Java 21 hosts may pass a virtual-thread executor)
         * @return this builder
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** @param listener receives every event @return this builder */
        public Builder listener(EventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param grace how long a stream keeps its subscribers after its publisher left, waiting
         *        for it to return; {@link Duration#ZERO} to tell them at once
         * @return this builder
         */
        public Builder publisherGracePeriod(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("publisherGracePeriod must be >= 0, was " + grace);
            }
            this.publisherGracePeriod = grace;
            return this;
        }

        /**
         * @param bytes the most a stream's GOP cache may hold; a longer GOP is not cached and late
         *        joiners wait for the next keyframe
         * @return this builder
         */
        public Builder gopCacheMaxBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("gopCacheMaxBytes must be >= 0, was " + bytes);
            }
            this.gopCacheMaxBytes = bytes;
            return this;
        }

        /** @param max the most streams the kit holds at once @return this builder */
        public Builder maxStreams(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxStreams must be >= 1, was " + max);
            }
            this.maxStreams = max;
            return this;
        }

        /** @param timeout how long an input or output may take to connect @return this builder */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be > 0, was " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Registers a transport explicitly; it wins over a discovered one for the same scheme.
         *
         * @param provider the transport
         * @return this builder
         */
        public Builder transport(TransportProvider provider) {
            transports.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * @param discover whether to find transports with {@link java.util.ServiceLoader}
         * @return this builder
         */
        public Builder discoverTransports(boolean discover) {
            this.discoverTransports = discover;
            return this;
        }

        /** @return the kit */
        public StreamKit build() {
            return new StreamKit(this);
        }
    }
}
