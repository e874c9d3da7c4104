package io.streamkit.relay.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.streamkit.api.CodecException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Control message factories and parsers of {@link RtmpMessage}, and its reference counting. */
class RtmpMessageTest {

    private final TrackingAllocator alloc = new TrackingAllocator();

    private String check(RtmpMessage m, int type, Function<RtmpMessage, Object> parse, Object parsed) {
        try {
            assertEquals(RtmpMessage.CSID_PROTOCOL_CONTROL, m.chunkStreamId());
            assertEquals(0, m.messageStreamId());
            assertEquals(0, m.timestamp());
            assertEquals(type, m.typeId());
            assertEquals(parsed, parse.apply(m));
            return ByteBufUtil.hexDump(m.payload());
        } finally {
            m.release();
        }
    }

    @Test
    void protocolControlMessages() {
        assertEquals("00001000", check(RtmpMessage.setChunkSize(alloc, 4096), RtmpMessage.SET_CHUNK_SIZE,
                m -> RtmpMessage.readSetChunkSize(m.payload()), 4096));
        assertEquals("00000006", check(RtmpMessage.abort(alloc, 6), RtmpMessage.ABORT,
                m -> RtmpMessage.readAbort(m.payload()), 6));
        assertEquals("fffffffe", check(RtmpMessage.acknowledgement(alloc, 0xFFFFFFFEL), RtmpMessage.ACK,
                m -> RtmpMessage.readAcknowledgement(m.payload()), 0xFFFFFFFEL));
        assertEquals("002625a0", check(RtmpMessage.windowAckSize(alloc, 2_500_000), RtmpMessage.WINDOW_ACK_SIZE,
                m -> RtmpMessage.readWindowAckSize(m.payload()), 2_500_000L));
        assertEquals("002625a002", check(RtmpMessage.setPeerBandwidth(alloc, 2_500_000, RtmpMessage.LIMIT_DYNAMIC),
                RtmpMessage.SET_PEER_BANDWIDTH, m -> RtmpMessage.readPeerBandwidthWindow(m.payload()) + "/"
                        + RtmpMessage.readPeerBandwidthLimitType(m.payload()),
                "2500000/2"));
        alloc.assertAllReleased();
    }

    @Test
    void userControlMessages() {
        Function<RtmpMessage, Object> event = m -> RtmpMessage.readUserControlEventType(m.payload()) + "/"
                + RtmpMessage.readUserControlValue(m.payload());
        int u = RtmpMessage.USER_CONTROL;
        assertEquals("000000000001", check(RtmpMessage.streamBegin(alloc, 1), u, event, "0/1"));
        assertEquals("000100000001", check(RtmpMessage.streamEof(alloc, 1), u, event, "1/1"));
        assertEquals("000200000001", check(RtmpMessage.streamDry(alloc, 1), u, event, "2/1"));
        assertEquals("000400000001", check(RtmpMessage.streamIsRecorded(alloc, 1), u, event, "4/1"));
        assertEquals("0006ffffffff", check(RtmpMessage.pingRequest(alloc, 0xFFFFFFFFL), u, event, "6/4294967295"));
        assertEquals("000700000064", check(RtmpMessage.pingResponse(alloc, 100), u, event, "7/100"));
        assertEquals("00030000000100000bb8", check(RtmpMessage.setBufferLength(alloc, 1, 3000), u,
                m -> event.apply(m) + "/" + RtmpMessage.readBufferLength(m.payload()), "3/1/3000"));
        alloc.assertAllReleased();
    }

    @Test
    void shortOrInvalidPayloadsAreCodecErrors() {
        var two = alloc.buffer(2).writeShort(1);
        assertThrows(CodecException.class, () -> RtmpMessage.readSetChunkSize(two));
        assertThrows(CodecException.class, () -> RtmpMessage.readUserControlValue(two));
        assertThrows(CodecException.class, () -> RtmpMessage.readPeerBandwidthLimitType(two));
        two.release();
        var negative = alloc.buffer(4).writeInt(0x80000000);
        assertEquals("invalid RTMP chunk size 2147483648 (must be 1..2147483647)",
                assertThrows(CodecException.class, () -> RtmpMessage.readSetChunkSize(negative)).getMessage());
        negative.release();
        alloc.assertAllReleased();
    }

    @Test
    void argumentsAreChecked() {
        var buf = alloc.buffer(1);
        assertThrows(IllegalArgumentException.class, () -> new RtmpMessage(1, 8, 0, 0, buf));
        assertThrows(IllegalArgumentException.class, () -> new RtmpMessage(65600, 8, 0, 0, buf));
        assertThrows(IllegalArgumentException.class, () -> new RtmpMessage(3, 256, 0, 0, buf));
        assertThrows(IllegalArgumentException.class, () -> RtmpMessage.setChunkSize(alloc, 0));
        assertThrows(IllegalArgumentException.class, () -> RtmpMessage.windowAckSize(alloc, 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> RtmpMessage.setPeerBandwidth(alloc, 1, 3));
        assertEquals(0xFFFFFFFFL, new RtmpMessage(3, 8, 0, -1, buf).timestamp());
        buf.release();
        alloc.assertAllReleased();
    }

    @Test
    void referenceCountingDelegatesToThePayload() {
        var payload = alloc.buffer(1).writeByte(1);
        RtmpMessage m = new RtmpMessage(4, RtmpMessage.AUDIO, 1, 0, payload);
        assertSame(m, m.retain());
        assertEquals(2, payload.refCnt());
        assertSame(m, m.touch("hint"));
        assertTrue(!m.release());
        assertTrue(m.toString().contains("length=1"));
        assertTrue(m.release());
        assertEquals(0, m.refCnt());
        alloc.assertAllReleased();
    }
}
