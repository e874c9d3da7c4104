package io.streamkit.compositor.scene;

/** Horizontal alignment of a {@link TextLayer}'s lines and of its background box in the bounds. */
public enum TextAlignment {
    /** Against the left edge of the bounds. */
    LEFT,
    /** Centred in the bounds. */
    CENTER,
    /** Against the right edge of the bounds. */
    RIGHT
}
