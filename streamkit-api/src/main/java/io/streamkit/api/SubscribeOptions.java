package io.streamkit.api;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a subscription delivers.
 *
 * @param executor where the sink is called; a Netty channel's event loop for network sinks,
 *        {@code Runnable::run} to deliver on the publisher's thread
 * @param queueCapacity how many packets may wait for a slow sink before it drops to the next
 *        keyframe
 * @param fromGopCache whether to start with the cached group of pictures (a late joiner decodes
 *        at once) rather than wait for the next keyframe
 * @param label a name for logs and stats, for example the remote address
 */
public record SubscribeOptions(Executor executor, int queueCapacity, boolean fromGopCache, String label) {

    /** Default queue capacity: about 8 s of 30 fps video with audio. */
    public static final int DEFAULT_QUEUE_CAPACITY = 512;

    /** Validates every field. */
    public SubscribeOptions {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(label, "label");
        if (queueCapacity < 1 || queueCapacity > 1 << 20) {
            throw new IllegalArgumentException("queueCapacity must be in [1, 1048576], was " + queueCapacity);
        }
    }

    /**
     * @param executor where the sink is called
     * @return options with the default capacity, starting from the GOP cache
     */
    public static SubscribeOptions on(Executor executor) {
        return new SubscribeOptions(executor, DEFAULT_QUEUE_CAPACITY, true, "subscriber");
    }

    /** @param capacity the queue capacity @return a copy with that capacity */
    public SubscribeOptions withQueueCapacity(int capacity) {
        return new SubscribeOptions(executor, capacity, fromGopCache, label);
    }

    /** @param useGopCache whether to start from the GOP cache @return a copy */
    public SubscribeOptions withGopCache(boolean useGopCache) {
        return new SubscribeOptions(executor, queueCapacity, useGopCache, label);
    }

    /** @param newLabel a name for logs and stats @return a copy */
    public SubscribeOptions withLabel(String newLabel) {
        return new SubscribeOptions(executor, queueCapacity, fromGopCache, newLabel);
    }
}
