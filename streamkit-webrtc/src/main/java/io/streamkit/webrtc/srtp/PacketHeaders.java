package io.streamkit.webrtc.srtp;

import io.netty.buffer.ByteBuf;

/**
 * Bounds-checked reads of the RTP (<a href="https://www.rfc-editor.org/rfc/rfc3550#section-5.1">RFC
 * 3550 §5.1</a>) and RTCP (§6.4) header fields SRTP needs.
 */
final class PacketHeaders {
    static final int RTP_HEADER = 12;
    static final int RTCP_HEADER = 8;

    private PacketHeaders() {
    }

    /**
     * @param packet the packet
     * @param start its first byte
     * @param length the bytes that may belong to the header and payload (trailer excluded)
     * @return the RTP header length, CSRC list and header extension included
     * @throws SrtpException when the header is not RTP version 2 or runs past {@code length}
     */
    static int rtpHeaderLength(ByteBuf packet, int start, int length) {
        int b0 = packet.getUnsignedByte(start);
        if (b0 >>> 6 != 2) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "RTP version " + (b0 >>> 6) + ", expected 2");
        }
        int h = RTP_HEADER + 4 * (b0 & 0x0f);
        if (h > length) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "RTP CSRC list (" + (b0 & 0x0f)
                    + " entries) runs past the " + length + "-byte packet");
        }
        if ((b0 & 0x10) != 0) {
            if (h + 4 > length) {
                throw new SrtpException(SrtpException.Reason.MALFORMED,
                        "RTP header extension header runs past the " + length + "-byte packet");
            }
            h += 4 + 4 * packet.getUnsignedShort(start + h + 2);
            if (h > length) {
                throw new SrtpException(SrtpException.Reason.MALFORMED, "RTP header extension (header of " + h
                        + " bytes) runs past the " + length + "-byte packet");
            }
        }
        return h;
    }

    /** @throws SrtpException when the first byte is not RTCP version 2 */
    static void checkRtcpVersion(ByteBuf packet, int start) {
        int b0 = packet.getUnsignedByte(start);
        if (b0 >>> 6 != 2) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "RTCP version " + (b0 >>> 6) + ", expected 2");
        }
    }
}
