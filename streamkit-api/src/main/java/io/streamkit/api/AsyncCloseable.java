package io.streamkit.api;

import java.util.concurrent.CompletableFuture;

/**
 * A resource with an idempotent close. Children close before their parents.
 */
public interface AsyncCloseable extends AutoCloseable {

    /**
     * Starts closing; calling it again returns the same future.
     *
     * @return a future completed when every resource is released
     */
    CompletableFuture<Void> closeAsync();

    /** Closes and waits until every resource is released; idempotent, never throws checked. */
    @Override
    default void close() {
        closeAsync().join();
    }
}
