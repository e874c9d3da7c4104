package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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

    /** Decodes strict UTF-8 (SDES items, BYE reasons); malformed bytes are an {@link RtcpException}. */
    static String utf8(ByteBuf buf, int index, int length, String packet, String what) {
        ByteBuffer bytes = buf.nioBufferCount() == 1
                ? buf.nioBuffer(index, length)
                : ByteBuffer.wrap(copy(buf, index, length));
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw error(packet, what + " of " + length + " bytes is not valid UTF-8");
        }
    }

    private static byte[] copy(ByteBuf buf, int index, int length) {
        byte[] out = new byte[length];
        buf.getBytes(index, out);
        return out;
    }

    static int pad4(int n) {
        return (n + 3) & ~3;
    }

    static RtcpException error(String packet, String message) {
        return new RtcpException("RTCP " + packet + ": " + message);
    }
}
