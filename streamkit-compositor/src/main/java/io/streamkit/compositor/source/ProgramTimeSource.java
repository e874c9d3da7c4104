package io.streamkit.compositor.source;

/**
 * A source that can follow the program's clock instead of the wall clock, for a
 * {@link io.streamkit.compositor.program.Compositor} that renders as fast as it can
 * ({@link io.streamkit.compositor.program.Compositor.Pacing#AS_FAST_AS_POSSIBLE}). Such a source
 * stamps its frames and audio in program time, decodes only a few frames ahead of what the
 * program has shown (its decoder waits, so nothing decoded is thrown away), and lets the program
 * wait until the frame for a given time is known. {@link FfmpegSource} is one (files, lavfi graphs,
 * and network URLs, which then simply arrive at their own pace).
 */
public interface ProgramTimeSource extends MediaSource {

    /**
     * Switches to program time. Called by the compositor before {@link #start()}.
     *
     * @param startNanos the program time of the source's first frame
     */
    void followProgramTime(long startNanos);

    /**
     * Waits until the frame to show at a program time is decoded (or the source ended), then makes
     * it the frame {@link #takeFrame()} returns. Audio up to about that time is in the source's
     * {@link #audio() ring} when it returns.
     *
     * @param programNanos the program time
     * @param timeoutNanos the longest wait (a source that stalls must not stop the program)
     * @return {@code false} when the wait timed out
     * @throws InterruptedException when interrupted while waiting
     */
    boolean advanceTo(long programNanos, long timeoutNanos) throws InterruptedException;

    /**
     * Whether the source has nothing more to show at or after a program time: it ended for good
     * and its last frame is earlier than that time.
     *
     * @param programNanos the program time
     * @return whether the source is finished by then
     */
    boolean finishedBefore(long programNanos);
}
