package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * A picture loss indication (PLI): the receiver asks the media sender for a keyframe.
 *
 * @param senderSsrc the SSRC of the packet's sender
 * @param mediaSsrc the media source asked for a keyframe
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.3.1">RFC 4585 §6.3.1</a>
 */
public record PictureLossIndication(long senderSsrc, long mediaSsrc) implements RtcpPacket {

    /** Validates the SSRCs. */
    public PictureLossIndication {
        Rtcp.checkU32(senderSsrc, "sender ssrc");
        Rtcp.checkU32(mediaSsrc, "media ssrc");
    }

    static PictureLossIndication read(ByteBuf buf, int index) {
        return new PictureLossIndication(buf.getUnsignedInt(index), buf.getUnsignedInt(index + 4));
    }

    @Override
    public int packetType() {
        return PSFB;
    }

    @Override
    public int encodedLength() {
        return 12;
    }

    @Override
    public void writeTo(ByteBuf out) {
        Rtcp.writeHeader(out, FMT_PLI, PSFB, 12);
        out.writeInt((int) senderSsrc);
        out.writeInt((int) mediaSsrc);
    }
}
