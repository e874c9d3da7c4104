package io.streamkit.compositor.internal;

/**
 * Maps a source's media timestamps onto the monotonic clock: the first timestamp is anchored to
 * the time it is seen (or to a time set with {@link #continueAt(long)} after a loop), later ones
 * keep their distance to it. A timestamp that maps too far into the past (the source stalled, or
 * its clock jumped) or the future re-anchors at once: this is a resync, counted. Not thread-safe:
 * used by the source's decode thread.
 */
public final class MediaClock {

    private final long maxLateNanos;
    private final long maxEarlyNanos;
    private boolean anchored;
    private long anchorWall;
    private long anchorMedia;
    private long pendingWall = Long.MIN_VALUE;
    private long resyncs;

    /**
     * Creates a clock.
     *
     * @param maxLateNanos  how far in the past a timestamp may map before re-anchoring
     * @param maxEarlyNanos how far in the future a timestamp may map before re-anchoring
     */
    public MediaClock(long maxLateNanos, long maxEarlyNanos) {
        this.maxLateNanos = maxLateNanos;
        this.maxEarlyNanos = maxEarlyNanos;
    }

    /**
     * Maps a media timestamp.
     *
     * @param mediaNanos the timestamp, in nanoseconds of the source's timeline
     * @param now        the monotonic clock now
     * @return the monotonic time at which the media timestamp is shown
     */
    public long wallTime(long mediaNanos, long now) {
        if (!anchored) {
            anchored = true;
            anchorWall = pendingWall != Long.MIN_VALUE ? pendingWall : now;
            pendingWall = Long.MIN_VALUE;
            anchorMedia = mediaNanos;
        }
        long wall = anchorWall + (mediaNanos - anchorMedia);
        if (wall < now - maxLateNanos || wall > now + maxEarlyNanos) {
            resyncs++;
            anchorWall = now;
            anchorMedia = mediaNanos;
            wall = now;
        }
        return wall;
    }

    /**
     * Forgets the anchor; the next timestamp anchors at {@code wall} (a file that loops continues
     * right after its last frame).
     *
     * @param wall the monotonic time of the next timestamp
     */
    public void continueAt(long wall) {
        anchored = false;
        pendingWall = wall;
    }

    /** Forgets the anchor; the next timestamp anchors at the time it is seen. */
    public void reset() {
        anchored = false;
        pendingWall = Long.MIN_VALUE;
    }

    /**
     * Returns how often the clock re-anchored because a timestamp was too late or too early.
     *
     * @return the count
     */
    public long resyncs() {
        return resyncs;
    }
}
