package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Shared helpers of the RTCP packet classes (header layout of RFC 3550 §6.4.1). Not API. */
final class Rtcp {
    static final int HEADER_LENGTH = 4;
    static final int MAX_COUNT = 31;

    private Rtcp() {
    }

    /** Writes the common header; {@code totalLength} is the whole packet's length, a multiple of 4. */
    static void writeHeader(ByteBuf out, int countOrFormat, int packetType, int totalLength) {
        out.writeByte(RtpPacket.VERSION << 6 | countOrFormat);
        out.writeByte(packetType);
        out.writeShort(totalLength / 4 - 1);
    }

    static long checkU32(long value, String name) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(name + " " + value + " is not an unsigned 32-bit value");
        }
        return value;
    }

    static int checkRange(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " outside " + min + ".." + max);
        }
        return value;
    }

    static void checkCount(int count, String what) {
        if (count > MAX_COUNT) {
            throw new IllegalArgumentException(count + " " + what + ", at most 31 fit one RTCP packet");
        }
    }

    /** @return the UTF-8 bytes of an SDES item or BYE reason, which must fit a length byte */
    static byte[] text(String value, String what) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 255) {
            throw new IllegalArgumentException(what + " of " + bytes.length + " UTF-8 bytes, at most 255");
        }
        return bytes;
    }

    static int pad4(int n) {
        return (n + 3) & ~3;
    }

    static RtcpException error(String packet, String message) {
        return new RtcpException("RTCP " + packet + ": " + message);
    }
}
