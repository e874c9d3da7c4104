package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * One RTCP packet of a compound packet, parsed into an immutable value by
 * {@link RtcpCompound#parse(ByteBuf)} and written back with {@link #writeTo(ByteBuf)}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4">RFC 3550 §6.4-6.6</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.1">RFC 4585 §6.1, feedback
 *      messages</a>
 */
public sealed interface RtcpPacket permits SenderReport, ReceiverReport, SourceDescription, Goodbye, GenericNack,
        PictureLossIndication, FullIntraRequest, Remb, TransportCcFeedback, UnknownRtcpPacket {

    /** Packet type of a sender report. */
    int SR = 200;
    /** Packet type of a receiver report. */
    int RR = 201;
    /** Packet type of a source description. */
    int SDES = 202;
    /** Packet type of a goodbye. */
    int BYE = 203;
    /** Packet type of an application-defined packet. */
    int APP = 204;
    /** Packet type of transport-layer feedback (RFC 4585). */
    int RTPFB = 205;
    /** Packet type of payload-specific feedback (RFC 4585). */
    int PSFB = 206;
    /** RTPFB format of a generic NACK. */
    int FMT_NACK = 1;
    /** RTPFB format of transport-wide congestion-control feedback. */
    int FMT_TRANSPORT_CC = 15;
    /** PSFB format of a picture loss indication. */
    int FMT_PLI = 1;
    /** PSFB format of a full intra request (RFC 5104). */
    int FMT_FIR = 4;
    /** PSFB format of application-layer feedback, which carries REMB. */
    int FMT_AFB = 15;

    /** @return the RTCP packet type (200..206 for the known ones) */
    int packetType();

    /** @return the number of bytes {@link #writeTo(ByteBuf)} appends, a multiple of 4 */
    int encodedLength();

    /**
     * Appends this packet, header included, without padding.
     *
     * @param out destination buffer
     */
    void writeTo(ByteBuf out);
}
