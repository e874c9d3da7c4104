package io.streamkit.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SequenceUnwrapperProperties {

    @Property
    void unwrapsAcrossWrapsWithBoundedReordering(@ForAll @IntRange(max = 0xFFFF) int start,
            @ForAll @Size(min = 1, max = 3000) List<@IntRange(min = 0, max = 100) Integer> steps,
            @ForAll @IntRange(max = 50) int window, @ForAll long seed) {
        // the true (extended) sequence, then shuffled within a bounded window
        List<Long> truth = new ArrayList<>();
        long value = start;
        for (int step : steps) {
            value += step;
            truth.add(value);
        }
        Random random = new Random(seed);
        for (int i = 0; i + 1 < truth.size(); i++) {
            int j = Math.min(truth.size() - 1, i + random.nextInt(window + 1));
            long t = truth.get(i);
            truth.set(i, truth.get(j));
            truth.set(j, t);
        }
        SequenceUnwrapper unwrapper = new SequenceUnwrapper();
        long first = truth.get(0);
        long highest = Long.MIN_VALUE;
        for (long t : truth) {
            long expected = t - first + (first & 0xFFFF);
            assertEquals(expected, unwrapper.unwrap((int) (t & 0xFFFF)));
            highest = Math.max(highest, expected);
            assertEquals(highest, unwrapper.highest());
        }
    }

    @Test
    void peekDoesNotAdvanceAndResetForgets() {
        SequenceUnwrapper u = new SequenceUnwrapper();
        assertThrows(IllegalStateException.class, u::highest);
        assertEquals(65535, u.unwrap(65535));
        assertEquals(65536 + 5, u.peek(5));
        assertEquals(65535, u.highest());
        assertEquals(65536 + 5, u.unwrap(5));
        assertEquals(65534, u.unwrap(65534)); // late packet from before the wrap
        assertEquals(65541, u.highest());
        u.reset();
        assertEquals(7, u.unwrap(7));
    }
}
