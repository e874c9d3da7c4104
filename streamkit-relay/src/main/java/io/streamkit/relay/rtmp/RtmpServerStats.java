package io.streamkit.relay.rtmp;

/**
 * Immutable snapshot of an {@link RtmpServer}'s counters.
 *
 * @param connections open connections
 * @param accepted connections accepted since start
 * @param refused connections refused (over the limit)
 * @param protocolErrors connections closed for malformed input or timeouts
 * @param authFailures publish or play requests refused by the authenticator or the publish policy
 * @param publishers connections publishing now
 * @param players connections playing now
 */
public record RtmpServerStats(int connections, long accepted, long refused, long protocolErrors, long authFailures,
        int publishers, int players) {
}
