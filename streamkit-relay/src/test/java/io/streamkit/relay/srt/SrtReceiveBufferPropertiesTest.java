package io.streamkit.relay.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SrtReceiveBufferPropertiesTest {

    private static SrtDataPacket packet(int seq, int index) {
        return new SrtDataPacket(seq, SrtPacketPosition.SOLO, false, SrtKeyFlag.NONE, false, 1, index, 0,
                Unpooled.buffer(4).writeInt(index));
    }

    @Property(tries = 200)
    void permutedAndDuplicatedPacketsAreDeliveredInOrder(@ForAll @IntRange(min = 1, max = 600) int count,
            @ForAll @IntRange(min = 0, max = 2000) int isnBeforeWrap, @ForAll long seed) {
        int isn = SrtSeq.add(0, -isnBeforeWrap);
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            order.add(i);
            if (random.nextInt(5) == 0) {
                order.add(i);
            }
        }
        Collections.shuffle(order, random);
        SrtReceiveBuffer buffer = new SrtReceiveBuffer(isn);
        SrtReceiveBuffer.PlayClock clock = ts -> ts;
        List<Integer> delivered = new ArrayList<>();
        for (int i : order) {
            buffer.insert(SrtSeq.add(isn, i), packet(SrtSeq.add(isn, i), i));
            // nothing is due yet: gaps must never be skipped early
            SrtDataPacket early = buffer.poll(-1, clock);
            assertNull(early);
        }
        assertEquals(SrtSeq.add(isn, count), buffer.ackSequence());
        assertEquals(List.of(), buffer.lossList(100));
        SrtDataPacket p;
        while ((p = buffer.poll(Long.MAX_VALUE, clock)) != null) {
            delivered.add(p.payload().getInt(0));
            p.release();
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(i);
        }
        assertEquals(expected, delivered);
        assertEquals(0, buffer.dropped());
        buffer.releaseAll();
    }

    @Property(tries = 200)
    void missingPacketsAreReportedThenCountedAsDroppedWhenLate(@ForAll @IntRange(min = 2, max = 600) int count,
            @ForAll long seed) {
        Random random = new Random(seed);
        int isn = random.nextInt(SrtSeq.MAX);
        SrtReceiveBuffer buffer = new SrtReceiveBuffer(isn);
        int present = 0;
        for (int i = 0; i < count; i++) {
            if (i == count - 1 || random.nextInt(4) != 0) {
                buffer.insert(SrtSeq.add(isn, i), packet(SrtSeq.add(isn, i), i));
                present++;
            }
        }
        long missing = SrtLossList.count(buffer.lossList(Integer.MAX_VALUE));
        assertEquals(count - present, missing);
        int delivered = 0;
        int last = -1;
        SrtDataPacket p;
        while ((p = buffer.poll(Long.MAX_VALUE, ts -> ts)) != null) {
            int index = p.payload().getInt(0);
            assertEquals(true, index > last);
            last = index;
            delivered++;
            p.release();
        }
        assertEquals(present, delivered);
        assertEquals(count - present, buffer.dropped());
    }

    @Property(tries = 100)
    void dropRequestsSkipOnlyMissingPackets(@ForAll @IntRange(min = 2, max = 300) int count, @ForAll long seed) {
        Random random = new Random(seed);
        int isn = random.nextInt(SrtSeq.MAX);
        SrtReceiveBuffer buffer = new SrtReceiveBuffer(isn);
        int present = 0;
        for (int i = 0; i < count; i++) {
            if (random.nextBoolean()) {
                buffer.insert(SrtSeq.add(isn, i), packet(SrtSeq.add(isn, i), i));
                present++;
            }
        }
        buffer.dropRange(isn, SrtSeq.add(isn, count - 1));
        assertEquals(SrtSeq.add(isn, count), buffer.ackSequence());
        int delivered = 0;
        SrtDataPacket p;
        // nothing is due, yet everything comes out: dropped slots do not block delivery of due packets
        while ((p = buffer.poll(Long.MAX_VALUE, ts -> 0)) != null) {
            delivered++;
            p.release();
        }
        assertEquals(present, delivered);
        assertEquals(count - present, buffer.dropped());
    }
}
