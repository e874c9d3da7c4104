package io.streamkit.relay.control.model;

import java.util.List;

/**
 * Live figures of one input.
 *
 * @param id input id
 * @param name input name
 * @param state stream state (IDLE, LIVE, ...)
 * @param bitrate1s bits per second over the last second
 * @param bitrate10s bits per second over the last ten seconds
 * @param bytesIn bytes received since creation
 * @param packetsIn media packets received
 * @param readers subscribers (outputs, players, recordings)
 * @param uptimeMs time live, 0 when not live
 * @param pullState state of the pull connection of a pull input, {@code null} otherwise
 * @param pullError last pull failure, {@code null} when none
 * @param outputs the outputs' figures
 */
public record InputStatus(String id, String name, String state, long bitrate1s, long bitrate10s, long bytesIn,
        long packetsIn, int readers, long uptimeMs, String pullState, String pullError,
        List<OutputStatus> outputs) {
}
