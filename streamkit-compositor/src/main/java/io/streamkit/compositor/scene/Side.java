package io.streamkit.compositor.scene;

/** A side of the canvas, from which a sliding scene enters. */
public enum Side {
    /** The left edge. */
    LEFT,
    /** The right edge. */
    RIGHT,
    /** The top edge. */
    TOP,
    /** The bottom edge. */
    BOTTOM
}
