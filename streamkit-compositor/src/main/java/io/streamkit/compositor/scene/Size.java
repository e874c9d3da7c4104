package io.streamkit.compositor.scene;

/**
 * A width and a height in pixels, both at least 1.
 *
 * @param width  width in pixels, {@code 1..}{@value #MAX}
 * @param height height in pixels, {@code 1..}{@value #MAX}
 */
public record Size(int width, int height) {

    /** The largest width or height accepted, in pixels. */
    public static final int MAX = 1 << 16;

    /** Validates both dimensions. */
    public Size {
        if (width < 1 || width > MAX) {
            throw new IllegalArgumentException("width " + width + " is outside 1.." + MAX);
        }
        if (height < 1 || height > MAX) {
            throw new IllegalArgumentException("height " + height + " is outside 1.." + MAX);
        }
    }

    /**
     * Returns the aspect ratio, width divided by height.
     *
     * @return {@code width / height}
     */
    public double aspect() {
        return (double) width / height;
    }
}
