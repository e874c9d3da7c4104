package io.streamkit.webrtc.stun;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Tells STUN, DTLS and RTP/RTCP apart on the single UDP port the media plane shares between all peers:
 * by the first byte as <a href="https://www.rfc-editor.org/rfc/rfc7983#section-7">RFC 7983 section 7</a>
 * says, then RTCP from RTP by the second byte as
 * <a href="https://www.rfc-editor.org/rfc/rfc5761#section-4">RFC 5761 section 4</a> says. Stateless,
 * allocation-free.
 */
public final class PacketDemux {
    private PacketDemux() {
    }

    /**
     * @param firstByte the first byte of a datagram, 0 to 255 (or a signed {@code byte} value)
     * @return its kind by the first byte alone; {@link PacketKind#RTP_RTCP} for 128 to 191
     */
    public static PacketKind classifyFirstByte(int firstByte) {
        int b = firstByte & 0xFF;
        if (b <= 3) {
            return PacketKind.STUN;
        }
        if (b >= 16 && b <= 19) {
            return PacketKind.ZRTP;
        }
        if (b >= 20 && b <= 63) {
            return PacketKind.DTLS;
        }
        if (b >= 64 && b <= 79) {
            return PacketKind.TURN_CHANNEL;
        }
        if (b >= 128 && b <= 191) {
            return PacketKind.RTP_RTCP;
        }
        return PacketKind.UNKNOWN;
    }

    /**
     * @param secondByte the second byte of an RTP or RTCP packet
     * @return whether it is an RTCP packet type (192 to 223): with RTP and RTCP on one port, RTP
     *     payload types 64 to 95 are not used so that the two never collide
     */
    public static boolean isRtcpPacketType(int secondByte) {
        int b = secondByte & 0xFF;
        return b >= 192 && b <= 223;
    }

    /**
     * Classifies the readable bytes of a datagram without changing its indexes or reference count.
     *
     * @param datagram the datagram
     * @return its kind; {@link PacketKind#RTP} or {@link PacketKind#RTCP} in the RTP range, and
     *     {@link PacketKind#UNKNOWN} for an empty datagram or a one-byte one in the RTP range
     */
    public static PacketKind classify(ByteBuf datagram) {
        int n = datagram.readableBytes();
        if (n == 0) {
            return PacketKind.UNKNOWN;
        }
        int r = datagram.readerIndex();
        PacketKind kind = classifyFirstByte(datagram.getByte(r));
        if (kind != PacketKind.RTP_RTCP) {
            return kind;
        }
        if (n < 2) {
            return PacketKind.UNKNOWN;
        }
        return isRtcpPacketType(datagram.getByte(r + 1)) ? PacketKind.RTCP : PacketKind.RTP;
    }

    /**
     * @param data holds the datagram
     * @param offset where it starts
     * @param length its length
     * @return its kind, as {@link #classify(ByteBuf)}
     */
    public static PacketKind classify(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length == 0) {
            return PacketKind.UNKNOWN;
        }
        PacketKind kind = classifyFirstByte(data[offset]);
        if (kind != PacketKind.RTP_RTCP) {
            return kind;
        }
        if (length < 2) {
            return PacketKind.UNKNOWN;
        }
        return isRtcpPacketType(data[offset + 1]) ? PacketKind.RTCP : PacketKind.RTP;
    }
}
