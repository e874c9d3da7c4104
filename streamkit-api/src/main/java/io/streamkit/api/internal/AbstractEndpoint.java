package io.streamkit.api.internal;

import io.streamkit.api.ConnectionState;
import io.streamkit.api.Endpoint;
import io.streamkit.api.EndpointStats;
import io.streamkit.api.RateMeter;
import io.streamkit.api.ReconnectPolicy;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKitEvent;
import io.streamkit.api.TransportException;
import io.streamkit.api.Uris;
import io.streamkit.api.spi.TransportContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconnect loop shared by inputs and outputs: connect, go live, and on failure retry with
 * exponential back-off and jitter; every attempt has a generation so late completions of an
 * abandoned attempt are closed and ignored.
 *
 * @param <S> the session type
 */
abstract class AbstractEndpoint<S> implements Endpoint {
    private static final Logger log = LoggerFactory.getLogger(AbstractEndpoint.class);

    final DefaultStream stream;
    final String id;
    private final URI uri;
    private final String redacted;
    private final ReconnectPolicy reconnect;
    private final boolean output;
    final RateMeter rate = new RateMeter();
    final AtomicLong packets = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

    // guarded by this
    private ConnectionState state = ConnectionState.STOPPED;
    private boolean enabled;
    private boolean closed;
    private long generation;
    private int failures;
    private long connects;
    private long attempts;
    private String lastError;
    private Instant lastErrorAt;
    private long liveSinceNanos;
    private S session;
    private ScheduledFuture<?> retryTimer;

    AbstractEndpoint(DefaultStream stream, String id, URI uri, ReconnectPolicy reconnect, boolean output) {
        this.stream = stream;
        this.id = id;
        this.uri = uri;
        this.redacted = Uris.redact(uri);
        this.reconnect = reconnect;
        this.output = output;
    }

    /** Starts one connection attempt. */
    abstract CompletableFuture<S> connect(TransportContext context);

    /** Wires a connected session in; returns the future that completes when it ends. */
    abstract CompletableFuture<Void> attach(S session);

    /** Unwires and closes a session. */
    abstract void detach(S session);

    /** Packets dropped because this endpoint fell behind. */
    abstract long dropped();

    /** @return whether a connection attempt makes sense now (an output waits for its stream to be live) */
    boolean readyToConnect() {
        return true;
    }

    /** The stream went live: an endpoint that was waiting connects now. */
    void wake() {
        synchronized (this) {
            if (state != ConnectionState.WAITING) {
                return;
            }
        }
        startAttempt();
    }

    /** The stream lost its publisher for good: end the current session and wait for the next one. */
    void sleep() {
        S s;
        synchronized (this) {
            if (!enabled || closed || session == null) {
                return;
            }
            generation++;
            s = session;
            session = null;
            setState(ConnectionState.WAITING, null);
        }
        detach(s);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public Stream stream() {
        return stream;
    }

    @Override
    public synchronized ConnectionState state() {
        return state;
    }

    @Override
    public synchronized boolean isEnabled() {
        return enabled;
    }

    @Override
    public void enable() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException((output ? "output " : "input ") + id + " is closed");
            }
            if (enabled) {
                return;
            }
            enabled = true;
            failures = 0;
        }
        startAttempt();
    }

    private void startAttempt() {
        long gen;
        synchronized (this) {
            if (!enabled || closed) {
                return;
            }
            retryTimer = null;
            if (!readyToConnect()) {
                generation++;
                setState(ConnectionState.WAITING, null);
                return;
            }
            gen = ++generation;
            attempts++;
            setState(ConnectionState.CONNECTING, null);
        }
        CompletableFuture<S> attempt;
        try {
            attempt = connect(new TransportContext(stream.kit().kit(), stream.path(), id, stream.kit()
                    .connectTimeout()));
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.orTimeout(stream.kit().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((s, err) -> onConnected(gen, s, err));
    }

    private void onConnected(long gen, S s, Throwable err) {
        CompletableFuture<Void> ended;
        synchronized (this) {
            if (gen != generation || !enabled || closed) {
                if (s != null) {
                    detach(s);
                }
                return;
            }
            if (err != null) {
                fail(err);
                return;
            }
            session = s;
            connects++;
            failures = 0;
            liveSinceNanos = System.nanoTime();
            try {
                ended = attach(s);
            } catch (RuntimeException e) {
                session = null;
                detach(s);
                fail(e);
                return;
            }
            setState(ConnectionState.LIVE, null);
        }
        log.atInfo().addKeyValue("stream", stream.path()).addKeyValue("endpoint", id).log("{} {} is live",
                output ? "output" : "input", redacted);
        ended.whenComplete((v, e) -> onSessionEnded(gen, e));
    }

    private void onSessionEnded(long gen, Throwable err) {
        S ended;
        synchronized (this) {
            if (gen != generation || session == null) {
                return;
            }
            ended = session;
            session = null;
            if (!enabled || closed) {
                return;
            }
            fail(err != null ? err : new TransportException("connection closed by the remote end"));
        }
        detach(ended);
    }

    /** Under this lock. */
    private void fail(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof java.util.concurrent.TimeoutException) {
            cause = new TransportException("connect timed out after " + stream.kit().connectTimeout().toMillis()
                    + " ms");
        }
        failures++;
        lastError = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        lastErrorAt = Instant.now();
        Duration delay = reconnect.delay(failures, ThreadLocalRandom.current().nextDouble());
        log.atWarn().addKeyValue("stream", stream.path()).addKeyValue("endpoint", id).log(
                "{} {} failed ({}); retry {} in {} ms", output ? "output" : "input", redacted, lastError, failures,
                delay.toMillis());
        setState(ConnectionState.RETRYING, lastError);
        try {
            retryTimer = stream.kit().scheduler().schedule(this::startAttempt, delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            setState(ConnectionState.STOPPED, "kit closing");
        }
    }

    /** Under this lock. */
    private void setState(ConnectionState next, String error) {
        if (state == next) {
            return;
        }
        state = next;
        stream.kit().emit(new StreamKitEvent.EndpointStateChanged(Instant.now(), stream.path(), id, output, redacted,
                next, error));
    }

    @Override
    public void disable() {
        S s;
        synchronized (this) {
            if (!enabled) {
                return;
            }
            enabled = false;
            generation++;
            if (retryTimer != null) {
                retryTimer.cancel(false);
                retryTimer = null;
            }
            s = session;
            session = null;
            setState(closed ? ConnectionState.CLOSED : ConnectionState.STOPPED, null);
        }
        if (s != null) {
            detach(s);
        }
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        synchronized (this) {
            if (closed) {
                return closeFuture;
            }
            closed = true;
        }
        disable();
        synchronized (this) {
            setState(ConnectionState.CLOSED, null);
        }
        stream.removeEndpoint(this);
        closeFuture.complete(null);
        return closeFuture;
    }

    @Override
    public synchronized EndpointStats stats() {
        return new EndpointStats(id, redacted, state, packets.get(), bytes.get(), rate.bitrate1s(), rate.bitrate10s(),
                dropped(), connects, attempts, state == ConnectionState.LIVE
                        ? Duration.ofNanos(System.nanoTime()
                                - liveSinceNanos)
                        : Duration.ZERO,
                lastError, lastErrorAt);
    }

    void count(int size) {
        packets.incrementAndGet();
        bytes.addAndGet(size);
        rate.record(size);
    }

    @Override
    public String toString() {
        return (output ? "Output[" : "Input[") + id + " " + redacted + "]";
    }
}
