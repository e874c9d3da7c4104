package io.streamkit.compositor.scene;

/**
 * An integer rectangle in pixels: top-left corner ({@code x}, {@code y}) and a positive size. Used
 * for layer bounds (canvas pixels; the corner may be negative or beyond the canvas, which clips
 * the layer) and crop regions (source pixels).
 *
 * @param x      left edge, {@code -}{@value #LIMIT}{@code ..}{@value #LIMIT}
 * @param y      top edge, {@code -}{@value #LIMIT}{@code ..}{@value #LIMIT}
 * @param width  width, {@code 1..}{@value Size#MAX}
 * @param height height, {@code 1..}{@value Size#MAX}
 */
public record Rect(int x, int y, int width, int height) {

    /** The largest absolute value of a corner coordinate. */
    public static final int LIMIT = 1 << 20;

    /** Validates the corner and the size. */
    public Rect {
        if (Math.abs((long) x) > LIMIT || Math.abs((long) y) > LIMIT) {
            throw new IllegalArgumentException("corner (" + x + ", " + y + ") is outside +-" + LIMIT);
        }
        if (width < 1 || width > Size.MAX) {
            throw new IllegalArgumentException("width " + width + " is outside 1.." + Size.MAX);
        }
        if (height < 1 || height > Size.MAX) {
            throw new IllegalArgumentException("height " + height + " is outside 1.." + Size.MAX);
        }
    }

    /**
     * Returns a rectangle at the origin with the given size.
     *
     * @param size the size
     * @return {@code (0, 0, size.width, size.height)}
     */
    public static Rect of(Size size) {
        return new Rect(0, 0, size.width(), size.height());
    }

    /**
     * Returns the exclusive right edge.
     *
     * @return {@code x + width}
     */
    public int right() {
        return x + width;
    }

    /**
     * Returns the exclusive bottom edge.
     *
     * @return {@code y + height}
     */
    public int bottom() {
        return y + height;
    }

    /**
     * Returns the size of this rectangle.
     *
     * @return the width and height
     */
    public Size size() {
        return new Size(width, height);
    }

    /**
     * Tells whether {@code other} lies entirely inside this rectangle (edges may touch).
     *
     * @param other the rectangle to test
     * @return true when {@code other} is contained
     */
    public boolean contains(Rect other) {
        return other.x >= x && other.y >= y && other.right() <= right() && other.bottom() <= bottom();
    }

    /**
     * Tells whether this rectangle and {@code other} share at least one pixel.
     *
     * @param other the rectangle to test
     * @return true when the interiors overlap
     */
    public boolean intersects(Rect other) {
        return other.x < right() && x < other.right() && other.y < bottom() && y < other.bottom();
    }

    /**
     * Returns this rectangle moved by ({@code dx}, {@code dy}).
     *
     * @param dx horizontal offset
     * @param dy vertical offset
     * @return the moved rectangle
     */
    public Rect translate(int dx, int dy) {
        return new Rect(x + dx, y + dy, width, height);
    }
}
