package io.streamkit.compositor.audio;

/**
 * How one source is mixed: a linear gain and a mute switch. Immutable; the mixer swaps whole
 * settings atomically, so a change never applies to half a block.
 *
 * @param gain  the linear gain, {@code 0..}{@value #MAX_GAIN} (1 leaves the level unchanged)
 * @param muted whether the source is left out of the mix
 */
public record ChannelSettings(double gain, boolean muted) {

    /** The largest linear gain (+24 dB). */
    public static final double MAX_GAIN = 15.848931924611133;

    /** Unity gain, not muted. */
    public static final ChannelSettings DEFAULT = new ChannelSettings(1.0, false);

    /** Validates the gain. */
    public ChannelSettings {
        if (!(gain >= 0 && gain <= MAX_GAIN)) {
            throw new IllegalArgumentException("gain " + gain + " is outside 0.." + MAX_GAIN + " (+24 dB)");
        }
    }

    /**
     * Returns a copy with another linear gain.
     *
     * @param newGain the linear gain
     * @return the copy
     */
    public ChannelSettings withGain(double newGain) {
        return new ChannelSettings(newGain, muted);
    }

    /**
     * Returns a copy with a gain in decibels.
     *
     * @param db the gain in dB, at most +24; {@link Double#NEGATIVE_INFINITY} is silence
     * @return the copy
     */
    public ChannelSettings withGainDb(double db) {
        if (Double.isNaN(db)) {
            throw new IllegalArgumentException("gain in dB is NaN");
        }
        return new ChannelSettings(db == Double.NEGATIVE_INFINITY ? 0 : Math.pow(10, db / 20), muted);
    }

    /**
     * Returns a copy muted or not.
     *
     * @param newMuted whether the source is left out
     * @return the copy
     */
    public ChannelSettings withMuted(boolean newMuted) {
        return new ChannelSettings(gain, newMuted);
    }

    /**
     * Returns the gain in decibels.
     *
     * @return {@code 20 log10(gain)}; negative infinity for a gain of 0
     */
    public double gainDb() {
        return 20 * Math.log10(gain);
    }
}
