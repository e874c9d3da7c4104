package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads and writes compound RTCP packets.
 *
 * <p>Parsing checks the layout of RFC 3550 Appendix A.2: version 2 in every packet, lengths that
 * add up to the datagram exactly, padding only in the last packet. A reduced-size packet (RFC
 * 5506: a single feedback message, or a compound not starting with SR/RR) is accepted unless a
 * strict check is asked for. Each packet is returned as an immutable {@link RtcpPacket}; types and
 * feedback formats not interpreted here come back as {@link UnknownRtcpPacket}. Any malformed
 * input raises {@link RtcpException}; memory is bounded by the datagram's size (plus 64 KiB for a
 * transport-cc status list).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#appendix-A.2">RFC 3550 Appendix A.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5506#section-3">RFC 5506 §3, reduced-size RTCP</a>
 */
public final class RtcpCompound {

    private RtcpCompound() {
    }

    /**
     * Parses the readable bytes of {@code buf}, accepting reduced-size RTCP. The buffer's indices are
     * not moved.
     *
     * @param buf one RTCP datagram (after SRTCP decryption)
     * @return the packets in order, at least one
     * @throws RtcpException if the bytes are not well-formed RTCP
     */
    public static List<RtcpPacket> parse(ByteBuf buf) {
        return parse(buf, false);
    }

    /**
     * Parses the readable bytes of {@code buf}. The buffer's indices are not moved.
     *
     * @param buf one RTCP datagram (after SRTCP decryption)
     * @param requireReportFirst whether to reject reduced-size RTCP: the first packet must then be an
     *        SR or RR without padding, as RFC 3550 A.2 checks
     * @return the packets in order, at least one
     * @throws RtcpException if the bytes are not well-formed RTCP
     */
    public static List<RtcpPacket> parse(ByteBuf buf, boolean requireReportFirst) {
        Objects.requireNonNull(buf, "buf");
        int p = buf.readerIndex();
        int end = buf.writerIndex();
        if (end - p < Rtcp.HEADER_LENGTH) {
            throw new RtcpException("RTCP datagram of " + (end - p) + " bytes is shorter than a 4-byte header");
        }
        List<RtcpPacket> packets = new ArrayList<>();
        while (p < end) {
            int position = packets.size();
            if (end - p < Rtcp.HEADER_LENGTH) {
                throw new RtcpException("RTCP packet " + position + ": " + (end - p)
                        + " trailing bytes are too short for a header");
            }
            int b0 = buf.getUnsignedByte(p);
            int version = b0 >>> 6;
            if (version != RtpPacket.VERSION) {
                throw new RtcpException("RTCP packet " + position + ": version " + version + ", expected 2");
            }
            int type = buf.getUnsignedByte(p + 1);
            int length = 4 * (buf.getUnsignedShort(p + 2) + 1);
            if (length > end - p) {
                throw new RtcpException("RTCP packet " + position + " (type " + type + "): length " + length
                        + " exceeds the " + (end - p) + " bytes left");
            }
            if (position == 0 && requireReportFirst && (type != RtcpPacket.SR && type != RtcpPacket.RR)) {
                throw new RtcpException("RTCP compound starts with packet type " + type + ", not SR or RR");
            }
            int padding = 0;
            if ((b0 & 0x20) != 0) {
                if (p + length != end) {
                    throw new RtcpException("RTCP packet " + position + " (type " + type
                            + ") has the padding bit but is not the last packet");
                }
                if (position == 0 && requireReportFirst) {
                    throw new RtcpException("RTCP compound's first packet has the padding bit");
                }
                padding = buf.getUnsignedByte(p + length - 1);
                if (padding == 0 || padding > length - Rtcp.HEADER_LENGTH) {
                    throw new RtcpException("RTCP packet " + position + " (type " + type + "): padding count "
                            + padding + " outside 1.." + (length - Rtcp.HEADER_LENGTH));
                }
            }
            packets.add(readOne(buf, p, b0 & 0x1F, type, length - Rtcp.HEADER_LENGTH - padding));
            p += length;
        }
        return List.copyOf(packets);
    }

    private static RtcpPacket readOne(ByteBuf buf, int start, int countOrFormat, int type, int bodyLength) {
        int body = start + Rtcp.HEADER_LENGTH;
        switch (type) {
            case RtcpPacket.SR :
                return SenderReport.read(buf, body, countOrFormat, bodyLength);
            case RtcpPacket.RR :
                return ReceiverReport.read(buf, body, countOrFormat, bodyLength);
            case RtcpPacket.SDES :
                return SourceDescription.read(buf, body, countOrFormat, bodyLength);
            case RtcpPacket.BYE :
                return Goodbye.read(buf, body, countOrFormat, bodyLength);
            case RtcpPacket.RTPFB :
            case RtcpPacket.PSFB :
                if (bodyLength < 8) {
                    throw Rtcp.error(type == RtcpPacket.RTPFB ? "RTPFB" : "PSFB", "body of " + bodyLength
                            + " bytes cannot hold the sender and media SSRCs");
                }
                if (type == RtcpPacket.RTPFB && countOrFormat == RtcpPacket.FMT_NACK) {
                    return GenericNack.read(buf, body, bodyLength);
                }
                if (type == RtcpPacket.RTPFB && countOrFormat == RtcpPacket.FMT_TRANSPORT_CC) {
                    return TransportCcFeedback.read(buf, body, bodyLength);
                }
                if (type == RtcpPacket.PSFB && countOrFormat == RtcpPacket.FMT_PLI) {
                    return PictureLossIndication.read(buf, body);
                }
                if (type == RtcpPacket.PSFB && countOrFormat == RtcpPacket.FMT_FIR) {
                    return FullIntraRequest.read(buf, body, bodyLength);
                }
                if (type == RtcpPacket.PSFB && countOrFormat == RtcpPacket.FMT_AFB
                        && Remb.isRemb(buf, body + 8, bodyLength - 8)) {
                    return Remb.read(buf, body, bodyLength);
                }
                return unknown(buf, body, countOrFormat, type, bodyLength);
            default :
                return unknown(buf, body, countOrFormat, type, bodyLength);
        }
    }

    private static RtcpPacket unknown(ByteBuf buf, int body, int countOrFormat, int type, int bodyLength) {
        byte[] bytes = new byte[Rtcp.pad4(bodyLength)];
        buf.getBytes(body, bytes, 0, bodyLength);
        return new UnknownRtcpPacket(type, countOrFormat, bytes);
    }

    /**
     * @param packets packets of one compound
     * @return the bytes {@link #write(List, ByteBuf)} appends
     */
    public static int encodedLength(List<? extends RtcpPacket> packets) {
        int n = 0;
        for (RtcpPacket packet : packets) {
            n += packet.encodedLength();
        }
        return n;
    }

    /**
     * Appends the packets as one compound (no padding). Put an SR or RR first, and an SDES with the
     * CNAME, for a full compound of RFC 3550; a lone feedback message is a reduced-size packet.
     *
     * @param packets the packets in order
     * @param out destination buffer
     */
    public static void write(List<? extends RtcpPacket> packets, ByteBuf out) {
        for (RtcpPacket packet : packets) {
            packet.writeTo(out);
        }
    }
}
