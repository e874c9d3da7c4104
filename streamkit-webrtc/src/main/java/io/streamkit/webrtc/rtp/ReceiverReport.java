package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A receiver report (RR). Profile-specific extensions after the report blocks are skipped when
 * parsing and not written.
 *
 * @param ssrc the reporting receiver
 * @param reportBlocks up to 31 reception reports
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.2">RFC 3550 §6.4.2</a>
 */
public record ReceiverReport(long ssrc, List<ReportBlock> reportBlocks) implements RtcpPacket {

    /** Validates the SSRC and the block count, and freezes the list. */
    public ReceiverReport {
        Rtcp.checkU32(ssrc, "ssrc");
        reportBlocks = List.copyOf(reportBlocks);
        Rtcp.checkCount(reportBlocks.size(), "report blocks");
    }

    static ReceiverReport read(ByteBuf buf, int index, int count, int bodyLength) {
        int needed = 4 + ReportBlock.LENGTH * count;
        if (bodyLength < needed) {
            throw Rtcp.error("RR", "report count " + count + " needs " + needed + " bytes after the header, "
                    + bodyLength + " present");
        }
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            blocks.add(ReportBlock.read(buf, index + 4 + ReportBlock.LENGTH * i));
        }
        return new ReceiverReport(buf.getUnsignedInt(index), blocks);
    }

    @Override
    public int packetType() {
        return RR;
    }

    @Override
    public int encodedLength() {
        return Rtcp.HEADER_LENGTH + 4 + ReportBlock.LENGTH * reportBlocks.size();
    }

    @Override
    public void writeTo(ByteBuf out) {
        Rtcp.writeHeader(out, reportBlocks.size(), RR, encodedLength());
        out.writeInt((int) ssrc);
        for (ReportBlock block : reportBlocks) {
            block.write(out);
        }
    }
}
