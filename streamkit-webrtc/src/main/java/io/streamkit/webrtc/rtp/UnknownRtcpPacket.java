package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * An RTCP packet of a type (or feedback format) this package does not interpret, kept as bytes so
 * it can be skipped or relayed: APP, XR, unknown feedback formats, application-layer feedback other
 * than REMB.
 *
 * @param packetType the packet type
 * @param countOrFormat the 5-bit count or feedback-format field
 * @param body the bytes after the 4-byte header, padding excluded (a multiple of 4 to be written)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.1">RFC 3550 §6.1</a>
 */
public record UnknownRtcpPacket(int packetType, int countOrFormat, byte[] body) implements RtcpPacket {

    /** Validates the fields and copies the body. */
    public UnknownRtcpPacket {
        Rtcp.checkRange(packetType, 0, 255, "packet type");
        Rtcp.checkRange(countOrFormat, 0, 31, "count/format");
        if (body.length % 4 != 0 || body.length > 4 * 0xFFFF) {
            throw new IllegalArgumentException(
                    "RTCP body of " + body.length + " bytes is not a multiple of 4 up to 262140");
        }
        body = body.clone();
    }

    /** @return a copy of the body */
    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public int encodedLength() {
        return Rtcp.HEADER_LENGTH + body.length;
    }

    @Override
    public void writeTo(ByteBuf out) {
        Rtcp.writeHeader(out, countOrFormat, packetType, encodedLength());
        out.writeBytes(body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownRtcpPacket u && u.packetType == packetType && u.countOrFormat == countOrFormat
                && Arrays.equals(u.body, body);
    }

    @Override
    public int hashCode() {
        return (packetType * 31 + countOrFormat) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "UnknownRtcpPacket[packetType=" + packetType + ", countOrFormat=" + countOrFormat + ", body="
                + body.length + " bytes]";
    }
}
