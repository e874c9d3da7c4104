package io.streamkit.api.internal;

import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.EventListener;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamKitEvent;
import io.streamkit.api.spi.TransportProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kit's shared state and services behind the {@link StreamKit} facade. */
public final class KitCore {
    private static final Logger log = LoggerFactory.getLogger(KitCore.class);
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*");

    private final StreamKit kit;
    private final Executor callbackExecutor;
    private final ExecutorService ownedCallbackExecutor;
    private final ScheduledExecutorService scheduler;
    private final List<EventListener> listeners;

    /**
     * Adds a listener at run time.
     *
     * @param listener receives every later event
     * @return an action that removes it
     */
    public Runnable addListener(EventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
    private final long graceNanos;
    private final long gopCacheMaxBytes;
    private final int maxStreams;
    private final Duration connectTimeout;
    private final Map<String, TransportProvider> transports;
    private final ConcurrentHashMap<String, DefaultStream> streams = new ConcurrentHashMap<>();
    private final List<AsyncCloseable> components = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile boolean closed;

    /**
     * @param kit the facade
     * @param callbackExecutor the host's executor, or {@code null} for an owned one
     * @param listeners event listeners
     * @param grace publisher grace period
     * @param gopCacheMaxBytes GOP cache bound per stream
     * @param maxStreams most streams at once
     * @param connectTimeout endpoint connect timeout
     * @param explicit explicitly registered transports
     * @param discover whether to use the service loader
     */
    public KitCore(StreamKit kit, Executor callbackExecutor, List<EventListener> listeners, Duration grace,
            long gopCacheMaxBytes, int maxStreams, Duration connectTimeout, List<TransportProvider> explicit,
            boolean discover) {
        this.kit = kit;
        if (callbackExecutor == null) {
            this.ownedCallbackExecutor = Executors.newSingleThreadExecutor(r -> daemon(r, "streamkit-callbacks"));
            this.callbackExecutor = ownedCallbackExecutor;
        } else {
            this.ownedCallbackExecutor = null;
            this.callbackExecutor = callbackExecutor;
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "streamkit-timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.scheduler = timer;
        this.listeners = new java.util.concurrent.CopyOnWriteArrayList<>(listeners);
        this.graceNanos = grace.toNanos();
        this.gopCacheMaxBytes = gopCacheMaxBytes;
        this.maxStreams = maxStreams;
        this.connectTimeout = connectTimeout;
        Map<String, TransportProvider> byScheme = new LinkedHashMap<>();
        LocalTransportProvider local = new LocalTransportProvider();
        for (String s : local.schemes()) {
            byScheme.put(s, local);
        }
        if (discover) {
            for (TransportProvider p : ServiceLoader.load(TransportProvider.class, KitCore.class.getClassLoader())) {
                for (String s : p.schemes()) {
                    byScheme.put(s.toLowerCase(Locale.ROOT), p);
                }
            }
        }
        for (TransportProvider p : explicit) {
            for (String s : p.schemes()) {
                byScheme.put(s.toLowerCase(Locale.ROOT), p);
            }
        }
        this.transports = Collections.unmodifiableMap(byScheme);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    StreamKit kit() {
        return kit;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    long graceNanos() {
        return graceNanos;
    }

    long gopCacheMaxBytes() {
        return gopCacheMaxBytes;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    String nextId(String prefix) {
        return prefix + "-" + ids.incrementAndGet();
    }

    /** @return the executor for callbacks */
    public Executor callbackExecutor() {
        return callbackExecutor;
    }

    /** @return whether closed or closing */
    public boolean isClosed() {
        return closed;
    }

    /**
     * @param path a path
     * @throws IllegalArgumentException when invalid
     */
    static void validatePath(String path) {
        if (path == null || path.isEmpty() || path.length() > 256) {
            throw new IllegalArgumentException("stream path must be 1 to 256 characters, was "
                    + (path == null ? "null" : path.length() + " characters"));
        }
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("stream path '" + path
                    + "' must be segments of [A-Za-z0-9._~-] separated by single slashes");
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("stream path '" + path + "' must not contain '.' or '..' segments");
            }
        }
    }

    /**
     * @param path the path
     * @return the stream, created when absent
     */
    public Stream stream(String path) {
        validatePath(path);
        if (closed) {
            throw new IllegalStateException("the kit is closed");
        }
        DefaultStream existing = streams.get(path);
        if (existing != null) {
            return existing;
        }
        if (streams.size() >= maxStreams) {
            throw new IllegalStateException("the kit holds its maximum of " + maxStreams + " streams");
        }
        return streams.computeIfAbsent(path, p -> new DefaultStream(this, p));
    }

    /**
     * @param path a path
     * @return the stream when present
     */
    public Optional<Stream> findStream(String path) {
        return Optional.ofNullable(streams.get(path));
    }

    /** @return the streams now */
    public List<Stream> streams() {
        return List.copyOf(streams.values());
    }

    /** Removes a stream that became idle and empty; called under the stream's lock. */
    boolean detach(DefaultStream stream) {
        return streams.remove(stream.path(), stream);
    }

    /** Puts a detached stream back; called under the stream's lock. */
    boolean reattach(DefaultStream stream) {
        DefaultStream previous = streams.putIfAbsent(stream.path(), stream);
        return previous == null || previous == stream;
    }

    /**
     * @param scheme a scheme
     * @return its transport
     */
    public Optional<TransportProvider> transport(String scheme) {
        return Optional.ofNullable(scheme == null ? null : transports.get(scheme.toLowerCase(Locale.ROOT)));
    }

    /** @return transports by scheme */
    public Map<String, TransportProvider> transports() {
        return transports;
    }

    /**
     * @param <T> component type
     * @param component the component
     * @return the component
     */
    public <T extends AsyncCloseable> T register(T component) {
        synchronized (components) {
            if (closed) {
                throw new IllegalStateException("the kit is closed");
            }
            components.add(component);
        }
        return component;
    }

    /** @param event delivered to every listener on the callback executor */
    public void emit(StreamKitEvent event) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            callbackExecutor.execute(() -> {
                for (EventListener l : listeners) {
                    try {
                        l.onEvent(event);
                    } catch (RuntimeException e) {
                        log.warn("event listener {} failed on {}", l, event, e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("event {} not delivered: callback executor shut down", event);
        }
    }

    /** @return closes components (reverse order), then streams, then the kit's threads */
    public CompletableFuture<Void> closeAsync() {
        List<AsyncCloseable> toClose;
        synchronized (components) {
            if (closed) {
                return closeFuture;
            }
            closed = true;
            toClose = new ArrayList<>(components);
            components.clear();
        }
        Collections.reverse(toClose);
        try {
            for (AsyncCloseable c : toClose) {
                try {
                    c.closeAsync().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    log.warn("closing {} failed", c, e);
                }
            }
            for (DefaultStream s : List.copyOf(streams.values())) {
                s.close();
            }
            for (TransportProvider p : new java.util.LinkedHashSet<>(transports.values())) {
                if (p instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        log.warn("closing transport {} failed", p.name(), e);
                    }
                }
            }
        } finally {
            scheduler.shutdownNow();
            if (ownedCallbackExecutor != null) {
                ownedCallbackExecutor.shutdown();
            }
            closeFuture.complete(null);
        }
        return closeFuture;
    }
}
