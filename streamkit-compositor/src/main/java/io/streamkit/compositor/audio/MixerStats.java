package io.streamkit.compositor.audio;

/**
 * Counters of an {@link AudioMixer}.
 *
 * @param blocksMixed        blocks produced
 * @param inputs             sources attached now
 * @param underrunFrames     sample frames an attached, unmuted source had no sample for (mixed as
 *                           silence)
 * @param limitedFrames      sample frames the limiter reduced
 */
public record MixerStats(long blocksMixed, int inputs, long underrunFrames, long limitedFrames) {
}
