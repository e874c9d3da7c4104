package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Readers and writers for the RTP header-extension elements the SFU uses. Each reader takes the
 * packet and the local id negotiated in SDP ({@code a=extmap}), returns a sentinel when the element
 * is absent and throws {@link RtpException} when it is present but malformed.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6464">RFC 6464, audio level</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8843#section-15.2">RFC 8843 §15.2, MID</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8852">RFC 8852, RtpStreamId and
 *      RepairedRtpStreamId</a>
 * @see <a href="https://webrtc.googlesource.com/src/+/refs/heads/main/docs/native-code/rtp-hdrext/abs-send-time/README.md">abs-send-time</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-holmer-rmcat-transport-wide-cc-extensions-01#section-2">draft-holmer-rmcat-transport-wide-cc-extensions-01
 *      §2, transport-wide sequence number</a>
 */
public final class RtpHeaderExtensions {
    /** extmap URI of the client-to-mixer audio level (RFC 6464). */
    public static final String AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    /** extmap URI of the BUNDLE media identification (RFC 8843). */
    public static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
    /** extmap URI of the RTP stream id, the simulcast {@code rid} (RFC 8852). */
    public static final String RTP_STREAM_ID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    /** extmap URI of the repaired RTP stream id carried by RTX (RFC 8852). */
    public static final String REPAIRED_RTP_STREAM_ID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    /** extmap URI of abs-send-time. */
    public static final String ABS_SEND_TIME_URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /** extmap URI of the transport-wide sequence number. */
    public static final String TRANSPORT_WIDE_CC_URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    private static final long ABS_SEND_TIME_WRAP_NANOS = 64_000_000_000L;

    private RtpHeaderExtensions() {
    }

    /**
     * An RFC 6464 audio level.
     *
     * @param voiceActivity the V flag: the sender's voice activity detector found speech
     * @param level the level in −dBov, 0 (loudest) to 127 (silence, or muted)
     */
    public record AudioLevel(boolean voiceActivity, int level) {
        /** Validates the level range. */
        public AudioLevel {
            if (level < 0 || level > 127) {
                throw new IllegalArgumentException("audio level " + level + " outside 0..127");
            }
        }
    }

    /**
     * Reads the audio level (RFC 6464 §3: one byte, V flag and a 7-bit level; further bytes are
     * padding some senders add).
     *
     * @param packet the packet
     * @param id negotiated local id
     * @return the level, or {@code null} if the packet has no such element
     * @throws RtpException if the element is empty
     */
    public static AudioLevel audioLevel(RtpPacket packet, int id) {
        ByteBuf data = packet.extension(id);
        if (data == null) {
            return null;
        }
        if (data.readableBytes() < 1) {
            throw new RtpException("audio level element (id " + id + ") is empty");
        }
        int b = data.getUnsignedByte(data.readerIndex());
        return new AudioLevel((b & 0x80) != 0, b & 0x7F);
    }

    /**
     * @param level the level to write
     * @return the element data (one byte)
     */
    public static byte[] audioLevelData(AudioLevel level) {
        return new byte[]{(byte) ((level.voiceActivity() ? 0x80 : 0) | level.level())};
    }

    /**
     * Reads the MID element.
     *
     * @param packet the packet
     * @param id negotiated local id
     * @return the MID, or {@code null} if absent
     * @throws RtpException if the element is empty or holds other than visible ASCII characters
     */
    public static String mid(RtpPacket packet, int id) {
        return token(packet, id, "mid");
    }

    /**
     * Reads the RtpStreamId element (the simulcast {@code rid}).
     *
     * @param packet the packet
     * @param id negotiated local id
     * @return the stream id, or {@code null} if absent
     * @throws RtpException if the element is empty or holds other than visible ASCII characters
     */
    public static String rtpStreamId(RtpPacket packet, int id) {
        return token(packet, id, "rtp-stream-id");
    }

    /**
     * Reads the RepairedRtpStreamId element (on RTX packets, the {@code rid} of the stream repaired).
     *
     * @param packet the packet
     * @param id negotiated local id
     * @return the stream id, or {@code null} if absent
     * @throws RtpException if the element is empty or holds other than visible ASCII characters
     */
    public static String repairedRtpStreamId(RtpPacket packet, int id) {
        return token(packet, id, "repaired-rtp-stream-id");
    }

