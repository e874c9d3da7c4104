package io.streamkit.relay.srt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.streamkit.relay.srt.SrtControlPacket.Nak;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Loss-list compression into NAK ranges and back, including across the sequence number wrap. */
class SrtLossListTest {

    @Provide
    Arbitrary<Integer> starts() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, SrtSeq.MAX),
                Arbitraries.integers().between(SrtSeq.MAX - 3000, SrtSeq.MAX));
    }

    @Provide
    Arbitrary<TreeSet<Integer>> offsets() {
        return Arbitraries.integers().between(0, 5000).set().ofMinSize(1).ofMaxSize(300).map(TreeSet::new);
    }

    @Property(tries = 500)
    void compressThenExpandGivesTheLostSet(@ForAll("starts") int start, @ForAll("offsets") TreeSet<Integer> offsets) {
        int[] lost = offsets.stream().mapToInt(off -> SrtSeq.add(start, off)).toArray();
        List<SrtSeqRange> ranges = SrtLossList.compress(lost);
        assertArrayEquals(lost, SrtLossList.expand(ranges, 10_000));
        assertEquals(lost.length, SrtLossList.count(ranges));
        for (int i = 1; i < ranges.size(); i++) {
            // maximal runs: a gap separates consecutive ranges
            assertTrue(SrtSeq.diff(ranges.get(i).first(), ranges.get(i - 1).last()) > 1);
        }
        Nak nak = new Nak(7, 9, ranges);
        ByteBuf wire = SrtPacketCodec.encode(UnpooledByteBufAllocator.DEFAULT, nak);
        try {
            Nak decoded = (Nak) SrtPacketCodec.decode(wire);
            assertArrayEquals(lost, SrtLossList.expand(decoded.lossList(), 10_000));
        } finally {
            wire.release();
        }
    }

    @Test
    void rangeAcrossTheWrapIsOneRangeOnTheWire() {
        int[] lost = {SrtSeq.MAX - 1, SrtSeq.MAX, 0, 1, 5};
        List<SrtSeqRange> ranges = SrtLossList.compress(lost);
        assertEquals(List.of(new SrtSeqRange(SrtSeq.MAX - 1, 1), SrtSeqRange.of(5)), ranges);
        assertEquals(4, ranges.get(0).size());
        assertTrue(ranges.get(0).contains(0));
        ByteBuf wire = SrtPacketCodec.encode(UnpooledByteBufAllocator.DEFAULT, new Nak(0, 0, ranges));
        try {
            assertEquals("80030000000000000000000000000000" + "fffffffe" + "00000001" + "00000005",
                    ByteBufUtil.hexDump(wire));
        } finally {
            wire.release();
        }
    }

    @Test
    void rejectsUnorderedInputAndHugeExpansions() {
        assertThrows(IllegalArgumentException.class, () -> SrtLossList.compress(new int[]{5, 3}));
        assertThrows(IllegalArgumentException.class, () -> SrtLossList.compress(new int[]{-1}));
        assertThrows(IllegalArgumentException.class,
                () -> SrtLossList.expand(List.of(new SrtSeqRange(0, SrtSeq.HALF - 1)), 1_000_000));
        assertThrows(IllegalArgumentException.class, () -> new SrtSeqRange(10, 9));
    }
}
