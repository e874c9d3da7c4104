package io.streamkit.webrtc.sdp;

import java.util.Map;

/**
 * An offer for a subscriber PeerConnection and the mid of each track.
 *
 * @param offer the offer to send to the subscriber
 * @param midByTrackId the mid of each offered track, in the order the tracks were given
 */
public record SubscriberOffer(SessionDescription offer, Map<String, String> midByTrackId) {

    /** Freezes the map. */
    public SubscriberOffer {
        midByTrackId = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(midByTrackId));
    }
}