    private static String token(RtpPacket packet, int id, String what) {
        ByteBuf data = packet.extension(id);
        if (data == null) {
            return null;
        }
        int n = data.readableBytes();
        int start = data.readerIndex();
        // RFC 8285 lets senders pad the element with trailing zero bytes
        while (n > 0 && data.getByte(start + n - 1) == 0) {
            n--;
        }
        if (n == 0) {
            throw new RtpException(what + " element (id " + id + ") is empty");
        }
        for (int i = 0; i < n; i++) {
            int c = data.getUnsignedByte(start + i);
            if (c < 0x21 || c > 0x7E) {
                throw new RtpException(what + " element (id " + id + ") holds byte 0x" + Integer.toHexString(c)
                        + " at " + i + ", not a visible ASCII character");
            }
        }
        return data.toString(start, n, StandardCharsets.US_ASCII);
    }

    /**
     * @param value a MID or stream id of visible ASCII characters, 1..255 of them
     * @return the element data
     */
    public static byte[] tokenData(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < 1 || bytes.length > 255) {
            throw new IllegalArgumentException("identifier of " + bytes.length + " characters, expected 1..255");
        }
        for (byte b : bytes) {
            if (b < 0x21 || b > 0x7E) {
                throw new IllegalArgumentException("identifier '" + value + "' has a non-visible character");
            }
        }
        return bytes;
    }

    /**
     * Reads abs-send-time: 24 bits, seconds in 6.18 fixed point, wrapping every 64 s.
     *
     * @param packet the packet
     * @param id negotiated local id
     * @return the raw 24-bit value, or -1 if absent
     * @throws RtpException if the element is shorter than 3 bytes
     */
    public static int absSendTime(RtpPacket packet, int id) {
        ByteBuf data = packet.extension(id);
        if (data == null) {
            return -1;
        }
        if (data.readableBytes() < 3) {
            throw new RtpException("abs-send-time element (id " + id + ") has " + data.readableBytes()
                    + " bytes, expected 3");
        }
        return data.getUnsignedMedium(data.readerIndex());
    }

    /**
     * @param raw a 24-bit abs-send-time value
     * @return the time it encodes, in nanoseconds within its 64-second wrap
     */
    public static long absSendTimeToNanos(int raw) {
        return ((raw & 0xFFFFFFL) * 1_000_000_000L) >>> 18;
    }

    /**
     * @param nanos a send time in nanoseconds (any epoch; only its position within 64 s matters)
     * @return the 24-bit abs-send-time value, rounded down
     */
    public static int absSendTimeFromNanos(long nanos) {
        long within = Math.floorMod(nanos, ABS_SEND_TIME_WRAP_NANOS);
        return (int) (((within << 18) / 1_000_000_000L) & 0xFFFFFF);
    }

    /**
     * @param raw a 24-bit abs-send-time value
     * @return the element data (3 bytes)
     */
    public static byte[] absSendTimeData(int raw) {
        return new byte[]{(byte) (raw >>> 16), (byte) (raw >>> 8), (byte) raw};
    }

    /**
     * Reads the transport-wide sequence number.
     *
     * @param packet the packet
     * @param id negotiated local id
     * @return the 16-bit sequence number, or -1 if absent
     * @throws RtpException if the element is shorter than 2 bytes
     */
    public static int transportSequenceNumber(RtpPacket packet, int id) {
        ByteBuf data = packet.extension(id);
        if (data == null) {
            return -1;
        }
        if (data.readableBytes() < 2) {
            throw new RtpException("transport-wide sequence number element (id " + id + ") has "
                    + data.readableBytes() + " bytes, expected 2");
        }
        return data.getUnsignedShort(data.readerIndex());
    }

    /**
     * Rewrites the transport-wide sequence number in place (the SFU numbers its own sends per
     * subscriber transport).
     *
     * @param packet the packet
     * @param id local id of the element in this packet
     * @param sequenceNumber the new value; low 16 bits are written
     * @return whether the packet had a 2-byte element with that id to rewrite
     */
    public static boolean setTransportSequenceNumber(RtpPacket packet, int id, int sequenceNumber) {
        ByteBuf data = packet.extension(id);
        if (data == null || data.readableBytes() < 2) {
            return false;
        }
        data.setShort(data.readerIndex(), sequenceNumber);
        return true;
    }

    /**
     * @param sequenceNumber the 16-bit value
     * @return the element data (2 bytes)
     */
    public static byte[] transportSequenceNumberData(int sequenceNumber) {
        return new byte[]{(byte) (sequenceNumber >>> 8), (byte) sequenceNumber};
    }
}
