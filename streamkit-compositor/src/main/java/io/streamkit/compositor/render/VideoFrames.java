package io.streamkit.compositor.render;

import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.Objects;

/**
 * Gives the renderer the current frame of each video source. Called on the render thread once per
 * video layer per frame; it must not block.
 */
@FunctionalInterface
public interface VideoFrames {

    /** A lookup in which no source has a frame: every video layer shows its last frame or a placeholder. */
    VideoFrames NONE = sourceId -> null;

    /**
     * Returns the newest frame of a source. The renderer only reads the image, during the current
     * {@code render} call and, while the source gives no newer frame, in later ones (it shows the
     * last frame of a stalled source), so an image handed over must not be overwritten while it
     * is the source's last frame.
     *
     * @param sourceId the source id of a {@link io.streamkit.compositor.scene.VideoLayer}
     * @return the frame, or null when the source has no new frame
     */
    BufferedImage frame(String sourceId);

    /**
     * Returns a lookup in a map.
     *
     * @param frames frames by source id; read at each lookup, not copied
     * @return the lookup
     */
    static VideoFrames of(Map<String, BufferedImage> frames) {
        Objects.requireNonNull(frames, "frames");
        return frames::get;
    }
}
