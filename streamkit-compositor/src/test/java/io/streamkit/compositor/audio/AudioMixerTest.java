package io.streamkit.compositor.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AudioMixerTest {

    private static final long POS = 1_000_000;

    /** Writes {@code frames} of a sine of the given amplitude to both channels of a ring, from POS. */
    private static SampleRing sine(double freq, double amplitude, int frames) {
        SampleRing ring = new SampleRing(48_000);
        float[] s = new float[frames * 2];
        for (int i = 0; i < frames; i++) {
            float v = (float) (amplitude * Math.sin(2 * Math.PI * freq * (POS + i) / 48_000));
            s[2 * i] = v;
            s[2 * i + 1] = v;
        }
        ring.write(POS, s, 0, frames);
        return ring;
    }

    private static double expected(double freq, double amplitude, int i) {
        return amplitude * Math.sin(2 * Math.PI * freq * (POS + i) / 48_000);
    }

    @Test
    void twoSinesAddUp() {
        AudioMixer mixer = new AudioMixer();
        mixer.attach("a", sine(440, 0.25, 4096));
        mixer.attach("b", sine(1000, 0.25, 4096));
        float[] out = new float[AudioMixer.BLOCK_SAMPLES];
        mixer.mix(POS, out);
        for (int i = 0; i < AudioMixer.BLOCK_FRAMES; i++) {
            double want = expected(440, 0.25, i) + expected(1000, 0.25, i);
            assertEquals(want, out[2 * i], 1e-5, "left sample " + i);
            assertEquals(want, out[2 * i + 1], 1e-5, "right sample " + i);
        }
        assertEquals(0, mixer.stats().limitedFrames());
        assertEquals(1, mixer.stats().blocksMixed());
    }

    @Test
    void gainInDecibelsScalesOneSource() {
        AudioMixer mixer = new AudioMixer();
        mixer.attach("a", sine(440, 0.5, 4096));
        mixer.attach("b", sine(1000, 0.5, 4096));
        mixer.update("b", s -> s.withGainDb(-6.0206)); // one half
        float[] out = new float[AudioMixer.BLOCK_SAMPLES];
        mixer.mix(POS + 1024, out);
        for (int i = 0; i < AudioMixer.BLOCK_FRAMES; i++) {
            double want = expected(440, 0.5, 1024 + i) + 0.5 * expected(1000, 0.5, 1024 + i);
            assertEquals(want, out[2 * i], 1e-4, "sample " + i);
        }
        assertEquals(0.5, mixer.settings("b").gain(), 1e-4);
        assertEquals(-6.0206, mixer.settings("b").gainDb(), 1e-3);
    }

    @Test
    void mutedSourceIsLeftOutAndSettingsOutliveDetach() {
        AudioMixer mixer = new AudioMixer();
        mixer.update("b", s -> s.withMuted(true)); // set before the source is attached
        mixer.attach("a", sine(440, 0.3, 4096));
        mixer.attach("b", sine(1000, 0.3, 4096));
        float[] out = new float[AudioMixer.BLOCK_SAMPLES];
        mixer.mix(POS, out);
        for (int i = 0; i < AudioMixer.BLOCK_FRAMES; i++) {
            assertEquals(expected(440, 0.3, i), out[2 * i], 1e-5);
        }
        mixer.detach("b");
        assertTrue(mixer.settings("b").muted());
        assertEquals(1, mixer.stats().inputs());
    }

    @Test
    void limiterKeepsTheSumWithinFullScale() {
        AudioMixer mixer = new AudioMixer();
        for (int n = 0; n < 4; n++) {
            mixer.attach("s" + n, sine(200 + 50 * n, 0.9, 8192));
            mixer.update("s" + n, s -> s.withGainDb(12));
        }
        float[] out = new float[AudioMixer.BLOCK_SAMPLES];
        float peak = 0;
        for (int b = 0; b < 8; b++) {
            mixer.mix(POS + b * 1024L, out);
            for (float v : out) {
                assertTrue(Math.abs(v) <= 1f, "sample " + v + " beyond full scale");
                peak = Math.max(peak, Math.abs(v));
            }
        }
        assertTrue(peak > 0.9f, "the limiter should keep the level near the threshold, peak " + peak);
        assertTrue(mixer.stats().limitedFrames() > 0);
    }

    @Test
    void sourceWithoutSamplesIsSilenceAndCountedAsUnderrun() {
        AudioMixer mixer = new AudioMixer();
        mixer.attach("late", new SampleRing(4800));
        float[] out = new float[AudioMixer.BLOCK_SAMPLES];
        mixer.mix(POS, out);
        for (float v : out) {
            assertEquals(0f, v);
        }
        assertEquals(AudioMixer.BLOCK_FRAMES, mixer.stats().underrunFrames());
    }
}
