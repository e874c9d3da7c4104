package io.streamkit.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known-answer tests: packets laid out by hand from the figures of the RFCs and drafts. */
class RtcpTest {
    // RFC 3550 §6.4.1: SR, one report block (fraction 10/256, cumulative lost -1)
    static final String SR = "81c8000c" + "11223344" + "e12d9a4c80000000" + "0001e240" + "00000064" + "00003a98"
            + "55667788" + "0affffff" + "00010005" + "00000020" + "12345678" + "00018000";
    // RFC 3550 §6.4.2: RR, no blocks
    static final String RR = "80c90001" + "55667788";
    // RFC 3550 §6.5: SDES, one chunk with CNAME "abcd", null-terminated and padded
    static final String SDES = "81ca0003" + "11223344" + "0104616263640000";
    // RFC 3550 §6.6: BYE, one source, reason "bye"
    static final String BYE = "81cb0002" + "11223344" + "03627965";
    // RFC 4585 §6.3.1: PLI
    static final String PLI = "81ce0002" + "55667788" + "11223344";
    // RFC 4585 §6.2.1: NACK, PID 10 BLP 0x8001 = 10, 11, 26
    static final String NACK = "81cd0003" + "55667788" + "11223344" + "000a8001";
    // RFC 5104 §4.3.1.1: FIR, media SSRC 0, one entry with command sequence number 7
    static final String FIR = "84ce0004" + "55667788" + "00000000" + "11223344" + "07000000";
    // draft-alvestrand-rmcat-remb §2.2: 1,000,000 bit/s = 250000 << 2, one SSRC
    static final String REMB = "8fce0005" + "55667788" + "00000000" + "52454d42" + "010bd090" + "11223344";
    // draft-holmer transport-cc §3.1: base 100, 3 statuses in one 2-bit vector (small, lost, large),
    // reference time 1, feedback count 0, deltas 4 and -16, 3 bytes of zero padding
    static final String TCC = "8fcd0006" + "55667788" + "11223344" + "00640003" + "00000100" + "d20004ff" + "f0000000";

    private static List<RtcpPacket> parse(String hex) {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        try {
            return RtcpCompound.parse(buf);
        } finally {
            buf.release();
        }
    }

