package io.streamkit.compositor.program;

/**
 * The program clock: tick {@code k} is due at {@code start + k / fps} on the monotonic clock, so
 * pacing never drifts however long each frame takes. When the compose thread reaches a tick a full
 * frame period or more after it was due, the ticks already past are skipped (and counted) rather
 * than rendered in a burst: the clock never waits for the pipeline. Not thread-safe.
 */
final class FramePacer {

    private final long start;
    private final double periodNanos;
    private long tick;
    private long skipped;

    FramePacer(long startNanos, double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("frame rate " + fps + " must be positive");
        }
        this.start = startNanos;
        this.periodNanos = 1e9 / fps;
    }

    /** Returns the index of the tick to render next. */
    long tick() {
        return tick;
    }

    /** Returns when the current tick is due. */
    long due() {
        return dueOf(tick);
    }

    long dueOf(long k) {
        return start + Math.round(k * periodNanos);
    }

    /**
     * Skips the ticks that are a full period or more in the past at {@code now}.
     *
     * @param now the clock now, at or after {@link #due()}
     * @return how many ticks were skipped
     */
    long catchUp(long now) {
        long late = now - due();
        if (late < periodNanos) {
            return 0;
        }
        long target = (long) Math.floor((now - start) / periodNanos);
        long n = Math.max(0, target - tick);
        tick += n;
        skipped += n;
        return n;
    }

    /** Moves to the next tick after rendering. */
    void advance() {
        tick++;
    }

    /** Returns the ticks skipped so far. */
    long skipped() {
        return skipped;
    }
}
