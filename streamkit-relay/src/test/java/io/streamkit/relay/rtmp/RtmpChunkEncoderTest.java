package io.streamkit.relay.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.streamkit.api.CodecException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Known outputs of {@link RtmpChunkEncoder}: header compression, extended timestamps, zero copy. */
class RtmpChunkEncoderTest {

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final RtmpChunkEncoder encoder = new RtmpChunkEncoder();
    private final EmbeddedChannel ch = channel();

    private EmbeddedChannel channel() {
        EmbeddedChannel c = new EmbeddedChannel(encoder);
        c.config().setAllocator(alloc);
        return c;
    }

    private String encode(int csid, int type, int msid, long ts, String payloadHex) {
        byte[] payload = HexFormat.of().parseHex(payloadHex);
        ch.writeOutbound(new RtmpMessage(csid, type, msid, ts, alloc.buffer(payload.length).writeBytes(payload)));
        return read();
    }

    private String read() {
        ByteBuf out = ch.readOutbound();
        try {
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }

    @Test
    void setChunkSizeIsWrittenWithTheOldSizeThenApplied() {
        ch.writeOutbound(RtmpMessage.setChunkSize(alloc, 4));
        assertEquals("02000000000004010000000000000004", read());
        assertEquals(4, encoder.chunkSize());
        assertEquals("06000000000006090100000001020304" + "c6" + "0506",
                encode(6, RtmpMessage.VIDEO, 1, 0, "010203040506"));
        ch.finish();
        alloc.assertAllReleased();
    }

    @Test
    void headerCompression() {
        // first message: type 0
        assertEquals("04" + "0003e8" + "000002" + "08" + "01000000" + "aabb", encode(4, 8, 1, 1000, "aabb"));
        // same length and type, new delta: type 2 (no type 3 right after type 0: peers disagree on its delta)
        assertEquals("84" + "000017" + "ccdd", encode(4, 8, 1, 1023, "ccdd"));
        // same delta, length and type: type 3
        assertEquals("c4" + "eeff", encode(4, 8, 1, 1046, "eeff"));
        // new length: type 1
        assertEquals("44" + "000017" + "000001" + "08" + "11", encode(4, 8, 1, 1069, "11"));
        // new message stream id: type 0
        assertEquals("04" + "00042d" + "000001" + "08" + "02000000" + "22", encode(4, 8, 2, 1069, "22"));
        // timestamp going backwards: type 0
        assertEquals("04" + "000064" + "000001" + "08" + "02000000" + "33", encode(4, 8, 2, 100, "33"));
        // another chunk stream has its own state
        assertEquals("06" + "000064" + "000001" + "09" + "02000000" + "44", encode(6, 9, 2, 100, "44"));
        ch.finish();
        alloc.assertAllReleased();
    }

    @Test
    void extendedTimestampsAreRepeatedOnContinuationChunks() {
        encoder.setChunkSize(2);
        assertEquals("06ffffff00000309" + "01000000" + "01000000" + "0102" + "c6" + "01000000" + "03",
                encode(6, 9, 1, 0x01000000L, "010203"));
        // an extended delta on a type 2 header, then the same delta again on a type 3 header
        assertEquals("86ffffff" + "01000001" + "0405" + "c6" + "01000001" + "06",
                encode(6, 9, 1, 0x02000001L, "040506"));
        assertEquals("c6" + "01000001" + "0708" + "c6" + "01000001" + "09", encode(6, 9, 1, 0x03000002L, "070809"));
        // the timestamp wraps: a small delta again, no extended field
        ch.finish();
        alloc.assertAllReleased();
    }

    @Test
    void wrappingTimestampIsAForwardDelta() {
        encode(4, 8, 1, 0xFFFFFFF0L, "00");
        assertEquals("84" + "000020" + "00", encode(4, 8, 1, 0x10, "00"));
        ch.finish();
        alloc.assertAllReleased();
    }

    @Test
    void basicHeaderForms() {
        assertTrue(encode(64, 8, 0, 0, "").startsWith("0000"));
        assertTrue(encode(319, 8, 0, 0, "").startsWith("00ff"));
        assertTrue(encode(320, 8, 0, 0, "").startsWith("010001"));
        assertTrue(encode(65599, 8, 0, 0, "").startsWith("01ffff"));
        ch.finish();
        alloc.assertAllReleased();
    }

    @Test
    void payloadIsNotCopied() {
        encoder.setChunkSize(100);
        ByteBuf payload = alloc.buffer(250).writeZero(250);
        ch.writeOutbound(new RtmpMessage(3, 20, 0, 0, payload.retain()));
        CompositeByteBuf out = ch.readOutbound();
        assertEquals(6, out.numComponents());
        assertEquals(1 + 11 + 250 + 2, out.readableBytes());
        payload.setByte(249, 0x7f);
        assertEquals(0x7f, out.getByte(out.writerIndex() - 1));
        out.release();
        payload.release();
        ch.finish();
        alloc.assertAllReleased();
    }

    @Test
    void invalidMessagesFailTheWrite() {
        ByteBuf bad = alloc.buffer(4).writeInt(0);
        EncoderException e = assertThrows(EncoderException.class,
                () -> ch.writeOutbound(new RtmpMessage(2, RtmpMessage.SET_CHUNK_SIZE, 0, 0, bad)));
        assertInstanceOf(CodecException.class, e.getCause());
        assertEquals(128, encoder.chunkSize());
        assertThrows(IllegalArgumentException.class, () -> encoder.setChunkSize(0));
        ch.finishAndReleaseAll();
        alloc.assertAllReleased();
    }
}
