package io.streamkit.compositor.source;

/**
 * Counters of a {@link MediaSource}.
 *
 * @param id             the source id
 * @param state          the state now
 * @param framesDecoded  video frames decoded (or drawn)
 * @param framesDropped  video frames replaced by a newer one before the renderer took them, or
 *                       refused by the decoder
 * @param restarts       how often the input was reopened (reconnects and loops)
 * @param resyncs        how often the timestamps were re-anchored to the clock
 * @param audioFrames    audio sample frames (48 kHz) delivered to the mixer
 * @param width          the width of the last frame, 0 before the first
 * @param height         the height of the last frame, 0 before the first
 * @param lastError      the last error, empty when none
 */
public record SourceStats(String id, SourceState state, long framesDecoded, long framesDropped, long restarts,
        long resyncs, long audioFrames, int width, int height, String lastError) {
}
