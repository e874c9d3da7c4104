package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A goodbye (BYE): the listed sources are leaving.
 *
 * @param ssrcs up to 31 sources
 * @param reason the optional reason for leaving (at most 255 UTF-8 bytes), or {@code null}
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.6">RFC 3550 §6.6</a>
 */
public record Goodbye(List<Long> ssrcs, String reason) implements RtcpPacket {

    /** Validates the SSRCs, their count and the reason's length, and freezes the list. */
    public Goodbye {
        ssrcs = List.copyOf(ssrcs);
        Rtcp.checkCount(ssrcs.size(), "BYE sources");
        for (long ssrc : ssrcs) {
            Rtcp.checkU32(ssrc, "ssrc");
        }
        if (reason != null) {
            Rtcp.text(reason, "BYE reason");
        }
    }

    static Goodbye read(ByteBuf buf, int index, int count, int bodyLength) {
        if (bodyLength < 4 * count) {
            throw Rtcp.error("BYE", "source count " + count + " needs " + 4 * count + " bytes, " + bodyLength
                    + " present");
        }
        List<Long> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ssrcs.add(buf.getUnsignedInt(index + 4 * i));
        }
        String reason = null;
        int p = 4 * count;
        if (p < bodyLength) {
            int len = buf.getUnsignedByte(index + p);
            if (p + 1 + len > bodyLength) {
                throw Rtcp.error("BYE", "reason of " + len + " bytes runs past the packet");
            }
            reason = Rtcp.utf8(buf, index + p + 1, len, "BYE", "reason");
        }
        return new Goodbye(ssrcs, reason);
    }

    @Override
    public int packetType() {
        return BYE;
    }

    @Override
    public int encodedLength() {
        int n = Rtcp.HEADER_LENGTH + 4 * ssrcs.size();
        if (reason != null) {
            n += Rtcp.pad4(1 + reason.getBytes(StandardCharsets.UTF_8).length);
        }
        return n;
    }

    @Override
    public void writeTo(ByteBuf out) {
        Rtcp.writeHeader(out, ssrcs.size(), BYE, encodedLength());
        for (long ssrc : ssrcs) {
            out.writeInt((int) ssrc);
        }
        if (reason != null) {
            byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
            out.writeByte(bytes.length);
            out.writeBytes(bytes);
            out.writeZero(Rtcp.pad4(1 + bytes.length) - 1 - bytes.length);
        }
    }
}
