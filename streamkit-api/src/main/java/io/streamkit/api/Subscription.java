package io.streamkit.api;

/**
 * One subscriber's attachment to a {@link Stream}. Close it to unsubscribe: {@link #close()}
 * returns at once (also on the sink's own executor); {@link #closeAsync()}'s future completes
 * after {@link MediaSink#onClose(Throwable)} has run.
 */
public interface Subscription extends AsyncCloseable {

    /** @return a unique id within the kit */
    String id();

    /** @return the stream subscribed to */
    Stream stream();

    /** Tells a sink that was not {@link MediaSink#isReady() ready} is ready again. */
    void resume();

    /** @return a snapshot of the delivery counters */
    SubscriptionStats stats();

    /** @return whether the subscription is closed */
    boolean isClosed();
}
