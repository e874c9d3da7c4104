package io.streamkit.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
    /** Opus packet, marker set, one-byte extension block with an audio level (V=1, 5 dBov down). */
    static final String OPUS_WITH_AUDIO_LEVEL = "90ef1234" + "deadbeef" + "11223344" + "bede0001" + "10850000"
            + "41424344";

    /** CSRC, two-byte extensions (id 20 "hi", id 3 empty), payload 010203, 3 bytes of padding. */
    static final String TWO_BYTE_WITH_PADDING = "b160ffff" + "00000001" + "0a0b0c0d" + "01020304" + "10000002"
            + "14026869" + "03000000" + "010203" + "000003";

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final List<ByteBuf> toRelease = new ArrayList<>();

    @AfterEach
    void release() {
        toRelease.forEach(ByteBuf::release);
        alloc.assertAllReleased();
    }

    private ByteBuf hex(String hex) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex);
        ByteBuf buf = alloc.buffer(bytes.length);
        buf.writeBytes(bytes);
        toRelease.add(buf);
        return buf;
    }

    @Test
    void parsesOneByteExtensionPacketByteExactly() {
        RtpPacket p = RtpPacket.parse(hex(OPUS_WITH_AUDIO_LEVEL));
        assertTrue(p.marker());
        assertEquals(111, p.payloadType());
        assertEquals(0x1234, p.sequenceNumber());
        assertEquals(0xDEADBEEFL, p.timestamp());
        assertEquals(0x11223344L, p.ssrc());
        assertEquals(0, p.csrcCount());
        assertFalse(p.hasPadding());
        assertEquals(RtpPacket.ExtensionForm.ONE_BYTE, p.extensionForm());
        assertEquals(0xBEDE, p.extensionProfile());
        assertEquals(20, p.headerLength());
        assertEquals(4, p.payloadLength());
        assertEquals("ABCD", p.payload().toString(StandardCharsets.US_ASCII));
        assertEquals(new RtpHeaderExtensions.AudioLevel(true, 5), RtpHeaderExtensions.audioLevel(p, 1));
        assertNull(RtpHeaderExtensions.audioLevel(p, 2));
    }

    @Test
    void parsesTwoByteExtensionsCsrcAndPadding() {
        RtpPacket p = RtpPacket.parse(hex(TWO_BYTE_WITH_PADDING));
        assertFalse(p.marker());
        assertEquals(96, p.payloadType());
        assertEquals(0xFFFF, p.sequenceNumber());
        assertEquals(1, p.csrcCount());
        assertEquals(0x01020304L, p.csrc(0));
        assertEquals(RtpPacket.ExtensionForm.TWO_BYTE, p.extensionForm());
        assertEquals("hi", RtpHeaderExtensions.rtpStreamId(p, 20));
        assertEquals(0, p.extension(3).readableBytes());
        assertEquals(3, p.paddingLength());
        assertEquals(3, p.payloadLength());
        assertEquals("010203", ByteBufUtil.hexDump(p.payload()));
        List<Integer> ids = new ArrayList<>();
        p.forEachExtension((id, b, index, length) -> ids.add(id));
        assertEquals(List.of(20, 3), ids);
    }

    @Test
    void settersRewriteTheHeaderInPlace() {
        ByteBuf buf = hex(OPUS_WITH_AUDIO_LEVEL);
        RtpPacket p = RtpPacket.parse(buf);
        p.setSsrc(0xCAFEBABEL);
        p.setPayloadType(100);
        p.setSequenceNumber(0x10001); // only the low 16 bits
        p.setTimestamp(0x1_0000_0002L);
        p.setMarker(false);
        assertEquals("90640001" + "00000002" + "cafebabe" + "bede0001" + "10850000" + "41424344",
                ByteBufUtil.hexDump(buf));
    }

    @Test
    void rewritesExtensionIdsInPlaceAndBlanksDroppedOnes() {
        ByteBuf buf = hex(TWO_BYTE_WITH_PADDING);
        RtpPacket p = RtpPacket.parse(buf);
        assertEquals(1, p.rewriteExtensionIds(id -> id == 20 ? 7 : 0));
        RtpPacket again = RtpPacket.parse(buf);
        assertEquals("hi", RtpHeaderExtensions.rtpStreamId(again, 7));
        assertNull(again.extension(3));
        assertNull(again.extension(20));
        assertEquals(34, again.length());

        RtpPacket one = RtpPacket.parse(hex(OPUS_WITH_AUDIO_LEVEL));
        assertThrows(IllegalArgumentException.class, () -> one.rewriteExtensionIds(id -> 15));
        one.rewriteExtensionIds(id -> 9);
        assertEquals(new RtpHeaderExtensions.AudioLevel(true, 5), RtpHeaderExtensions.audioLevel(one, 9));
    }

    @Test
    void copyWithExtensionsCompactsToTheOneByteFormOrDropsTheBlock() {
        RtpPacket p = RtpPacket.parse(hex(TWO_BYTE_WITH_PADDING));
        ByteBuf kept = p.copyWithExtensions(alloc, id -> id == 20 ? 4 : 0);
        try {
            // one-byte form now: 0x41 = id 4, length 2
            assertEquals("b160ffff" + "00000001" + "0a0b0c0d" + "01020304" + "bede0001" + "41686900" + "010203"
                    + "000003", ByteBufUtil.hexDump(kept));
        } finally {
            kept.release();
        }
        ByteBuf none = p.copyWithExtensions(alloc, id -> 0);
        try {
            assertEquals("a160ffff" + "00000001" + "0a0b0c0d" + "01020304" + "010203" + "000003",
                    ByteBufUtil.hexDump(none));
            assertFalse(RtpPacket.parse(none).hasExtension());
        } finally {
            none.release();
        }
        ByteBuf twoByte = p.copyWithExtensions(alloc, id -> id); // id 20 does not fit one byte, id 3 is empty
        try {
            RtpPacket q = RtpPacket.parse(twoByte);
            assertEquals(RtpPacket.ExtensionForm.TWO_BYTE, q.extensionForm());
            assertEquals("hi", RtpHeaderExtensions.mid(q, 20));
        } finally {
            twoByte.release();
        }
    }

    @Test
    void stopsAtTheReservedId15() {
        // element id 15 ends processing: id 2 after it is not seen
        RtpPacket p = RtpPacket.parse(hex("90000001" + "00000000" + "00000001" + "bede0001" + "f0210000"));
        assertNull(p.extension(2));
    }

    @Test
    void readsAbsSendTimeAndTransportSequenceNumber() {
        ByteBuf buf = RtpPacket.builder().payloadType(96).ssrc(1)
                .extension(3, RtpHeaderExtensions.absSendTimeData(0x40000)) // 1.0 s in 6.18
                .extension(5, RtpHeaderExtensions.transportSequenceNumberData(0xBEEF)).build(alloc);
        toRelease.add(buf);
        RtpPacket p = RtpPacket.parse(buf);
        assertEquals(0x40000, RtpHeaderExtensions.absSendTime(p, 3));
        assertEquals(1_000_000_000L, RtpHeaderExtensions.absSendTimeToNanos(0x40000));
        assertEquals(0x40000, RtpHeaderExtensions.absSendTimeFromNanos(65_000_000_000L));
        assertEquals(0xBEEF, RtpHeaderExtensions.transportSequenceNumber(p, 5));
        assertTrue(RtpHeaderExtensions.setTransportSequenceNumber(p, 5, 7));
        assertEquals(7, RtpHeaderExtensions.transportSequenceNumber(p, 5));
        assertEquals(-1, RtpHeaderExtensions.transportSequenceNumber(p, 6));
    }

    @Test
    void rejectsMalformedPacketsWithPreciseReasons() {
        assertMessage("shorter than the 12-byte fixed header", "80000001");
        assertMessage("RTP version 1, expected 2", "40000001" + "00000000" + "00000000");
        assertMessage("CSRC count 2", "82000001" + "00000000" + "00000000" + "00000001");
        assertMessage("ends before the 4-byte extension header", "90000001" + "00000000" + "00000000");
        assertMessage("runs past the end", "90000001" + "00000000" + "00000000" + "bede0002" + "10000000");
        assertMessage("padding count (last byte) is 0", "a0000001" + "00000000" + "00000000" + "00");
        assertMessage("padding count 9 exceeds", "a0000001" + "00000000" + "00000000" + "000009");
        assertMessage("one-byte extension element id 1 of 4 bytes", "90000001" + "00000000" + "00000000"
                + "bede0001" + "13000000");
        assertMessage("two-byte extension element id 1 of 9 bytes", "90000001" + "00000000" + "00000000"
                + "10000001" + "01090000");
        assertMessage("rtp-stream-id element (id 1) holds byte 0x7", "90000001" + "00000000" + "00000000"
                + "bede0001" + "11610700", p -> RtpHeaderExtensions.rtpStreamId(p, 1));
    }

    private void assertMessage(String expected, String hex) {
        assertMessage(expected, hex, p -> p);
    }

    private void assertMessage(String expected, String hex, java.util.function.Function<RtpPacket, Object> use) {
        ByteBuf buf = hex(hex);
        RtpException e = assertThrows(RtpException.class, () -> use.apply(RtpPacket.parse(buf)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void builderWritesWhatParseReads() {
        ByteBuf buf = RtpPacket.builder().marker(true).payloadType(111).sequenceNumber(0x1234).timestamp(0xDEADBEEFL)
                .ssrc(0x11223344L).extension(1, RtpHeaderExtensions.audioLevelData(
                        new RtpHeaderExtensions.AudioLevel(true, 5)))
                .payload("ABCD".getBytes(StandardCharsets.US_ASCII)).build(alloc);
        toRelease.add(buf);
        assertEquals(OPUS_WITH_AUDIO_LEVEL, ByteBufUtil.hexDump(buf));
        assertArrayEquals(ByteBufUtil.decodeHexDump(OPUS_WITH_AUDIO_LEVEL), ByteBufUtil.getBytes(buf));
    }

    @Test
    void parsesAPacketInsideALargerBufferAtAnOffset() {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeZero(5);
            buf.writeBytes(ByteBufUtil.decodeHexDump(OPUS_WITH_AUDIO_LEVEL));
            buf.writeZero(3);
            RtpPacket p = RtpPacket.parse(buf, 5, 24);
            assertEquals(0x1234, p.sequenceNumber());
            assertEquals(new RtpHeaderExtensions.AudioLevel(true, 5), RtpHeaderExtensions.audioLevel(p, 1));
            assertEquals(25, p.payloadOffset());
        } finally {
            buf.release();
        }
    }
}
