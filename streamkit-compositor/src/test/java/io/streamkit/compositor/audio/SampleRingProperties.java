package io.streamkit.compositor.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import java.util.List;

class SampleRingProperties {

    /** Writing consecutive chunks then reading the last {@code capacity} frames returns them exactly. */
    @Property
    void contiguousWritesReadBack(@ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long origin,
            @ForAll @IntRange(min = 1, max = 4000) int capacity,
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 3000) Integer> chunks) {
        SampleRing ring = new SampleRing(capacity);
        long pos = origin;
        long total = 0;
        for (int n : chunks) {
            float[] s = new float[n * 2];
            for (int i = 0; i < n; i++) {
                s[2 * i] = value(pos + i);
                s[2 * i + 1] = -value(pos + i);
            }
            assertEquals(pos, ring.write(pos, s, 0, n));
            pos += n;
            total += n;
        }
        int keep = (int) Math.min(total, capacity);
        float[] out = new float[(keep + 10) * 2];
        int valid = ring.read(pos - keep - 5, out, 0, keep + 10);
        assertEquals(keep, valid);
        for (int i = 0; i < keep + 10; i++) {
            long p = pos - keep - 5 + i;
            boolean held = p >= pos - keep && p < pos;
            assertEquals(held ? value(p) : 0f, out[2 * i], "left at " + p);
            assertEquals(held ? -value(p) : 0f, out[2 * i + 1], "right at " + p);
        }
        assertEquals(0, ring.resyncs());
    }

    /** Arbitrary positions and lengths never throw, never read more frames than asked, samples stay as written. */
    @Property
    void arbitraryWritesAndReadsStayBounded(@ForAll @IntRange(min = 1, max = 2000) int capacity,
            @ForAll @Size(max = 30) List<@LongRange(min = -100_000, max = 100_000) Long> positions,
            @ForAll @IntRange(min = 0, max = 5000) int frames) {
        SampleRing ring = new SampleRing(capacity);
        float[] s = new float[frames * 2];
        java.util.Arrays.fill(s, 0.5f);
        float[] out = new float[frames * 2];
        for (long p : positions) {
            ring.write(p, s, 0, frames);
            int valid = ring.read(p, out, 0, frames);
            assertTrue(valid >= 0 && valid <= Math.min(frames, capacity), "valid " + valid);
            for (float v : out) {
                assertTrue(v == 0f || v == 0.5f);
            }
        }
    }

    private static float value(long p) {
        return (float) Math.floorMod(p * 7919, 1000) / 1000f;
    }
}
