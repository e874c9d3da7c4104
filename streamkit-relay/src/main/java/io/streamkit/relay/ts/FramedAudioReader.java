package io.streamkit.relay.ts;

import java.util.Arrays;

/**
 * Audio elementary streams of self-delimiting frames (ADTS AAC, MPEG audio): splits each PES
 * payload into frames, carries a frame that continues into the next PES over, and stamps each
 * frame. The PES PTS applies to the first frame that starts in that PES; later frames follow at
 * their duration. Bytes that start no valid frame are skipped and reported once per PES.
 */
abstract class FramedAudioReader extends EsReader {
    private final byte[] carry;
    private int carryLength;
    private long basePts = NO_TIMESTAMP;
    private long samplesSinceBase;

    /**
     * @param maxFrameLength the longest possible frame, which bounds the carried-over bytes
     */
    FramedAudioReader(int trackId, Sink sink, int maxFrameLength) {
        super(trackId, sink);
        this.carry = new byte[maxFrameLength];
    }

    /**
     * @param data the bytes
     * @param offset where a frame may start
     * @param available bytes from {@code offset}
     * @return the frame length, 0 when more bytes are needed to tell, -1 when no frame starts here
     */
    abstract int frameLength(byte[] data, int offset, int available);

    /**
     * Emits one frame.
     *
     * @param data the bytes
     * @param offset the first byte of the frame (its header)
     * @param length the frame length
     * @param pts its presentation time in 90 kHz ticks
     * @return the frame's duration in samples at {@link #sampleRate()}
     */
    abstract int frame(byte[] data, int offset, int length, long pts);

    /** @return the sample rate of the frames so far, which converts samples to ticks */
    abstract int sampleRate();

    @Override
    void pes(byte[] data, int from, int to, long dts, long pts) {
        byte[] work = data;
        int start = from;
        int end = to;
        int carryEnd = from;
        if (carryLength > 0) {
            work = Arrays.copyOf(carry, carryLength + (to - from));
            System.arraycopy(data, from, work, carryLength, to - from);
            start = 0;
            end = work.length;
            carryEnd = carryLength;
            carryLength = 0;
        }
        boolean rebased = false;
        boolean skipped = false;
        int pos = start;
        while (pos < end) {
            int length = frameLength(work, pos, end - pos);
            if (length < 0) {
                skipped = true;
                pos++;
                continue;
            }
            if (length == 0 || length > end - pos) {
                break;
            }
            if (pos >= carryEnd && !rebased) {
                rebased = true;
                if (pts != NO_TIMESTAMP) {
                    basePts = pts;
                    samplesSinceBase = 0;
                }
            }
            if (basePts == NO_TIMESTAMP) {
                sink.malformed("audio frame without a timestamp");
            } else {
                int rate = Math.max(1, sampleRate());
                long framePts = basePts + Math.floorDiv(samplesSinceBase * TsPackets.TIMESCALE, rate);
                samplesSinceBase += frame(work, pos, length, framePts);
            }
            pos += length;
        }
        if (skipped) {
            sink.malformed("audio PES bytes that start no frame");
        }
        int rest = end - pos;
        if (rest > carry.length) {
            sink.malformed("audio frame longer than " + carry.length + " bytes");
        } else if (rest > 0) {
            System.arraycopy(work, pos, carry, 0, rest);
            carryLength = rest;
        }
    }

    @Override
    void reset() {
        carryLength = 0;
    }
}
