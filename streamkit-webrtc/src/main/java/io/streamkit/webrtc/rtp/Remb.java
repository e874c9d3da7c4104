package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Receiver estimated maximum bitrate (REMB), a payload-specific application-layer feedback
 * message. The bitrate travels as an 18-bit mantissa and a 6-bit exponent; {@link #writeTo}
 * rounds a bitrate that needs more than 18 significant bits down.
 *
 * @param senderSsrc the SSRC of the packet's sender
 * @param bitrate the estimate in bits per second (non-negative)
 * @param ssrcs the media sources the estimate applies to (at most 255)
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-alvestrand-rmcat-remb-03#section-2.2">draft-alvestrand-rmcat-remb-03
 *      §2.2</a>
 */
public record Remb(long senderSsrc, long bitrate, List<Long> ssrcs) implements RtcpPacket {
    private static final int IDENTIFIER = 0x52454D42; // "REMB"

    /** Validates the fields and freezes the list. */
    public Remb {
        Rtcp.checkU32(senderSsrc, "sender ssrc");
        if (bitrate < 0) {
            throw new IllegalArgumentException("REMB bitrate " + bitrate + " is negative");
        }
        ssrcs = List.copyOf(ssrcs);
        if (ssrcs.size() > 255) {
            throw new IllegalArgumentException("REMB with " + ssrcs.size() + " sources, at most 255");
        }
        for (long ssrc : ssrcs) {
            Rtcp.checkU32(ssrc, "ssrc");
        }
    }

    /** @return whether an AFB message's FCI (absolute index, length) starts with the REMB identifier */
    static boolean isRemb(ByteBuf buf, int fciIndex, int fciLength) {
        return fciLength >= 4 && buf.getInt(fciIndex) == IDENTIFIER;
    }

    static Remb read(ByteBuf buf, int index, int bodyLength) {
        if (bodyLength < 16) {
            throw Rtcp.error("REMB", "body of " + bodyLength + " bytes, at least 16 expected");
        }
        int count = buf.getUnsignedByte(index + 12);
        if (bodyLength < 16 + 4 * count) {
            throw Rtcp.error("REMB", "source count " + count + " needs " + (16 + 4 * count) + " bytes, " + bodyLength
                    + " present");
        }
        int bits = buf.getMedium(index + 13) & 0xFFFFFF;
        int exponent = bits >>> 18;
        long mantissa = bits & 0x3FFFF;
        long bitrate = mantissa == 0
                ? 0
                : exponent >= Long.numberOfLeadingZeros(mantissa) ? Long.MAX_VALUE : mantissa << exponent;
        List<Long> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ssrcs.add(buf.getUnsignedInt(index + 16 + 4 * i));
        }
        return new Remb(buf.getUnsignedInt(index), bitrate, ssrcs);
    }

    @Override
    public int packetType() {
        return PSFB;
    }

    @Override
    public int encodedLength() {
        return 20 + 4 * ssrcs.size();
    }

    @Override
    public void writeTo(ByteBuf out) {
        int exponent = Math.max(0, 64 - Long.numberOfLeadingZeros(bitrate) - 18);
        long mantissa = bitrate >>> exponent;
        Rtcp.writeHeader(out, FMT_AFB, PSFB, encodedLength());
        out.writeInt((int) senderSsrc);
        out.writeInt(0);
        out.writeInt(IDENTIFIER);
        out.writeByte(ssrcs.size());
        out.writeMedium((exponent << 18) | (int) mantissa);
        for (long ssrc : ssrcs) {
            out.writeInt((int) ssrc);
        }
    }
}
