/**
 * The audio side of the compositor: every source's audio is kept as 48 kHz stereo float samples
 * in a {@link io.streamkit.compositor.audio.SampleRing} addressed by position on the monotonic
 * clock, and the {@link io.streamkit.compositor.audio.AudioMixer} sums the sources in fixed blocks
 * of {@value io.streamkit.compositor.audio.AudioMixer#BLOCK_FRAMES} sample frames (one AAC frame)
 * with per-source gain and mute and a peak {@link io.streamkit.compositor.audio.Limiter} on the sum.
 *
 * <p>
 * Samples are floats in {@code [-1, 1]} (full scale), interleaved left/right.
 */
package io.streamkit.compositor.audio;
