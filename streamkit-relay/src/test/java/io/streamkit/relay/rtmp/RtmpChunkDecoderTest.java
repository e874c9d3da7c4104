package io.streamkit.relay.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.streamkit.api.CodecException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/** Known inputs for {@link RtmpChunkDecoder}, and what it does with garbage. */
class RtmpChunkDecoderTest {

    private final TrackingAllocator alloc = new TrackingAllocator();

    private EmbeddedChannel channel(RtmpChunkDecoder decoder) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.config().setAllocator(alloc);
        return ch;
    }

    private ByteBuf hex(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    private static List<RtmpMessage> readAll(EmbeddedChannel ch) {
        List<RtmpMessage> list = new ArrayList<>();
        RtmpChunkRoundTripTest.drainInbound(ch, list);
        return list;
    }

    private static CodecException codecError(Runnable r) {
        DecoderException e = assertThrows(DecoderException.class, r::run);
        return assertInstanceOf(CodecException.class, e.getCause());
    }

    @Test
    void decodesAMessageSplitIntoChunksWithTheDefaultChunkSize() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        byte[] payload = new byte[300];
        new Random(1).nextBytes(payload);
        ByteBuf in = hex("03 000010 00012c 14 01000000");
        in.writeBytes(payload, 0, 128).writeByte(0xC3).writeBytes(payload, 128, 128).writeByte(0xC3)
                .writeBytes(payload, 256, 44);
        ch.writeInbound(in);
        RtmpMessage m = ch.readInbound();
        assertEquals(3, m.chunkStreamId());
        assertEquals(RtmpMessage.COMMAND_AMF0, m.typeId());
        assertEquals(1, m.messageStreamId());
        assertEquals(16, m.timestamp());
        assertArrayEquals(payload, ByteBufUtil.getBytes(m.payload()));
        m.release();
        assertFalse(ch.finish());
        alloc.assertAllReleased();
    }

    @Test
    void typeThreeHeadersReuseTheDeltaAndAccumulateTimestamps() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        // fmt 0 ts 1000, fmt 2 delta 40, fmt 3 (delta 40 again), fmt 1 delta 20 and new length.
        ch.writeInbound(hex("04 0003e8 000001 08 01000000 aa" + "84 000028 bb" + "c4 cc" + "44 000014 000002 08 ddee"));
        List<RtmpMessage> ms = readAll(ch);
        assertEquals(4, ms.size());
        assertEquals(List.of(1000L, 1040L, 1080L, 1100L), ms.stream().map(RtmpMessage::timestamp).toList());
        assertEquals(1, ms.get(3).messageStreamId());
        assertEquals(2, ms.get(3).length());
        ms.forEach(RtmpMessage::release);
        ch.finish();
        alloc.assertAllReleased();
    }

    @Test
    void extendedTimestampIsReadOnContinuationChunksAndOnTypeThreeNewMessages() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        // chunk size 2; message 1: fmt 0 ts 0x01000000 (extended), 3 bytes in 2 chunks, the continuation
        // repeating the extended timestamp; message 2: fmt 2 with extended delta 0x01000001; message 3: fmt 3
        // new message, which carries the extended delta again (FFmpeg).
        ch.writeInbound(hex("02 000000 000004 01 00000000 00000002"
                + "06 ffffff 000003 09 01000000 01000000 0102" + "c6 01000000 03"
                + "86 ffffff 01000001 0405" + "c6 01000001 06"
                + "c6 01000001 0708" + "c6 01000001 09"));
        List<RtmpMessage> ms = readAll(ch);
        assertEquals(4, ms.size());
        assertEquals(0x01000000L, ms.get(1).timestamp());
        assertArrayEquals(new byte[]{1, 2, 3}, ByteBufUtil.getBytes(ms.get(1).payload()));
        assertEquals(0x02000001L, ms.get(2).timestamp());
        assertArrayEquals(new byte[]{4, 5, 6}, ByteBufUtil.getBytes(ms.get(2).payload()));
        assertEquals(0x03000002L, ms.get(3).timestamp());
        assertArrayEquals(new byte[]{7, 8, 9}, ByteBufUtil.getBytes(ms.get(3).payload()));
        ms.forEach(RtmpMessage::release);
        ch.finish();
        alloc.assertAllReleased();
    }

    @Test
    void continuationChunkWithoutItsExtendedTimestampIsTolerated() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        ch.writeInbound(hex("02 000000 000004 01 00000000 00000002"
                + "06 ffffff 000004 09 01000000 01000000 0102" + "c6 0304" + "02 000000 000000 05 00000000"));
        List<RtmpMessage> ms = readAll(ch);
        assertEquals(3, ms.size());
        assertArrayEquals(new byte[]{1, 2, 3, 4}, ByteBufUtil.getBytes(ms.get(1).payload()));
        ms.forEach(RtmpMessage::release);
        ch.finish();
        alloc.assertAllReleased();
    }

    @Test
    void timestampsWrapAt32Bits() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        ch.writeInbound(hex("04 ffffff 000000 08 01000000 fffffff0" + "84 000020"));
        List<RtmpMessage> ms = readAll(ch);
        assertEquals(List.of(0xFFFFFFF0L, 0x10L), ms.stream().map(RtmpMessage::timestamp).toList());
        ms.forEach(RtmpMessage::release);
        ch.finish();
    }

    @Test
    void basicHeaderForms() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        ch.writeInbound(hex("00 00 000000 000000 08 00000000" + "00 ff 000000 000000 08 00000000"
                + "01 00 01 000000 000000 08 00000000" + "01 ff ff 000000 000000 08 00000000"));
        assertEquals(List.of(64, 319, 320, 65599), readAll(ch).stream().map(RtmpMessage::chunkStreamId).toList());
        ch.finish();
    }

    @Test
    void setChunkSizeIsAppliedAndPassedOn() {
        RtmpChunkDecoder decoder = new RtmpChunkDecoder();
        EmbeddedChannel ch = channel(decoder);
        ch.writeInbound(hex("02 000000 000004 01 00000000 00001000"));
        RtmpMessage m = ch.readInbound();
        assertEquals(RtmpMessage.SET_CHUNK_SIZE, m.typeId());
        assertEquals(4096, RtmpMessage.readSetChunkSize(m.payload()));
        assertEquals(4096, decoder.chunkSize());
        assertEquals(16, decoder.bytesReceived());
        m.release();
        ch.finish();
    }

    @Test
    void invalidChunkSizesAreRejected() {
        for (String size : new String[]{"00000000", "80000000", "ffffffff"}) {
            EmbeddedChannel ch = channel(new RtmpChunkDecoder());
            CodecException e = codecError(() -> ch.writeInbound(hex("02 000000 000004 01 00000000" + size)));
            assertTrue(e.getMessage().startsWith("invalid RTMP chunk size"), e.getMessage());
            ch.finishAndReleaseAll();
        }
        alloc.assertAllReleased();
    }

    @Test
    void abortDropsThePartialMessage() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        ByteBuf in = hex("03 000000 000100 14 00000000");
        in.writeZero(128);
        ch.writeInbound(in);
        assertNull(ch.readInbound());
        ch.writeInbound(hex("02 000000 000004 02 00000000 00000003" + "03 000000 000001 14 00000000 7f"));
        List<RtmpMessage> ms = readAll(ch);
        assertEquals(2, ms.size());
        assertEquals(RtmpMessage.ABORT, ms.get(0).typeId());
        assertEquals(3, RtmpMessage.readAbort(ms.get(0).payload()));
        assertArrayEquals(new byte[]{0x7f}, ByteBufUtil.getBytes(ms.get(1).payload()));
        ms.forEach(RtmpMessage::release);
        ch.finish();
        alloc.assertAllReleased();
    }

    @Test
    void absurdLengthIsRejectedBeforeAnyAllocation() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        CodecException e = codecError(() -> ch.writeInbound(hex("03 000000 ffffff 09 01000000")));
        assertEquals("RTMP message of 16777215 bytes exceeds the limit of 8388608", e.getMessage());
        assertTrue(alloc.largestCapacity() < 1024, "largest allocation " + alloc.largestCapacity());
        // Everything after the error is discarded.
        ch.writeInbound(hex("03 000000 000001 09 01000000 00"));
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    @Test
    void configurableLimits() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder(1000, 2));
        assertEquals("RTMP message of 1001 bytes exceeds the limit of 1000",
                codecError(() -> ch.writeInbound(hex("03 000000 0003e9 09 01000000"))).getMessage());
        ch.finishAndReleaseAll();

        EmbeddedChannel ch2 = channel(new RtmpChunkDecoder(1000, 2));
        ch2.writeInbound(hex("03 000000 000000 09 01000000" + "04 000000 000000 09 01000000"));
        assertEquals("RTMP peer uses more than 2 chunk streams",
                codecError(() -> ch2.writeInbound(hex("05 000000 000000 09 01000000"))).getMessage());
        ch2.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    @Test
    void headersThatNeedAPreviousOneAreRejectedOnAFreshChunkStream() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        assertEquals("RTMP chunk stream 3 begins with a type 2 header",
                codecError(() -> ch.writeInbound(hex("83 000000"))).getMessage());
        ch.finishAndReleaseAll();
        // librtmp starts a ping's chunk stream with a type 1 header: accepted.
        EmbeddedChannel ch2 = channel(new RtmpChunkDecoder());
        ch2.writeInbound(hex("42 000000 000006 04 0006 00000001"));
        RtmpMessage ping = ch2.readInbound();
        assertEquals(RtmpMessage.EVENT_PING_REQUEST, RtmpMessage.readUserControlEventType(ping.payload()));
        ping.release();
        ch2.finish();
    }

    @Test
    void newHeaderInTheMiddleOfAMessageIsRejected() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        ByteBuf in = hex("03 000000 000100 14 00000000");
        in.writeZero(128);
        ch.writeInbound(in);
        codecError(() -> ch.writeInbound(hex("03 000000 000001 14 00000000 00")));
        ch.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    @Test
    void partialMessagesAreReleasedWhenTheChannelCloses() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        ch.writeInbound(hex("02 000000 000004 01 00000000 00010000"));
        ((RtmpMessage) ch.readInbound()).release();
        ByteBuf in = hex("06 000000 030000 09 01000000"); // 196608 bytes: a composite of 64 KiB segments
        in.writeZero(65536).writeByte(0xC6).writeZero(1000);
        ch.writeInbound(in);
        ch.writeInbound(hex("04 000000 000100 08 01000000 0102"));
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
        alloc.assertAllReleased();
    }

    @Test
    void largeMessagesArriveWhole() {
        EmbeddedChannel ch = channel(new RtmpChunkDecoder());
        byte[] payload = new byte[200_000];
        new Random(2).nextBytes(payload);
        ByteBuf in = hex("02 000000 000004 01 00000000 00010000" + "06 000000 030d40 09 01000000");
        for (int off = 0; off < payload.length; off += 65536) {
            if (off > 0) {
                in.writeByte(0xC6);
            }
            in.writeBytes(payload, off, Math.min(65536, payload.length - off));
        }
        ch.writeInbound(in);
        ((RtmpMessage) ch.readInbound()).release();
        RtmpMessage m = ch.readInbound();
        assertArrayEquals(payload, ByteBufUtil.getBytes(m.payload()));
        m.release();
        ch.finish();
        alloc.assertAllReleased();
    }

    /** Random bytes, or a valid chunk stream with a few bytes mutated. */
    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> mutated = Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(HexFormat.of().parseHex("020000000000040100000000000000" + "10"));
            for (int i = r.nextInt(6); i > 0; i--) {
                int length = r.nextInt(300);
                out.writeBytes(HexFormat.of().parseHex(String.format("%02x%06x%06x%02x01000000", 3 + r.nextInt(5),
                        r.nextInt(1 << 24), length, r.nextInt(23))));
                for (int off = 0; off < length; off += 16) {
                    if (off > 0) {
                        out.write(0xC3 + r.nextInt(5));
                    }
                    byte[] b = new byte[Math.min(16, length - off)];
                    r.nextBytes(b);
                    out.writeBytes(b);
                }
            }
            byte[] bytes = out.toByteArray();
            for (int i = r.nextInt(4); i > 0; i--) {
                bytes[r.nextInt(bytes.length)] = (byte) r.nextInt();
            }
            return bytes;
        });
        return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(2, mutated));
    }

    @Property(tries = 500)
    void garbageFailsOnlyWithCodecExceptionsAndLeaksNothing(@ForAll("garbage") byte[] bytes, @ForAll long seed) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkDecoder());
        ch.config().setAllocator(alloc);
        Random random = new Random(seed);
        boolean failed = false;
        int messages = 0;
        int offset = 0;
        while (offset < bytes.length) {
            int n = Math.min(bytes.length - offset, 1 + random.nextInt(200));
            ByteBuf piece = alloc.buffer(n).writeBytes(bytes, offset, n);
            offset += n;
            try {
                ch.writeInbound(piece);
            } catch (DecoderException e) {
                assertInstanceOf(CodecException.class, e.getCause());
                failed = true;
            }
            for (Object m; (m = ch.readInbound()) != null;) {
                ((RtmpMessage) m).release();
                messages++;
            }
        }
        Statistics.label("outcome").collect(failed ? "codec error" : "no error",
                messages == 0 ? "no message" : "messages");
        ch.finishAndReleaseAll();
        alloc.assertAllReleased();
        assertTrue(alloc.largestCapacity() <= 65536 + 2 * bytes.length,
                "allocated " + alloc.largestCapacity() + " for " + bytes.length + " input bytes");
    }
}
