package io.streamkit.compositor.audio;

import java.util.Arrays;

/**
 * A bounded buffer of 48 kHz stereo samples addressed by absolute position: sample frame
 * {@code p} is the sound at {@link #position(long) position(nanos)} on the monotonic clock. A
 * source writes what it decodes at the position its timestamps map to; the mixer reads the
 * positions of each program block. Positions never written, or already overwritten, read as
 * silence.
 *
 * <p>
 * A write that starts within {@link #JOIN_TOLERANCE_FRAMES} of the end of the previous one is
 * joined to it (rounding of timestamps never leaves clicks); a write further ahead leaves silence
 * in between; a write further back restarts the buffer at its position. Both are counted as
 * resyncs. Thread-safe: one writer and one reader at a time.
 */
public final class SampleRing {

    /** The sample rate of every ring, in Hz. */
    public static final int SAMPLE_RATE = 48_000;
    /** The channel count of every ring (interleaved left, right). */
    public static final int CHANNELS = 2;
    /** How far (in sample frames) a write may start from the previous end and still be joined to it. */
    public static final int JOIN_TOLERANCE_FRAMES = 960;
    /** The largest capacity accepted: ten seconds. */
    public static final int MAX_CAPACITY_FRAMES = 10 * SAMPLE_RATE;

    private final int capacity;
    private final float[] data;
    private boolean empty = true;
    private long start;
    private long end;
    private long resyncs;
    private long framesWritten;

    /**
     * Creates an empty ring.
     *
     * @param capacityFrames how many sample frames it keeps, {@code 1..}{@value #MAX_CAPACITY_FRAMES}
     */
    public SampleRing(int capacityFrames) {
        if (capacityFrames < 1 || capacityFrames > MAX_CAPACITY_FRAMES) {
            throw new IllegalArgumentException(
                    "capacity " + capacityFrames + " frames is outside 1.." + MAX_CAPACITY_FRAMES);
        }
        this.capacity = capacityFrames;
        this.data = new float[capacityFrames * CHANNELS];
    }

    /**
     * Converts a monotonic clock reading to a sample position.
     *
     * @param nanos a {@link System#nanoTime()} reading
     * @return the sample frame index at that instant, rounded down
     */
    public static long position(long nanos) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        long rem = Math.floorMod(nanos, 1_000_000_000L);
        return seconds * SAMPLE_RATE + rem * SAMPLE_RATE / 1_000_000_000L;
    }

    /**
     * Converts a number of sample frames to nanoseconds.
     *
     * @param frames sample frames
     * @return the duration in nanoseconds, rounded down
     */
    public static long nanos(long frames) {
        return frames * 1_000_000_000L / SAMPLE_RATE;
    }

    /**
     * Writes sample frames.
     *
     * @param position    the position of the first frame
     * @param interleaved the samples, left/right interleaved
     * @param offset      the index in {@code interleaved} of the first frame's left sample
     * @param frames      how many frames to write
     * @return the position at which the frames were written (after joining)
     */
    public synchronized long write(long position, float[] interleaved, int offset, int frames) {
        if (frames < 0 || offset < 0 || offset + (long) frames * CHANNELS > interleaved.length) {
            throw new IllegalArgumentException("frames " + frames + " at offset " + offset + " do not fit in "
                    + interleaved.length + " samples");
        }
        if (frames == 0) {
            return position;
        }
        long pos = position;
        if (empty) {
            empty = false;
            start = pos;
            end = pos;
        } else if (Math.abs(pos - end) <= JOIN_TOLERANCE_FRAMES) {
            pos = end;
        } else if (pos > end) {
            resyncs++;
            long gap = pos - end;
            if (gap >= capacity) {
                start = pos;
            } else {
                fill(end, (int) gap);
            }
            end = pos;
        } else {
            resyncs++;
            start = pos;
            end = pos;
        }
        int skip = Math.max(0, frames - capacity);
        int n = frames - skip;
        long at = pos + skip;
        int first = (int) Math.floorMod(at, (long) capacity);
        int run = Math.min(n, capacity - first);
        System.arraycopy(interleaved, offset + skip * CHANNELS, data, first * CHANNELS, run * CHANNELS);
        if (run < n) {
            System.arraycopy(interleaved, offset + (skip + run) * CHANNELS, data, 0, (n - run) * CHANNELS);
        }
        end = pos + frames;
        start = Math.max(start, end - capacity);
        framesWritten += frames;
        return pos;
    }

    private void fill(long from, int frames) {
        int first = (int) Math.floorMod(from, (long) capacity);
        int run = Math.min(frames, capacity - first);
        Arrays.fill(data, first * CHANNELS, (first + run) * CHANNELS, 0f);
        if (run < frames) {
            Arrays.fill(data, 0, (frames - run) * CHANNELS, 0f);
        }
    }

    /**
     * Reads sample frames; positions holding no sample read as 0.
     *
     * @param position the position of the first frame
     * @param dst      where to put the interleaved samples
     * @param offset   the index in {@code dst} of the first frame's left sample
     * @param frames   how many frames to read
     * @return how many of the frames held samples
     */
    public synchronized int read(long position, float[] dst, int offset, int frames) {
        if (frames < 0 || offset < 0 || offset + (long) frames * CHANNELS > dst.length) {
            throw new IllegalArgumentException("frames " + frames + " at offset " + offset + " do not fit in "
                    + dst.length + " samples");
        }
        Arrays.fill(dst, offset, offset + frames * CHANNELS, 0f);
        if (empty) {
            return 0;
        }
        long from = Math.max(position, start);
        long to = Math.min(position + frames, end);
        if (from >= to) {
            return 0;
        }
        int n = (int) (to - from);
        int dstFirst = offset + (int) (from - position) * CHANNELS;
        int first = (int) Math.floorMod(from, (long) capacity);
        int run = Math.min(n, capacity - first);
        System.arraycopy(data, first * CHANNELS, dst, dstFirst, run * CHANNELS);
        if (run < n) {
            System.arraycopy(data, 0, dst, dstFirst + run * CHANNELS, (n - run) * CHANNELS);
        }
        return n;
    }

    /** Forgets every sample (after a source restarts, for example). */
    public synchronized void clear() {
        empty = true;
    }

    /**
     * Returns the position after the last frame written.
     *
     * @return the end position, or {@link Long#MIN_VALUE} while empty
     */
    public synchronized long end() {
        return empty ? Long.MIN_VALUE : end;
    }

    /**
     * Returns the capacity.
     *
     * @return the capacity in sample frames
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Returns how often a write was not joined to the previous one.
     *
     * @return the count of jumps forward or back
     */
    public synchronized long resyncs() {
        return resyncs;
    }

    /**
     * Returns how many sample frames were written in total.
     *
     * @return the count
     */
    public synchronized long framesWritten() {
        return framesWritten;
    }
}
