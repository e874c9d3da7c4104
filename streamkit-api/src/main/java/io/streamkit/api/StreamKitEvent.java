package io.streamkit.api;

import java.time.Instant;

/**
 * Something that happened in a kit, delivered to {@link EventListener}s on the kit's callback
 * executor. Switch over the nested record types; new types may be added in minor releases, so
 * keep a default branch.
 */
public interface StreamKitEvent {

    /** @return when it happened */
    Instant time();

    /** @return the stream path it concerns */
    String path();

    /**
     * A publisher went live on a stream.
     *
     * @param time when
     * @param path the stream
     * @param publisherId the publisher
     * @param label the publisher's label (for example its remote address)
     * @param resumed whether it resumed a stream in grace, keeping its subscribers
     */
    record StreamPublished(Instant time, String path, String publisherId, String label, boolean resumed)
            implements
                StreamKitEvent {
    }

    /**
     * A stream lost its publisher for good (the grace period ran out, or the stream closed).
     *
     * @param time when
     * @param path the stream
     */
    record StreamUnpublished(Instant time, String path) implements StreamKitEvent {
    }

    /**
     * A subscriber joined.
     *
     * @param time when
     * @param path the stream
     * @param subscriptionId the subscription
     * @param label its label
     */
    record SubscriberAdded(Instant time, String path, String subscriptionId, String label) implements StreamKitEvent {
    }

    /**
     * A subscriber left.
     *
     * @param time when
     * @param path the stream
     * @param subscriptionId the subscription
     * @param label its label
     */
    record SubscriberRemoved(Instant time, String path, String subscriptionId, String label)
            implements
                StreamKitEvent {
    }

    /**
     * A subscriber's queue overflowed and it dropped to the next keyframe.
     *
     * @param time when
     * @param path the stream
     * @param subscriptionId the subscription
     * @param label its label
     * @param droppedSoFar packets dropped by this subscriber so far
     */
    record SubscriberOverflow(Instant time, String path, String subscriptionId, String label, long droppedSoFar)
            implements
                StreamKitEvent {
    }

    /**
     * An input or output changed state; a change to {@link ConnectionState#RETRYING} is an alert.
     *
     * @param time when
     * @param path the stream
     * @param endpointId the input or output
     * @param output whether it is an output (else an input)
     * @param uri the redacted URI
     * @param state the new state
     * @param error the failure that caused it, {@code null} when none
     */
    record EndpointStateChanged(Instant time, String path, String endpointId, boolean output, String uri,
            ConnectionState state, String error) implements StreamKitEvent {
    }
}
