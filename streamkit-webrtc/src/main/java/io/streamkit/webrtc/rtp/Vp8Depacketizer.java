package io.streamkit.webrtc.rtp;

import java.io.ByteArrayOutputStream;

/**
 * Reassembles VP8 frames from RTP payloads
 * (<a href="https://www.rfc-editor.org/rfc/rfc7741">RFC 7741</a>): strips each payload descriptor,
 * starts a frame at a packet with the S bit and partition index 0, appends the packets of the same
 * timestamp in sequence, and completes the frame at the marker bit. A gap in sequence numbers
 * inside a frame discards it; after a gap, frames are dropped until the next keyframe (the caller
 * asks the publisher for one). Not thread-safe.
 */
public final class Vp8Depacketizer {

    /** The largest frame reassembled, in bytes; a larger one is discarded. */
    public static final int MAX_FRAME = 4 * 1024 * 1024;

    /** A complete frame. */
    public record Frame(byte[] data, long rtpTimestamp, boolean keyframe) {
    }

    private final ByteArrayOutputStream frame = new ByteArrayOutputStream(64 * 1024);
    private boolean inFrame;
    private long frameTimestamp;
    private int lastSequence = -1;
    private boolean needKeyframe = true;
    private long discarded;

    /** Creates a depacketizer that waits for a keyframe first. */
    public Vp8Depacketizer() {
    }

    /**
     * Adds one packet's payload.
     *
     * @param sequence  the RTP sequence number
     * @param timestamp the RTP timestamp
     * @param marker    the RTP marker bit
     * @param payload   the RTP payload (descriptor and VP8 data)
     * @return a complete frame, or {@code null}
     * @throws RtpException when the payload descriptor is truncated
     */
    public Frame add(int sequence, long timestamp, boolean marker, byte[] payload) {
        boolean gap = lastSequence >= 0 && ((lastSequence + 1) & 0xFFFF) != sequence;
        lastSequence = sequence;
        int offset = descriptorLength(payload);
        boolean start = (payload[0] & 0x10) != 0 && (payload[0] & 0x07) == 0;
        if (gap) {
            if (inFrame) {
                discarded++;
            }
            inFrame = false;
            needKeyframe = true;
        }
        if (start) {
            inFrame = true;
            frameTimestamp = timestamp;
            frame.reset();
        } else if (!inFrame || timestamp != frameTimestamp) {
            inFrame = false;
            return null;
        }
        frame.write(payload, offset, payload.length - offset);
        if (frame.size() > MAX_FRAME) {
            inFrame = false;
            discarded++;
            needKeyframe = true;
            return null;
        }
        if (!marker) {
            return null;
        }
        inFrame = false;
        byte[] data = frame.toByteArray();
        boolean key = data.length > 0 && (data[0] & 0x01) == 0;
        if (needKeyframe && !key) {
            discarded++;
            return null;
        }
        needKeyframe = false;
        return new Frame(data, timestamp, key);
    }

    /** @return whether frames are being dropped until a keyframe arrives */
    public boolean waitingForKeyframe() {
        return needKeyframe;
    }

    /** @return frames discarded (incomplete, oversized, or not decodable before a keyframe) */
    public long discarded() {
        return discarded;
    }

    /**
     * Returns the length of the VP8 payload descriptor at the start of a payload.
     *
     * @param p the payload
     * @return the descriptor's length in bytes
     * @throws RtpException when the payload is shorter than its descriptor
     */
    public static int descriptorLength(byte[] p) {
        if (p.length < 1) {
            throw new RtpException("empty VP8 payload");
        }
        int n = 1;
        if ((p[0] & 0x80) != 0) {
            need(p, n + 1);
            int x = p[n++] & 0xFF;
            if ((x & 0x80) != 0) { // I: picture id, 7 or 15 bits
                need(p, n + 1);
                n += (p[n] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                n++;
            }
            if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                n++;
            }
        }
        need(p, n + 1);
        return n;
    }

    private static void need(byte[] p, int length) {
        if (p.length < length) {
            throw new RtpException("VP8 payload descriptor truncated: " + p.length + " bytes, need " + length);
        }
    }
}
