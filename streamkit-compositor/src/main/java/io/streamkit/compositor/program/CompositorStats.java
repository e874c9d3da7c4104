package io.streamkit.compositor.program;

import io.streamkit.compositor.audio.MixerStats;

/**
 * Counters of a {@link Compositor}.
 *
 * @param framesComposed     frames rendered
 * @param framesEncoded      frames encoded
 * @param framesDropped      rendered frames dropped because the encoder was behind
 * @param ticksSkipped       clock ticks not rendered because the compose thread was late by a
 *                           frame or more (the previous frame lasts longer: a duplicate)
 * @param renderMillisP50    median render time (render and colour conversion), last 512 frames
 * @param encodeMillisP50    median video encode time, last 512 frames
 * @param encodeMillisP99    99th percentile video encode time, last 512 frames
 * @param audioBlocks        audio blocks (1024 sample frames) encoded
 * @param audioBlocksDropped audio blocks dropped because the encoder was behind
 * @param packetsPublished   packets accepted by the stream
 * @param bytesPublished     payload bytes accepted by the stream
 * @param mixer              the mixer's counters
 */
public record CompositorStats(long framesComposed, long framesEncoded, long framesDropped, long ticksSkipped,
        double renderMillisP50, double encodeMillisP50, double encodeMillisP99, long audioBlocks,
        long audioBlocksDropped, long packetsPublished, long bytesPublished, MixerStats mixer) {
}
