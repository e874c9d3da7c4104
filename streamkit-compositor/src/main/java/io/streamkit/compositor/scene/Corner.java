package io.streamkit.compositor.scene;

/** A corner of the canvas, for a picture-in-picture inset. */
public enum Corner {
    /** Top left. */
    TOP_LEFT,
    /** Top right. */
    TOP_RIGHT,
    /** Bottom left. */
    BOTTOM_LEFT,
    /** Bottom right. */
    BOTTOM_RIGHT
}