    private static String write(RtcpPacket... packets) {
        ByteBuf buf = Unpooled.buffer();
        try {
            RtcpCompound.write(List.of(packets), buf);
            assertEquals(RtcpCompound.encodedLength(List.of(packets)), buf.readableBytes());
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    private static RtcpPacket single(String hex) {
        List<RtcpPacket> packets = parse(hex);
        assertEquals(1, packets.size());
        assertEquals(hex, write(packets.get(0)), "writing the parsed packet gives the same bytes");
        return packets.get(0);
    }

    @Test
    void senderReport() {
        SenderReport sr = assertInstanceOf(SenderReport.class, single(SR));
        assertEquals(0x11223344L, sr.ssrc());
        assertEquals(new SenderInfo(0xe12d9a4c80000000L, 123456, 100, 15000), sr.senderInfo());
        assertEquals(List.of(new ReportBlock(0x55667788L, 10, -1, 0x10005, 32, 0x12345678L, 0x18000)),
                sr.reportBlocks());
    }

    @Test
    void receiverReportSdesAndByeInOneCompound() {
        List<RtcpPacket> packets = parse(RR + SDES + BYE);
        assertEquals(List.of(new ReceiverReport(0x55667788L, List.of()), SourceDescription.cname(0x11223344L, "abcd"),
                new Goodbye(List.of(0x11223344L), "bye")), packets);
        assertEquals("abcd", ((SourceDescription) packets.get(1)).cnameOf(0x11223344L));
        assertEquals(RR + SDES + BYE, write(packets.toArray(new RtcpPacket[0])));
    }

    @Test
    void feedbackMessages() {
        assertEquals(new PictureLossIndication(0x55667788L, 0x11223344L), single(PLI));
        GenericNack nack = assertInstanceOf(GenericNack.class, single(NACK));
        assertArrayEquals(new int[]{10, 11, 26}, nack.sequenceNumbers());
        assertEquals(nack, GenericNack.of(0x55667788L, 0x11223344L, 10, 11, 26));
        assertEquals(FullIntraRequest.of(0x55667788L, 0x11223344L, 7), single(FIR));
        Remb remb = assertInstanceOf(Remb.class, single(REMB));
        assertEquals(1_000_000, remb.bitrate());
        assertEquals(List.of(0x11223344L), remb.ssrcs());
    }

    @Test
    void transportCcStatusVectorAndDeltas() {
        TransportCcFeedback tcc = assertInstanceOf(TransportCcFeedback.class, single(TCC));
        assertEquals(100, tcc.baseSequenceNumber());
        assertEquals(3, tcc.packetStatusCount());
        assertEquals(TransportCcFeedback.SMALL_DELTA, tcc.status(0));
        assertEquals(TransportCcFeedback.NOT_RECEIVED, tcc.status(1));
        assertEquals(TransportCcFeedback.LARGE_DELTA, tcc.status(2));
        assertArrayEquals(new int[]{4, -16}, tcc.receiveDeltas());
        assertEquals(1, tcc.referenceTime());
    }

    @Test
    void transportCcRunLengthAndOneBitChunks() {
        // 16 statuses: a run of 2 "not received", then a 1-bit vector of 14 "received"
        String hex = "8fcd0009" + "55667788" + "11223344" + "00000010" + "fffffe05" + "0002bfff"
                + "0102030405060708090a0b0c0d0e" + "0000";
        TransportCcFeedback tcc = (TransportCcFeedback) parse(hex).get(0);
        assertEquals(16, tcc.packetStatusCount());
        assertEquals(-2, tcc.referenceTime());
        assertEquals(5, tcc.feedbackPacketCount());
        assertEquals(TransportCcFeedback.NOT_RECEIVED, tcc.status(1));
        assertEquals(TransportCcFeedback.SMALL_DELTA, tcc.status(2));
        assertArrayEquals(new int[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, tcc.receiveDeltas());
        // written back as 2-bit vectors, it still reads the same
        assertEquals(tcc, parse(write(tcc)).get(0));
    }

    @Test
    void reducedSizeIsAcceptedUnlessStrict() {
        assertEquals(1, parse(PLI).size());
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(PLI));
        try {
            RtcpException e = assertThrows(RtcpException.class, () -> RtcpCompound.parse(buf, true));
            assertTrue(e.getMessage().contains("starts with packet type 206"), e.getMessage());
        } finally {
            buf.release();
        }
    }

    @Test
    void paddingOnTheLastPacketOnly() {
        // RR with the padding bit and 4 padding bytes (count 4 in the last byte)
        List<RtcpPacket> padded = parse(SR + "a0c90002" + "55667788" + "00000004");
        assertEquals(new ReceiverReport(0x55667788L, List.of()), padded.get(1));
        assertMessage("has the padding bit but is not the last packet", "a0c90002" + "55667788" + "00000004" + RR);
        assertMessage("padding count 0", "a0c90001" + "55667700");
    }

    @Test
    void unknownTypesAreKeptAsBytes() {
        // APP packet, subtype 3, name "test", 4 bytes of data
        RtcpPacket app = single("83cc0003" + "11223344" + "74657374" + "01020304");
        assertEquals(new UnknownRtcpPacket(204, 3, ByteBufUtil.decodeHexDump("11223344" + "7465737401020304")), app);
    }

    @Test
    void rejectsMalformedCompounds() {
        assertMessage("shorter than a 4-byte header", "80c9");
        assertMessage("version 3", "c0c90001" + "55667788");
        assertMessage("length 12 exceeds the 8 bytes left", "80c90002" + "55667788");
        assertMessage("2 trailing bytes", RR + "8000");
        assertMessage("report count 1 needs 28 bytes", "81c90001" + "55667788");
        assertMessage("report count 1 needs 48 bytes", "81c80006" + "11223344" + "e12d9a4c80000000" + "0001e240"
                + "00000064" + "00003a98");
        assertMessage("ends without its null item", "81ca0002" + "11223344" + "01026162");
        assertMessage("not valid UTF-8", "81ca0002" + "11223344" + "0101ff00");
        assertMessage("reason of 9 bytes runs past", "81cb0002" + "11223344" + "09627965");
        assertMessage("cannot hold the sender and media SSRCs", "81ce0001" + "55667788");
        assertMessage("no feedback control information", "81cd0002" + "55667788" + "11223344");
        assertMessage("expected a positive multiple of 8", "84ce0003" + "55667788" + "00000000" + "11223344");
        assertMessage("source count 2 needs 24 bytes", "8fce0004" + "55667788" + "00000000" + "52454d42" + "020bd090");
        assertMessage("reserved packet status symbol 3", "8fcd0005" + "55667788" + "11223344" + "00640001"
                + "00000100" + "60010000");
        // two large deltas announced, room for one
        assertMessage("receive deltas end after 1 of 2", "8fcd0005" + "55667788" + "11223344" + "00640002"
                + "00000100" + "e800" + "0000");
    }

    private static void assertMessage(String expected, String hex) {
        RtcpException e = assertThrows(RtcpException.class, () -> parse(hex));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void nackCompressionAcrossTheWrap() {
        List<GenericNack.Item> items = GenericNack.compress(65534, 65535, 0, 15, 16, 40);
        assertEquals(List.of(new GenericNack.Item(65534, 0b11), new GenericNack.Item(15, 1),
                new GenericNack.Item(40, 0)), items);
        assertArrayEquals(new int[]{65534, 65535, 0, 15, 16, 40}, GenericNack.expand(items));
    }

    @Test
    void ntpConversions() {
        long ntp = NtpTime.fromUnixNanos(1_500_000_000L); // 1.5 s after 1970
        assertEquals((NtpTime.UNIX_EPOCH_OFFSET_SECONDS + 1) << 32 | 0x80000000L, ntp);
        assertEquals(1_500_000_000L, NtpTime.toUnixNanos(ntp));
        assertEquals(0x00018000L, NtpTime.compact(0x0000_0001_8000_0000L));
        assertEquals(0x18000L, NtpTime.nanosToCompact(1_500_000_000L));
        assertEquals(1_500_000_000L, NtpTime.compactToNanos(0x18000L));
    }
}
