package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A sender report (SR). Profile-specific extensions after the report blocks are skipped when
 * parsing and not written.
 *
 * @param ssrc the sender
 * @param senderInfo NTP and RTP timestamps and the send counters
 * @param reportBlocks up to 31 reception reports
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550 §6.4.1</a>
 */
public record SenderReport(long ssrc, SenderInfo senderInfo, List<ReportBlock> reportBlocks) implements RtcpPacket {

    /** Validates the SSRC and the block count, and freezes the list. */
    public SenderReport {
        Rtcp.checkU32(ssrc, "ssrc");
        reportBlocks = List.copyOf(reportBlocks);
        Rtcp.checkCount(reportBlocks.size(), "report blocks");
        Objects.requireNonNull(senderInfo, "senderInfo");
    }

    static SenderReport read(ByteBuf buf, int index, int count, int bodyLength) {
        int needed = 24 + ReportBlock.LENGTH * count;
        if (bodyLength < needed) {
            throw Rtcp.error("SR", "report count " + count + " needs " + needed + " bytes after the header, "
                    + bodyLength + " present");
        }
        SenderInfo info = new SenderInfo(buf.getLong(index + 4), buf.getUnsignedInt(index + 12),
                buf.getUnsignedInt(index + 16), buf.getUnsignedInt(index + 20));
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            blocks.add(ReportBlock.read(buf, index + 24 + ReportBlock.LENGTH * i));
        }
        return new SenderReport(buf.getUnsignedInt(index), info, blocks);
    }

    @Override
    public int packetType() {
        return SR;
    }

    @Override
    public int encodedLength() {
        return Rtcp.HEADER_LENGTH + 24 + ReportBlock.LENGTH * reportBlocks.size();
    }

    @Override
    public void writeTo(ByteBuf out) {
        Rtcp.writeHeader(out, reportBlocks.size(), SR, encodedLength());
        out.writeInt((int) ssrc);
        out.writeLong(senderInfo.ntpTimestamp());
        out.writeInt((int) senderInfo.rtpTimestamp());
        out.writeInt((int) senderInfo.packetCount());
        out.writeInt((int) senderInfo.octetCount());
        for (ReportBlock block : reportBlocks) {
            block.write(out);
        }
    }
}
