package io.streamkit.api;

import java.net.URI;
import java.util.List;

/**
 * A named path (for example {@code live/show}) with at most one publisher and any number of
 * subscribers. Protocol adapters publish into streams and subscribe to them; outputs and inputs
 * attach here and can be added, removed, enabled and disabled while the stream runs.
 *
 * <p>Fan-out shares one payload per packet between all subscribers. Each subscriber has its own
 * bounded queue; a slow one drops to the next keyframe and never slows the publisher or the
 * others. A late joiner starts at the cached last keyframe (GOP cache).
 */
public interface Stream extends AsyncCloseable {

    /** @return the path, for example {@code live/show} */
    String path();

    /** @return the current state */
    StreamState state();

    /** @return the current tracks, empty while never published */
    List<TrackInfo> tracks();

    /**
     * Starts publishing.
     *
     * @param tracks the tracks, may be empty and completed later with
     *        {@link Publisher#updateTracks(List)}
     * @param policy what to do when a publisher is already live
     * @param label a name for logs and stats, for example the remote address
     * @return the publisher handle
     * @throws PublishRejectedException when the policy is {@link PublishPolicy#REJECT} and a
     *         publisher is live, or the stream is closed
     */
    Publisher publish(List<TrackInfo> tracks, PublishPolicy policy, String label);

    /**
     * Subscribes a sink.
     *
     * @param sink where packets go
     * @param options executor, queue capacity, GOP cache use
     * @return the subscription; close it to unsubscribe
     * @throws IllegalStateException when the stream is closed
     */
    Subscription subscribe(MediaSink sink, SubscribeOptions options);

    /**
     * Adds an output that sends this stream to a destination through the transport registered
     * for the URI scheme, reconnecting on its own.
     *
     * @param config the destination and its settings
     * @return the live output handle
     * @throws IllegalArgumentException when no transport handles the scheme
     */
    Output addOutput(OutputConfig config);

    /**
     * @param uri the destination
     * @return a new enabled output with default settings
     */
    default Output addOutput(URI uri) {
        return addOutput(OutputConfig.of(uri));
    }

    /**
     * Adds an input that pulls a remote source into this stream, reconnecting on its own.
     *
     * @param config the source and its settings
     * @return the live input handle
     * @throws IllegalArgumentException when no transport handles the scheme
     */
    Input addInput(InputConfig config);

    /** @return the outputs currently attached */
    List<Output> outputs();

    /** @return the inputs currently attached */
    List<Input> inputs();

    /** @return the current subscriptions' counters */
    List<SubscriptionStats> subscriptions();

    /** @return a snapshot of the stream counters */
    StreamStats stats();
}
