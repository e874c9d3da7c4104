package io.streamkit.compositor.audio;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Mixes the audio of the program's sources: for each block of {@value #BLOCK_FRAMES} sample frames
 * at 48 kHz stereo (one AAC frame), it reads every attached source's {@link SampleRing} at the
 * block's position, applies the source's {@link ChannelSettings}, sums, and runs the
 * {@link Limiter}. A source without audio, muted, or with nothing at those positions (stalled,
 * late) contributes silence.
 *
 * <p>
 * Sources are attached and detached, and their settings changed, from any thread;
 * {@link #mix(long, float[])} runs on one thread (the program's compose thread). Settings are kept
 * by source id, also for sources not attached yet, so a control page can set a guest's gain before
 * the guest arrives.
 */
public final class AudioMixer {

    /** Sample frames per block: one AAC frame. */
    public static final int BLOCK_FRAMES = 1024;
    /** Interleaved samples per block. */
    public static final int BLOCK_SAMPLES = BLOCK_FRAMES * SampleRing.CHANNELS;

    private final Map<String, SampleRing> inputs = new ConcurrentHashMap<>();
    private final Map<String, ChannelSettings> settings = new ConcurrentHashMap<>();
    private final Limiter limiter;
    private final float[] scratch = new float[BLOCK_SAMPLES];
    private volatile long blocks;
    private volatile long underruns;

    /** Creates a mixer with the {@linkplain Limiter#standard() standard limiter}. */
    public AudioMixer() {
        this(Limiter.standard());
    }

    /**
     * Creates a mixer.
     *
     * @param limiter the limiter applied to the sum; owned by this mixer from now on
     */
    public AudioMixer(Limiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /**
     * Attaches a source's samples (replacing any ring attached under the same id).
     *
     * @param sourceId the source id
     * @param ring     its samples
     */
    public void attach(String sourceId, SampleRing ring) {
        inputs.put(Objects.requireNonNull(sourceId, "sourceId"), Objects.requireNonNull(ring, "ring"));
    }

    /**
     * Detaches a source; its settings are kept.
     *
     * @param sourceId the source id
     */
    public void detach(String sourceId) {
        inputs.remove(sourceId);
    }

    /**
     * Returns a source's settings.
     *
     * @param sourceId the source id
     * @return its settings, {@link ChannelSettings#DEFAULT} when never set
     */
    public ChannelSettings settings(String sourceId) {
        return settings.getOrDefault(sourceId, ChannelSettings.DEFAULT);
    }

    /**
     * Changes a source's settings atomically, for example
     * {@code mixer.update("guest", s -> s.withGainDb(-6))}.
     *
     * @param sourceId the source id
     * @param change   computes the new settings from the current ones; it may run more than once
     * @return the new settings
     */
    public ChannelSettings update(String sourceId, UnaryOperator<ChannelSettings> change) {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(change, "change");
        return settings.compute(sourceId, (id, old) -> Objects.requireNonNull(
                change.apply(old == null ? ChannelSettings.DEFAULT : old), "changed settings"));
    }

    /**
     * Mixes one block.
     *
     * @param position the sample position of the block's first frame (see {@link SampleRing#position(long)})
     * @param out      receives {@value #BLOCK_SAMPLES} interleaved samples, all within {@code [-1, 1]}
     */
    public void mix(long position, float[] out) {
        if (out.length < BLOCK_SAMPLES) {
            throw new IllegalArgumentException("a block needs " + BLOCK_SAMPLES + " samples, the array has "
                    + out.length);
        }
        java.util.Arrays.fill(out, 0, BLOCK_SAMPLES, 0f);
        long missing = 0;
        for (Map.Entry<String, SampleRing> e : inputs.entrySet()) {
            ChannelSettings s = settings(e.getKey());
            if (s.muted() || s.gain() == 0) {
                continue;
            }
            int valid = e.getValue().read(position, scratch, 0, BLOCK_FRAMES);
            missing += BLOCK_FRAMES - valid;
            if (valid == 0) {
                continue;
            }
            float g = (float) s.gain();
            for (int i = 0; i < BLOCK_SAMPLES; i++) {
                out[i] += scratch[i] * g;
            }
        }
        limiter.process(out, BLOCK_FRAMES);
        underruns = underruns + missing;
        blocks = blocks + 1;
    }

    /**
     * Returns the mixer's counters.
     *
     * @return a snapshot
     */
    public MixerStats stats() {
        return new MixerStats(blocks, inputs.size(), underruns, limiter.limitedFrames());
    }
}
