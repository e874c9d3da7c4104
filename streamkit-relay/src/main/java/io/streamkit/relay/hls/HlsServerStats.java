package io.streamkit.relay.hls;

import java.util.List;

/**
 * A snapshot of an {@link HlsServer}'s counters.
 *
 * @param connections HTTP connections open now
 * @param requests requests received since the start
 * @param errors requests answered with an error status
 * @param bytesOut segment, part and initialization segment bytes sent (playlists excluded)
 * @param streams the counters of every running packager, by path
 */
public record HlsServerStats(int connections, long requests, long errors, long bytesOut, List<HlsStats> streams) {
    /** Freezes the list. */
    public HlsServerStats {
        streams = List.copyOf(streams);
    }
}
