package io.streamkit.api.internal;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.MediaType;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKitEvent;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.Subscription;
import io.streamkit.api.SubscriptionStats;
import io.streamkit.api.TrackInfo;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber: a bounded queue drained on the sink's executor by a single reusable task, so
 * delivery allocates nothing per packet. On overflow the queue is emptied and the subscriber
 * waits for the next keyframe; drops are counted.
 */
final class DefaultSubscription implements Subscription, Runnable {
    private static final Logger log = LoggerFactory.getLogger(DefaultSubscription.class);
    private static final int BATCH = 128;
    /** Queue marker: the publisher left for good. */
    private static final Object UNPUBLISHED = new Object();

    /** Queue entry: new track list. */
    private record Tracks(List<TrackInfo> tracks) {
    }

    private final DefaultStream stream;
    private final MediaSink sink;
    private final Executor executor;
    private final int capacity;
    private final String id;
    private final String label;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    // guarded by this
    private int queuedPackets;
    private boolean waitKeyframe;
    /** Whether the current wait for a keyframe follows an overflow (its skips count as drops). */
    private boolean overflowWait;
    private long dropped;
    private long overflows;
    private boolean closed;
    private Throwable closeCause;
    // written by the (single) draining task
    private volatile long packetsOut;
    private volatile long bytesOut;

    DefaultSubscription(DefaultStream stream, MediaSink sink, SubscribeOptions options, String id) {
        this.stream = stream;
        this.sink = sink;
        this.executor = options.executor();
        this.capacity = options.queueCapacity();
        this.id = id;
        this.label = options.label();
    }

    @Override
    public String id() {
        return id;
    }

    String label() {
        return label;
    }

    @Override
    public Stream stream() {
        return stream;
    }

    /** Called under the stream lock before any packet: the initial state. */
    synchronized void start(List<TrackInfo> tracks, List<MediaPacket> gop, boolean mustWaitKeyframe) {
        if (!tracks.isEmpty()) {
            queue.add(new Tracks(tracks));
        }
        for (MediaPacket p : gop) {
            queue.add(p.retain());
            queuedPackets++;
        }
        waitKeyframe = mustWaitKeyframe;
        if (!queue.isEmpty()) {
            schedule();
        }
    }

    /** Called under the stream lock. */
    void offerPacket(MediaPacket packet, boolean streamHasVideo) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (waitKeyframe) {
                if (!isResumePoint(packet, streamHasVideo)) {
                    if (overflowWait) {
                        dropped++;
                    }
                    return;
                }
                waitKeyframe = false;
                overflowWait = false;
            }
            if (queuedPackets >= capacity) {
                overflow(packet, streamHasVideo);
                if (waitKeyframe) {
                    return;
                }
            }
            queue.add(packet.retain());
            queuedPackets++;
        }
        schedule();
    }

    private static boolean isResumePoint(MediaPacket p, boolean streamHasVideo) {
        return p.isKeyframe() && (p.mediaType() == MediaType.VIDEO || !streamHasVideo);
    }

    /** Empties the queue (keeping the latest track list) and waits for a keyframe; under this lock. */
    private void overflow(MediaPacket incoming, boolean streamHasVideo) {
        Tracks lastTracks = null;
        int discarded = 0;
        Object o;
        while ((o = queue.poll()) != null) {
            if (o instanceof MediaPacket p) {
                p.release();
                discarded++;
            } else if (o instanceof Tracks t) {
                lastTracks = t;
            }
        }
        if (lastTracks != null) {
            queue.add(lastTracks);
        }
        queuedPackets = 0;
        overflows++;
        dropped += discarded;
        waitKeyframe = !isResumePoint(incoming, streamHasVideo);
        overflowWait = waitKeyframe;
        if (waitKeyframe) {
            dropped++;
        }
        log.atDebug().addKeyValue("stream", stream.path()).addKeyValue("subscription", id)
                .log("subscriber {} fell behind: dropped {} queued packets, waiting for a keyframe", label, discarded);
        stream.kit().emit(new StreamKitEvent.SubscriberOverflow(Instant.now(), stream.path(), id, label, dropped));
    }

    /** Called under the stream lock: never dropped. */
    void offerTracks(List<TrackInfo> tracks) {
        offerControl(new Tracks(tracks));
    }

    /** Called under the stream lock. */
    void offerUnpublished() {
        offerControl(UNPUBLISHED);
    }

    /** The next packet must be a keyframe (publisher changed); under the stream lock. */
    synchronized void requireKeyframe() {
        waitKeyframe = true;
        overflowWait = false;
    }

    private void offerControl(Object entry) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(entry);
        }
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                closeWith(e);
            }
        }
    }

    @Override
    public void resume() {
        synchronized (this) {
            if (closed || queue.isEmpty()) {
                return;
            }
        }
        schedule();
    }

    /** Drains up to a batch, then yields the executor to others. */
    @Override
    public void run() {
        for (int i = 0; i < BATCH; i++) {
            Object item;
            synchronized (this) {
                if (closed || queue.isEmpty() || !sink.isReady()) {
                    scheduled.set(false);
                    // re-check: an offer between the poll and the flag reset must not be lost
                    if (!closed && !queue.isEmpty() && sink.isReady()) {
                        schedule();
                    }
                    return;
                }
                item = queue.poll();
                if (item instanceof MediaPacket) {
                    queuedPackets--;
                }
            }
            deliver(item);
        }
        try {
            executor.execute(this);
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
            closeWith(e);
        }
    }

    private void deliver(Object item) {
        try {
            if (item instanceof MediaPacket p) {
                try {
                    sink.onPacket(p);
                    packetsOut++;
                    bytesOut += p.size();
                } finally {
                    p.release();
                }
            } else if (item instanceof Tracks t) {
                sink.onTracks(t.tracks());
            } else if (item == UNPUBLISHED) {
                sink.onUnpublished();
            }
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("stream", stream.path()).addKeyValue("subscription", id)
                    .setCause(e).log("sink {} failed; closing its subscription", label);
            closeWith(e);
        }
    }

    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized SubscriptionStats stats() {
        return new SubscriptionStats(id, label, packetsOut, bytesOut, dropped, overflows, queuedPackets);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        closeWith(null);
        return closeFuture;
    }

    /**
     * Unsubscribes at once without waiting for {@link MediaSink#onClose(Throwable)}, which runs
     * later on the sink's executor: safe to call from that executor itself.
     */
    @Override
    public void close() {
        closeWith(null);
    }

    /** Closes from the stream's side without calling back into it. */
    void closeFromStream(Throwable cause) {
        if (markClosed(cause)) {
            finish();
        }
    }

    private void closeWith(Throwable cause) {
        if (markClosed(cause)) {
            stream.removeSubscription(this);
            finish();
        }
    }

    private boolean markClosed(Throwable cause) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            closeCause = cause;
            Object o;
            while ((o = queue.poll()) != null) {
                if (o instanceof MediaPacket p) {
                    p.release();
                }
            }
            queuedPackets = 0;
        }
        return true;
    }

    private void finish() {
        Runnable notify = () -> {
            try {
                sink.onClose(closeCause);
            } catch (RuntimeException e) {
                log.warn("sink {} failed in onClose", label, e);
            } finally {
                closeFuture.complete(null);
            }
        };
        try {
            executor.execute(notify);
        } catch (RejectedExecutionException e) {
            notify.run();
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + id + " " + label + " on " + stream.path() + "]";
    }
}
