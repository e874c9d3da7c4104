package io.streamkit.webrtc.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every first byte against the table of RFC 7983 section 7, and the RTP/RTCP split of RFC 5761. */
class PacketDemuxTest {

    /** The RFC's table, written independently of the code under test. */
    private static PacketKind expected(int b) {
        if (b >= 0 && b <= 3) {
            return PacketKind.STUN;
        } else if (b >= 16 && b <= 19) {
            return PacketKind.ZRTP;
        } else if (b >= 20 && b <= 63) {
            return PacketKind.DTLS;
        } else if (b >= 64 && b <= 79) {
            return PacketKind.TURN_CHANNEL;
        } else if (b >= 128 && b <= 191) {
            return PacketKind.RTP_RTCP;
        }
        return PacketKind.UNKNOWN;
    }

    @Test
    void everyFirstByte() {
        Map<PacketKind, Integer> counts = new EnumMap<>(PacketKind.class);
        for (int b = 0; b < 256; b++) {
            PacketKind kind = PacketDemux.classifyFirstByte(b);
            assertEquals(expected(b), kind, "first byte " + b);
            assertEquals(kind, PacketDemux.classifyFirstByte((byte) b), "signed first byte " + (byte) b);
            counts.merge(kind, 1, Integer::sum);
            for (int second : new int[]{0, 96, 111, 127, 191, 192, 200, 223, 224, 255}) {
                PacketKind full = expected(b) != PacketKind.RTP_RTCP
                        ? expected(b)
                        : second >= 192 && second <= 223 ? PacketKind.RTCP : PacketKind.RTP;
                byte[] datagram = {(byte) b, (byte) second, 0, 0};
                assertEquals(full, PacketDemux.classify(datagram, 0, datagram.length), "bytes " + b + ", " + second);
                ByteBuf buf = Unpooled.wrappedBuffer(datagram);
                try {
                    assertEquals(full, PacketDemux.classify(buf));
                    assertEquals(0, buf.readerIndex());
                } finally {
                    buf.release();
                }
            }
        }
        assertEquals(4, counts.get(PacketKind.STUN));
        assertEquals(4, counts.get(PacketKind.ZRTP));
        assertEquals(44, counts.get(PacketKind.DTLS));
        assertEquals(16, counts.get(PacketKind.TURN_CHANNEL));
        assertEquals(64, counts.get(PacketKind.RTP_RTCP));
        assertEquals(256 - 4 - 4 - 44 - 16 - 64, counts.get(PacketKind.UNKNOWN));
    }

    @Test
    void everySecondByteInTheRtpRange() {
        for (int second = 0; second < 256; second++) {
            byte[] datagram = {(byte) 0x80, (byte) second};
            PacketKind want = second >= 192 && second <= 223 ? PacketKind.RTCP : PacketKind.RTP;
            assertEquals(want, PacketDemux.classify(datagram, 0, 2), "second byte " + second);
        }
        // RTCP sender report (200) and receiver report (201); RTP payload type 111 with the marker bit
        assertEquals(PacketKind.RTCP, PacketDemux.classify(new byte[]{(byte) 0x80, (byte) 200}, 0, 2));
        assertEquals(PacketKind.RTCP, PacketDemux.classify(new byte[]{(byte) 0x81, (byte) 201}, 0, 2));
        assertEquals(PacketKind.RTP, PacketDemux.classify(new byte[]{(byte) 0x90, (byte) (0x80 | 111)}, 0, 2));
    }

    @Test
    void shortDatagrams() {
        assertEquals(PacketKind.UNKNOWN, PacketDemux.classify(new byte[0], 0, 0));
        assertEquals(PacketKind.UNKNOWN, PacketDemux.classify(new byte[]{(byte) 0x80}, 0, 1));
        assertEquals(PacketKind.STUN, PacketDemux.classify(new byte[]{0}, 0, 1));
        assertEquals(PacketKind.DTLS, PacketDemux.classify(new byte[]{0, 22}, 1, 1));
        ByteBuf empty = Unpooled.buffer(0);
        try {
            assertEquals(PacketKind.UNKNOWN, PacketDemux.classify(empty));
        } finally {
            empty.release();
        }
    }
}
