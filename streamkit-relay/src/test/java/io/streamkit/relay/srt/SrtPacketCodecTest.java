package io.streamkit.relay.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.streamkit.api.CodecException;
import io.streamkit.relay.srt.SrtControlPacket.Ack;
import io.streamkit.relay.srt.SrtControlPacket.AckKind;
import io.streamkit.relay.srt.SrtControlPacket.KeepAlive;
import io.streamkit.relay.srt.SrtHandshakeExtension.HsMessage;
import io.streamkit.relay.srt.SrtHandshakeExtension.StreamId;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known-answer layouts and the decoder's specific errors for malformed packets. */
class SrtPacketCodecTest {
    private static final String HANDSHAKE_HEADER = "80000000" + "00000000" + "0000abcd" + "00000000";
    private static final String CIF_IPV4_LOOPBACK = "0100007f" + "00000000" + "00000000" + "00000000";

    private static SrtPacket decodeHex(String hex) {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        try {
            return SrtPacketCodec.decode(buf);
        } finally {
            buf.release();
        }
    }

    private static String encodeHex(SrtPacket packet) {
        ByteBuf buf = SrtPacketCodec.encode(UnpooledByteBufAllocator.DEFAULT, packet);
        try {
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    private static void assertRejected(String hex, String messagePart) {
        CodecException e = assertThrows(CodecException.class, () -> decodeHex(hex));
        assertTrue(e.getMessage().contains(messagePart), () -> "message was: " + e.getMessage());
    }

    @Test
    void inductionRequestAsLibsrtSendsIt() {
        String hex = HANDSHAKE_HEADER
                + "00000004" // version 4
                + "0000" + "0002" // encryption 0, extension field 2 (UDT_DGRAM)
                + "1234abcd" // initial sequence number
                + "000005dc" // MTU 1500
                + "00002000" // flow window 8192
                + "00000001" // INDUCTION
                + "2a0b0c0d" // socket id
                + "00000000" // SYN cookie
                + CIF_IPV4_LOOPBACK;
        SrtHandshake hs = assertInstanceOf(SrtHandshake.class, decodeHex(hex));
        assertEquals(4, hs.version());
        assertEquals(0, hs.encryptionField());
        assertEquals(SrtHandshake.UDT_DGRAM, hs.extensionField());
        assertEquals(0x1234abcd, hs.initialSequenceNumber());
        assertEquals(1500, hs.mtu());
        assertEquals(8192, hs.flowWindow());
        assertEquals(SrtHandshake.INDUCTION, hs.handshakeType());
        assertEquals(0x2a0b0c0d, hs.socketId());
        assertEquals(0, hs.synCookie());
        assertEquals(0xabcd, hs.timestamp());
        assertEquals(0, hs.destinationSocketId());
        assertEquals(InetAddress.getLoopbackAddress(), hs.peerAddress());
        assertEquals(List.of(), hs.extensions());
        assertFalse(hs.isRejection());
        assertEquals(hex, encodeHex(hs));
    }

    @Test
    void conclusionWithHsreqAndStreamId() {
        String hex = "80000000" + "00000000" + "00000010" + "2a0b0c0d"
                + "00000005" + "0002" + "0007" + "1234abcd" + "000005dc" + "00002000" + "ffffffff" + "11223344"
                + "cafebabe" + CIF_IPV4_LOOPBACK
                + "0001" + "0003" + "00010502" + "000000bf" + "00780064" // HSREQ: 1.5.2, flags, rcv 120 ms, snd 100 ms
                + "0005" + "0002" + "64636261" + "00006665"; // SID "abcdef", byte-reversed per 32-bit word
        SrtHandshake hs = assertInstanceOf(SrtHandshake.class, decodeHex(hex));
        assertEquals(SrtHandshake.CONCLUSION, hs.handshakeType());
        assertEquals(SrtHandshake.EXT_HSREQ | SrtHandshake.EXT_KMREQ | SrtHandshake.EXT_CONFIG, hs.extensionField());
        assertEquals(0xcafebabe, hs.synCookie());
        HsMessage hsreq = hs.extension(HsMessage.class).orElseThrow();
        assertEquals(new HsMessage(false, 0x010502, 0xbf, 120, 100), hsreq);
        assertTrue(hsreq.has(HsMessage.FLAG_TSBPDSND | HsMessage.FLAG_TSBPDRCV | HsMessage.FLAG_CRYPT
                | HsMessage.FLAG_TLPKTDROP | HsMessage.FLAG_PERIODICNAK | HsMessage.FLAG_REXMITFLG
                | HsMessage.FLAG_PACKET_FILTER));
        assertFalse(hsreq.has(HsMessage.FLAG_STREAM));
        assertEquals(new StreamId("abcdef"), hs.extension(StreamId.class).orElseThrow());
        assertEquals(hex, encodeHex(hs));
    }

    @Test
    void rejectionHandshakeType() {
        SrtHandshake hs = SrtHandshake.builder().handshakeType(SrtHandshake.rejection(1403)).build();
        assertTrue(hs.isRejection());
        assertEquals(1403, hs.rejectionReason().orElseThrow());
        assertFalse(SrtHandshake.builder().handshakeType(SrtHandshake.AGREEMENT).build().isRejection());
    }

    @Test
    void peerAddressesInLibsrtWordOrder() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        SrtHandshake hs = SrtHandshake.builder().peerAddress(v6).build();
        assertEquals(v6, hs.peerAddress());
        assertEquals("b80d0120000000000000000001000000", ByteBufUtil.hexDump(hs.peerIp()));
    }

    @Test
    void dataPacketHeaderLayout() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[]{1, 2, 3});
        SrtDataPacket packet = new SrtDataPacket(0x7fffffff, SrtPacketPosition.SOLO, true, SrtKeyFlag.ODD, true,
                0x3ffffff, 0x01020304, 0x0a0b0c0d, payload);
        try {
            // PP=11 O=1 KK=10 R=1 msg=all ones -> 0xF7FFFFFF
            assertEquals("7fffffff" + "f7ffffff" + "01020304" + "0a0b0c0d" + "010203", encodeHex(packet));
        } finally {
            packet.release();
        }
    }

    @Test
    void emptyControlPacketsArePaddedLikeLibsrt() {
        assertEquals("80010000" + "00000000" + "00000005" + "00000007" + "00000000", encodeHex(new KeepAlive(5, 7)));
        assertEquals(new KeepAlive(5, 7), decodeHex("80010000" + "00000000" + "00000005" + "00000007"));
    }

    @Test
    void ackLengthsSelectTheKind() {
        String header = "80020000" + "00000009" + "00000000" + "00000000";
        assertEquals(Ack.light(9, 0, 0, 100), decodeHex(header + "00000064"));
        Ack small = (Ack) decodeHex(header + "00000064" + "00000001" + "00000002" + "00000003");
        assertEquals(AckKind.SMALL, small.kind());
        Ack udt = (Ack) decodeHex(header + "00000064" + "00000001" + "00000002" + "00000003" + "00000004"
                + "00000005");
        assertEquals(new Ack(9, 0, 0, AckKind.FULL, 100, 1, 2, 3, 4, 5, 0), udt);
        assertRejected(header + "00000064" + "00000001", "expected 4, 16 or 28");
    }

    @Test
    void malformedPacketsAreSpecificCodecExceptions() {
        assertRejected("800000000000000000000000000000", "shorter than the 16-byte header");
        assertRejected("80090000" + "00000000" + "00000000" + "00000000", "unknown SRT control type 0x0009");
        assertRejected(HANDSHAKE_HEADER + "00000005".repeat(10), "shorter than 48");
        String cif = "00000005" + "00000000" + "00000001" + "000005dc" + "00002000" + "ffffffff" + "00000000"
                + "00000000" + CIF_IPV4_LOOPBACK;
        assertRejected(HANDSHAKE_HEADER + cif + "0005" + "0010" + "61626364", "declares 64 bytes but only 4 remain");
        assertRejected(HANDSHAKE_HEADER + cif + "0005" + "0081" + "61".repeat(516), "longer than 512");
        assertRejected(HANDSHAKE_HEADER + cif + "0005" + "0001" + "000028c3", "stream id is not valid UTF-8");
        assertRejected(HANDSHAKE_HEADER + cif + "0001" + "0002" + "0000000000000000", "HSREQ extension is 8 bytes");
        assertRejected(HANDSHAKE_HEADER + cif + "0003", "not an extension block");
        assertRejected(HANDSHAKE_HEADER + cif + "0003" + "0004" + "12202901" + "00000000" + "02000200" + "00000404",
                "expected 56");
        assertRejected(HANDSHAKE_HEADER + cif + "0003" + "0004" + "12202a01" + "00000000" + "02000200" + "00000404",
                "sign 0x202a");
        String nak = "80030000" + "00000000" + "00000000" + "00000000";
        assertRejected(nak + "80000010" + "00000005", "end 5 is before its start 16");
        assertRejected(nak + "80000010", "ends inside the range starting at 16");
        assertRejected(nak + "80000010" + "80000020", "ends with a range start");
        assertRejected(nak, "empty loss list");
        assertRejected(nak + "000000", "not a whole number of 32-bit words");
        assertRejected("00000001" + "18000000" + "00000000" + "00000000", "KK=11");
        assertRejected("80070000" + "00000000" + "00000000" + "00000000" + "00000001", "expected 8");
        assertRejected("80070000" + "00000000" + "00000000" + "00000000" + "80000001" + "00000002",
                "most significant bit");
    }

    @Test
    void decodedDataPayloadIsARetainedSliceOfTheDatagram() {
        ByteBuf datagram = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("00000001" + "80000001" + "00000000"
                + "00000000" + "deadbeef"));
        SrtDataPacket packet = (SrtDataPacket) SrtPacketCodec.decode(datagram);
        assertEquals(2, datagram.refCnt());
        assertEquals("deadbeef", ByteBufUtil.hexDump(packet.payload()));
        assertEquals(SrtPacketPosition.FIRST, packet.position());
        assertEquals(1, packet.messageNumber());
        datagram.release();
        assertEquals(1, packet.refCnt());
        assertTrue(packet.release());
    }
}
