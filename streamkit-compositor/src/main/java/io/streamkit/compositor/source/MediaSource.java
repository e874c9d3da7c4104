package io.streamkit.compositor.source;

import io.streamkit.compositor.audio.SampleRing;
import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * A picture and sound feeding the compositor: a camera, a file, a remote guest, an image. The
 * program's {@link io.streamkit.compositor.render.VideoFrames} asks each source for its newest
 * frame by {@link #id()}, which is the source id of the scene's video layers; the mixer reads its
 * {@link #audio()} by the same id.
 *
 * <p>
 * A source decodes on its own thread from {@link #start()} until {@link #close()} and never blocks
 * the caller of {@link #takeFrame()}. Implementations must be thread-safe.
 */
public interface MediaSource extends AutoCloseable {

    /**
     * Returns the source id.
     *
     * @return the id used by video layers and the mixer
     */
    String id();

    /** Starts decoding; calling it again does nothing. */
    void start();

    /**
     * Takes the newest frame if there is one the caller has not taken yet. Called by the render
     * thread; the image stays untouched until the next call returns another one (it may be drawn
     * again meanwhile as the last frame). After a stall timeout a placeholder image is returned
     * once.
     *
     * @return the frame, or {@code null} when nothing new
     */
    BufferedImage takeFrame();

    /**
     * Returns the source's audio as 48 kHz stereo samples.
     *
     * @return the ring, or empty for a source without audio
     */
    Optional<SampleRing> audio();

    /**
     * Returns the state.
     *
     * @return the state now
     */
    SourceState state();

    /**
     * Returns the counters.
     *
     * @return a snapshot
     */
    SourceStats stats();

    /** Stops decoding and releases every native resource; idempotent. */
    @Override
    void close();
}
