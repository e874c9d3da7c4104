package io.streamkit.relay.control.model;

/**
 * Live figures of one output.
 *
 * @param id output id
 * @param state connection state (STOPPED, WAITING, CONNECTING, LIVE, RETRYING)
 * @param bitrate1s bits per second over the last second
 * @param bytes bytes sent
 * @param packetsDropped packets dropped because the destination was too slow
 * @param connects successful connections so far
 * @param uptimeMs time connected
 * @param lastError last failure, {@code null} when none
 * @param lastErrorAt when it happened (ISO-8601), {@code null} when none
 */
public record OutputStatus(String id, String state, long bitrate1s, long bytes, long packetsDropped, long connects,
        long uptimeMs, String lastError, String lastErrorAt) {
}
