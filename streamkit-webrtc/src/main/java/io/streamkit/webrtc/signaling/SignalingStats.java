package io.streamkit.webrtc.signaling;

import java.util.Map;

/**
 * Counters of a {@link SignalingHub} since it started.
 *
 * @param openConnections signaling connections currently open
 * @param rooms rooms that exist now
 * @param peers participants now in a room (connected or within their reconnect grace)
 * @param joins successful joins as a new participant
 * @param resumes reconnections that resumed a participant
 * @param leaves participants that left (explicitly, after the grace period, or removed)
 * @param messagesIn messages received
 * @param messagesOut messages sent
 * @param errors error messages sent, by code
 */
public record SignalingStats(int openConnections, int rooms, int peers, long joins, long resumes, long leaves,
        long messagesIn, long messagesOut, Map<String, Long> errors) {
    /** Freezes the map. */
    public SignalingStats {
        errors = Map.copyOf(errors);
    }

    /** @return the number of error messages sent, all codes together */
    public long totalErrors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
