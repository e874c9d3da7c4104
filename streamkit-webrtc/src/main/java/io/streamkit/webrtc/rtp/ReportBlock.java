package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * A reception report block of an SR or RR.
 *
 * @param ssrc the source this block reports on
 * @param fractionLost fraction of packets lost since the previous report, in 1/256 (0..255)
 * @param cumulativeLost packets lost since reception began, a signed 24-bit value (duplicates can
 *        make it negative)
 * @param extendedHighestSequenceNumber highest sequence number received, extended with the count of
 *        wraps in the high 16 bits (unsigned 32-bit)
 * @param jitter interarrival jitter in timestamp units (unsigned 32-bit)
 * @param lastSenderReport LSR: middle 32 bits of the NTP timestamp of the last SR received, 0 if none
 * @param delaySinceLastSenderReport DLSR: delay since that SR in units of 1/65536 s, 0 if none
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550 §6.4.1</a>
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequenceNumber,
        long jitter, long lastSenderReport, long delaySinceLastSenderReport) {

    /** Length of one block on the wire. */
    public static final int LENGTH = 24;

    /** Validates every field's range. */
    public ReportBlock {
        Rtcp.checkU32(ssrc, "ssrc");
        Rtcp.checkRange(fractionLost, 0, 255, "fraction lost");
        Rtcp.checkRange(cumulativeLost, -0x800000, 0x7FFFFF, "cumulative lost");
        Rtcp.checkU32(extendedHighestSequenceNumber, "extended highest sequence number");
        Rtcp.checkU32(jitter, "jitter");
        Rtcp.checkU32(lastSenderReport, "LSR");
        Rtcp.checkU32(delaySinceLastSenderReport, "DLSR");
    }

    static ReportBlock read(ByteBuf buf, int index) {
        return new ReportBlock(buf.getUnsignedInt(index), buf.getUnsignedByte(index + 4), buf.getMedium(index + 5),
                buf.getUnsignedInt(index + 8), buf.getUnsignedInt(index + 12), buf.getUnsignedInt(index + 16),
                buf.getUnsignedInt(index + 20));
    }

    void write(ByteBuf out) {
        out.writeInt((int) ssrc);
        out.writeByte(fractionLost);
        out.writeMedium(cumulativeLost);
        out.writeInt((int) extendedHighestSequenceNumber);
        out.writeInt((int) jitter);
        out.writeInt((int) lastSenderReport);
        out.writeInt((int) delaySinceLastSenderReport);
    }
}
