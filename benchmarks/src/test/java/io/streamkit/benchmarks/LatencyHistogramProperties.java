package io.streamkit.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LatencyHistogramProperties {
    /** The bucket a delay falls in, by its lower bound: 1 µs up to 100 ms, then 1 ms, capped at 60 s. */
    private static long bucketFloor(long micros) {
        long m = Math.max(0, micros);
        if (m < 100_000) {
            return m;
        }
        return Math.min(60_000_000, 100_000 + (m - 100_000) / 1000 * 1000);
    }

    @Property
    void quantileIsTheBucketOfTheExactRank(
            @ForAll @Size(min = 1, max = 300) List<@LongRange(min = -5, max = 70_000_000) Long> delays,
            @ForAll @DoubleRange(min = 0, max = 1) double q) {
        LatencyHistogram h = new LatencyHistogram();
        delays.forEach(h::record);
        long[] sorted = delays.stream().mapToLong(d -> Math.max(0, d)).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.max(1, Math.ceil(q * sorted.length));
        assertEquals(bucketFloor(sorted[rank - 1]), h.quantileMicros(q));
        assertEquals(sorted[sorted.length - 1], h.maxMicros());
        assertEquals(delays.size(), h.count());
    }

    @Test
    void emptyAndOutOfRange() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(-1, h.quantileMicros(0.5));
        assertEquals(0, h.maxMicros());
        assertThrows(IllegalArgumentException.class, () -> h.quantileMicros(1.5));
        assertThrows(IllegalArgumentException.class, () -> h.quantileMicros(-0.1));
    }
}
