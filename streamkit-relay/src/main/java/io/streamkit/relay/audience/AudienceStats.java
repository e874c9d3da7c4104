package io.streamkit.relay.audience;

import java.util.Map;

/**
 * Counters of an {@link Audience}.
 *
 * @param connections connections open now
 * @param streams streams known (one per streamer)
 * @param liveStreams streams with a live publisher
 * @param chatMessages chat messages broadcast since start
 * @param deliveries events handed to connections since start
 * @param publishRejected RTMP publishes refused (unknown key or wrong secret)
 * @param errors refused requests by code since start
 */
public record AudienceStats(int connections, int streams, int liveStreams, long chatMessages, long deliveries,
        long publishRejected, Map<AudienceException.Code, Long> errors) {
    /** Copies the map. */
    public AudienceStats {
        errors = Map.copyOf(errors);
    }
}
