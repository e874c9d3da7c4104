package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A full intra request (FIR): asks each listed media sender for a decoder refresh point. Each entry
 * carries a command sequence number that the requester increments per new request, so that a
 * repeated packet is not taken for a new request.
 *
 * @param senderSsrc the SSRC of the packet's sender
 * @param mediaSsrc the common media-source field, which RFC 5104 sets to 0 (kept as received)
 * @param entries one or more (target SSRC, command sequence number) entries
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5104#section-4.3.1">RFC 5104 §4.3.1</a>
 */
public record FullIntraRequest(long senderSsrc, long mediaSsrc, List<Entry> entries) implements RtcpPacket {

    /** Validates the SSRCs and freezes the list (at most 16,000 entries fit a 16-bit length). */
    public FullIntraRequest {
        Rtcp.checkU32(senderSsrc, "sender ssrc");
        Rtcp.checkU32(mediaSsrc, "media ssrc");
        entries = List.copyOf(entries);
        if (entries.isEmpty() || entries.size() > 16_000) {
            throw new IllegalArgumentException("FIR with " + entries.size() + " entries, expected 1..16000");
        }
    }

    /**
     * One FIR entry.
     *
     * @param ssrc the media sender asked for a refresh point
     * @param sequenceNumber the 8-bit command sequence number
     */
    public record Entry(long ssrc, int sequenceNumber) {
        /** Validates the ranges. */
        public Entry {
            Rtcp.checkU32(ssrc, "ssrc");
            Rtcp.checkRange(sequenceNumber, 0, 255, "FIR command sequence number");
        }
    }

    /**
     * @param senderSsrc the requester
     * @param mediaSsrc the media sender asked for a refresh point
     * @param sequenceNumber the command sequence number
     * @return a FIR with one entry
     */
    public static FullIntraRequest of(long senderSsrc, long mediaSsrc, int sequenceNumber) {
        return new FullIntraRequest(senderSsrc, 0, List.of(new Entry(mediaSsrc, sequenceNumber)));
    }

    static FullIntraRequest read(ByteBuf buf, int index, int bodyLength) {
        int fci = bodyLength - 8;
        if (fci < 8 || fci % 8 != 0) {
            throw Rtcp.error("FIR",
                    "feedback control information of " + fci + " bytes, expected a positive multiple of 8");
        }
        if (fci / 8 > 16_000) {
            throw Rtcp.error("FIR", fci / 8 + " entries, at most 16000 accepted");
        }
        List<Entry> entries = new ArrayList<>(fci / 8);
        for (int p = index + 8; p < index + bodyLength; p += 8) {
            entries.add(new Entry(buf.getUnsignedInt(p), buf.getUnsignedByte(p + 4)));
        }
        return new FullIntraRequest(buf.getUnsignedInt(index), buf.getUnsignedInt(index + 4), entries);
    }

    @Override
    public int packetType() {
        return PSFB;
    }

    @Override
    public int encodedLength() {
        return 12 + 8 * entries.size();
    }

    @Override
    public void writeTo(ByteBuf out) {
        Rtcp.writeHeader(out, FMT_FIR, PSFB, encodedLength());
        out.writeInt((int) senderSsrc);
        out.writeInt((int) mediaSsrc);
        for (Entry entry : entries) {
            out.writeInt((int) entry.ssrc());
            out.writeByte(entry.sequenceNumber());
            out.writeMedium(0);
        }
    }
}
