package io.streamkit.api;

/**
 * Immutable snapshot of a subscription's counters.
 *
 * @param id the subscription id
 * @param label the label given in {@link SubscribeOptions}
 * @param packetsOut packets delivered to the sink
 * @param bytesOut payload bytes delivered
 * @param packetsDropped packets dropped because the sink fell behind (queue overflow and the
 *        wait for the next keyframe that follows)
 * @param overflows how many times the queue overflowed
 * @param queued packets waiting now
 */
public record SubscriptionStats(String id, String label, long packetsOut, long bytesOut, long packetsDropped,
        long overflows, int queued) {
}
