package io.streamkit.relay.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link TsChunker} regroups any writes into 1316-byte chunks without losing or reordering. */
class TsChunkerTest {
    @Property(tries = 200)
    void chunksAreFullAndKeepTheBytes(@ForAll @Size(max = 20) List<@IntRange(min = 0, max = 3000) Integer> sizes) {
        List<ByteBuf> chunks = new ArrayList<>();
        TsChunker chunker = new TsChunker(ByteBufAllocator.DEFAULT, chunks::add);
        ByteBuf expected = Unpooled.buffer();
        int counter = 0;
        for (int size : sizes) {
            ByteBuf in = Unpooled.buffer(size);
            for (int i = 0; i < size; i++) {
                in.writeByte(counter++);
            }
            expected.writeBytes(in, 0, size);
            chunker.write(in);
            assertEquals(0, in.refCnt(), "write releases its argument");
        }
        int full = chunks.size();
        chunker.flush();
        chunker.close();
        ByteBuf actual = Unpooled.buffer();
        for (int i = 0; i < chunks.size(); i++) {
            ByteBuf c = chunks.get(i);
            if (i < full) {
                assertEquals(TsChunker.CHUNK_SIZE, c.readableBytes());
            }
            actual.writeBytes(c);
            c.release();
        }
        assertEquals(expected, actual);
        assertEquals(expected.readableBytes() / TsChunker.CHUNK_SIZE, full);
        expected.release();
        actual.release();
    }

    @Test
    void closeDropsThePartialChunkAndRefusesMore() {
        List<ByteBuf> chunks = new ArrayList<>();
        TsChunker chunker = new TsChunker(ByteBufAllocator.DEFAULT, chunks::add);
        chunker.write(Unpooled.buffer().writeZero(TsPackets.SIZE));
        assertEquals(TsPackets.SIZE, chunker.pending());
        chunker.close();
        chunker.close();
        ByteBuf late = Unpooled.buffer().writeZero(10);
        assertThrows(IllegalStateException.class, () -> chunker.write(late));
        assertEquals(0, late.refCnt());
        assertEquals(List.of(), chunks);
    }
}
