package io.streamkit.compositor.render;

/**
 * How the renderer resamples video frames and images drawn at another size than their own.
 * Measured on one core of the build machine, four 1280x720 frames scaled into a 1920x1080
 * canvas: {@link #FAST} about 3 ms per frame, {@link #SMOOTH} about 27 ms (Java2D has no
 * accelerated bilinear loop for these image types).
 */
public enum ScalingQuality {
    /** Nearest-neighbour sampling: cheap; shows aliasing on strong downscaling. */
    FAST,
    /** Bilinear sampling: smoother, about ten times as expensive; for low frame rates or previews. */
    SMOOTH
}
