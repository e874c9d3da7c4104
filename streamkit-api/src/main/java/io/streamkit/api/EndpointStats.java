package io.streamkit.api;

import java.time.Duration;
import java.time.Instant;

/**
 * Immutable snapshot of an {@link Input}'s or {@link Output}'s counters.
 *
 * @param id the endpoint id
 * @param uri the remote URI with credentials and keys redacted
 * @param state the state when taken
 * @param packets packets carried
 * @param bytes payload bytes carried
 * @param bitrate1s bit rate over the last second, bit/s
 * @param bitrate10s bit rate over the last ten seconds, bit/s
 * @param packetsDropped packets dropped because the connection fell behind
 * @param connects successful connections so far
 * @param attempts connection attempts so far
 * @param uptime time since the current connection went live, {@link Duration#ZERO} when not live
 * @param lastError the last failure message, {@code null} when none
 * @param lastErrorAt when it happened, {@code null} when none
 */
public record EndpointStats(String id, String uri, ConnectionState state, long packets, long bytes, long bitrate1s,
        long bitrate10s, long packetsDropped, long connects, long attempts, Duration uptime, String lastError,
        Instant lastErrorAt) {
}
