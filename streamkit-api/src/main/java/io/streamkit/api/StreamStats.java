package io.streamkit.api;

import java.time.Duration;

/**
 * Immutable snapshot of a stream's counters.
 *
 * @param path the stream path
 * @param state the state when taken
 * @param subscribers current subscriptions
 * @param publishes how many publishers have published since the stream was created
 * @param packetsIn packets accepted from publishers
 * @param bytesIn payload bytes accepted from publishers
 * @param packetsRejected packets refused (unknown track, inactive publisher)
 * @param bitrate1s incoming bit rate over the last second, bit/s
 * @param bitrate10s incoming bit rate over the last ten seconds, bit/s
 * @param keyframes video keyframes received
 * @param keyframeInterval time between the last two video keyframes, {@link Duration#ZERO} when
 *        unknown
 * @param uptime time since the current publisher went live, {@link Duration#ZERO} when not live
 */
public record StreamStats(String path, StreamState state, int subscribers, long publishes, long packetsIn,
        long bytesIn, long packetsRejected, long bitrate1s, long bitrate10s, long keyframes,
        Duration keyframeInterval, Duration uptime) {
}
