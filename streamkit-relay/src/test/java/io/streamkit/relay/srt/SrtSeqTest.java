package io.streamkit.relay.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Sequence number, message number and timestamp arithmetic across their wraps. */
class SrtSeqTest {

    @Provide
    Arbitrary<Integer> seqs() {
        // bias towards the wrap point
        return Arbitraries.oneOf(Arbitraries.integers().between(0, SrtSeq.MAX),
                Arbitraries.integers().between(SrtSeq.MAX - 1000, SrtSeq.MAX),
                Arbitraries.integers().between(0, 1000));
    }

    @Property(tries = 500)
    void addAndDiffAreInverse(@ForAll("seqs") int seq,
            @ForAll @IntRange(min = -SrtSeq.HALF, max = SrtSeq.HALF - 1) int delta) {
        int moved = SrtSeq.add(seq, delta);
        assertTrue(SrtSeq.isValid(moved));
        assertEquals(delta, SrtSeq.diff(moved, seq));
        assertEquals(seq, SrtSeq.add(moved, -delta));
    }

    @Property(tries = 500)
    void diffIsTheDistanceThatAddCovers(@ForAll("seqs") int a, @ForAll("seqs") int b) {
        assertEquals(a, SrtSeq.add(b, SrtSeq.diff(a, b)));
    }

    @Property(tries = 500)
    void orderingIsAntisymmetricWithinHalfTheSpace(@ForAll("seqs") int a, @ForAll("seqs") int b) {
        Assume.that(SrtSeq.diff(a, b) != -SrtSeq.HALF);
        assertEquals(SrtSeq.compare(a, b), -SrtSeq.compare(b, a));
        assertEquals(-SrtSeq.diff(a, b), SrtSeq.diff(b, a));
        assertEquals(a == b, SrtSeq.compare(a, b) == 0);
        if (a != b) {
            assertTrue(SrtSeq.isBefore(a, b) ^ SrtSeq.isBefore(b, a));
            assertEquals(SrtSeq.isBefore(a, b) ? b : a, SrtSeq.max(a, b));
        }
    }

    @Property(tries = 300)
    void orderFollowsAddWithinAWindow(@ForAll("seqs") int seq,
            @ForAll @IntRange(min = 1, max = SrtSeq.HALF - 1) int ahead) {
        int later = SrtSeq.add(seq, ahead);
        assertTrue(SrtSeq.isBefore(seq, later));
        assertFalse(SrtSeq.isBefore(later, seq));
    }

    @Property(tries = 300)
    void nextAndPreviousAreInverse(@ForAll("seqs") int seq) {
        assertEquals(seq, SrtSeq.previous(SrtSeq.next(seq)));
        assertEquals(1, SrtSeq.diff(SrtSeq.next(seq), seq));
    }

    @Test
    void wrapPoints() {
        assertEquals(0, SrtSeq.next(SrtSeq.MAX));
        assertEquals(SrtSeq.MAX, SrtSeq.previous(0));
        assertEquals(1, SrtSeq.diff(0, SrtSeq.MAX));
        assertTrue(SrtSeq.isBefore(SrtSeq.MAX, 0));
        assertEquals(-SrtSeq.HALF, SrtSeq.diff(0, SrtSeq.HALF));
        assertFalse(SrtSeq.isValid(-1));
        assertEquals(1, SrtSeq.nextMessage(SrtSeq.MSG_MAX));
        assertEquals(2, SrtSeq.nextMessage(1));
        assertEquals(2, SrtSeq.messageDiff(1, SrtSeq.MSG_MAX));
        assertTrue(SrtSeq.isValidMessage(SrtSeq.MSG_MAX));
        assertFalse(SrtSeq.isValidMessage(SrtSeq.MSG_MAX + 1));
    }

    @Property(tries = 300)
    void messageDiffInvertsAdd(@ForAll @IntRange(min = 0, max = SrtSeq.MSG_MAX) int msg,
            @ForAll @IntRange(min = -(1 << 25), max = (1 << 25) - 1) int delta) {
        int moved = (msg + delta) & SrtSeq.MSG_MAX;
        assertEquals(delta, SrtSeq.messageDiff(moved, msg));
    }

    @Property(tries = 500)
    void timestampsUnwrapNearTheirReference(@ForAll @LongRange(min = 0, max = 1L << 44) long reference,
            @ForAll @IntRange(min = Integer.MIN_VALUE + 1, max = Integer.MAX_VALUE) int offset) {
        long actual = reference + offset;
        Assume.that(actual >= 0);
        int wire = SrtTimestamp.of(actual);
        assertEquals(actual & 0xFFFFFFFFL, SrtTimestamp.toUnsigned(wire));
        assertEquals(actual, SrtTimestamp.unwrap(wire, reference));
        assertEquals(offset, SrtTimestamp.diff(wire, SrtTimestamp.of(reference)));
        assertEquals(offset < 0, SrtTimestamp.isBefore(wire, SrtTimestamp.of(reference)));
    }
}
