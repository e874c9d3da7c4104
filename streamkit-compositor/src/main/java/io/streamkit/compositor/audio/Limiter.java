package io.streamkit.compositor.audio;

/**
 * A peak limiter for interleaved stereo: when a sample frame would exceed the threshold, the gain
 * drops at once to exactly the value that keeps it at the threshold (no overshoot), then recovers
 * exponentially towards unity with the release time. Both channels share one gain, so the stereo
 * image does not shift. A final clamp to {@code [-1, 1]} guarantees that no sample ever exceeds full
 * scale, whatever the input (NaN reads as silence), so an integer conversion never wraps around.
 * Not thread-safe: one instance per mix thread.
 */
public final class Limiter {

    private final float threshold;
    private final float release;
    private float gain = 1f;
    private long limitedFrames;

    /**
     * Creates a limiter.
     *
     * @param threshold   the highest absolute sample value let through, in {@code (0, 1]}
     * @param releaseTime how long the gain takes to recover by a factor of e, in seconds, {@code > 0}
     */
    public Limiter(double threshold, double releaseTime) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("limiter threshold " + threshold + " is outside (0, 1]");
        }
        if (!(releaseTime > 0 && releaseTime <= 60)) {
            throw new IllegalArgumentException("limiter release time " + releaseTime + " s is outside (0, 60]");
        }
        this.threshold = (float) threshold;
        this.release = (float) Math.exp(-1.0 / (releaseTime * SampleRing.SAMPLE_RATE));
    }

    /**
     * Returns a limiter at -0.1 dBFS with a 100 ms release.
     *
     * @return the limiter
     */
    public static Limiter standard() {
        return new Limiter(Math.pow(10, -0.1 / 20), 0.1);
    }

    /**
     * Limits samples in place.
     *
     * @param interleaved left/right samples
     * @param frames      how many sample frames, from index 0
     */
    public void process(float[] interleaved, int frames) {
        float g = gain;
        for (int i = 0; i < frames; i++) {
            int l = 2 * i;
            float left = interleaved[l];
            float right = interleaved[l + 1];
            if (left != left) { // NaN
                left = 0;
            }
            if (right != right) {
                right = 0;
            }
            float peak = Math.max(Math.abs(left), Math.abs(right));
            g = 1f - (1f - g) * release;
            if (peak * g > threshold) {
                g = threshold / peak;
                limitedFrames++;
            }
            interleaved[l] = clamp(left * g);
            interleaved[l + 1] = clamp(right * g);
        }
        gain = g;
    }

    private static float clamp(float v) {
        return v > 1f ? 1f : (v < -1f ? -1f : v);
    }

    /**
     * Returns the current gain.
     *
     * @return the gain applied to the last sample frame, in {@code (0, 1]}
     */
    public float gain() {
        return gain;
    }

    /**
     * Returns how many sample frames needed a gain reduction.
     *
     * @return the count
     */
    public long limitedFrames() {
        return limitedFrames;
    }
}
