package io.streamkit.compositor.scene;

/**
 * How a layer's content (a video frame or an image, after cropping) is fitted into the layer's
 * bounds.
 */
public enum ScaleMode {
    /**
     * Scale to fit entirely inside the bounds, keeping the aspect ratio; the rest of the bounds
     * stays transparent (what is underneath, usually the background, shows: letterboxing).
     */
    FIT,
    /**
     * Scale to cover the bounds entirely, keeping the aspect ratio; what overflows is cropped
     * evenly on both sides.
     */
    FILL,
    /** Scale to the bounds exactly, ignoring the aspect ratio. */
    STRETCH;

    /**
     * Returns where the content is drawn on the canvas. {@link #FIT} centres a rectangle with the
     * content's aspect ratio (within one pixel of rounding) inside {@code bounds}; the other modes
     * return {@code bounds}.
     *
     * @param content the size of the content after cropping
     * @param bounds  the layer's bounds
     * @return the destination rectangle, inside {@code bounds}
     */
    public Rect destination(Size content, Rect bounds) {
        if (this != FIT) {
            return bounds;
        }
        double scale = Math.min((double) bounds.width() / content.width(),
                (double) bounds.height() / content.height());
        int w = clamp((int) Math.round(content.width() * scale), bounds.width());
        int h = clamp((int) Math.round(content.height() * scale), bounds.height());
        return new Rect(bounds.x() + (bounds.width() - w) / 2, bounds.y() + (bounds.height() - h) / 2, w, h);
    }

    /**
     * Returns the part of the content that is drawn. {@link #FILL} returns the centred region of
     * {@code crop} that has the aspect ratio of {@code bounds}; the other modes return
     * {@code crop}.
     *
     * @param crop   the region of the source that is shown, in source pixels
     * @param bounds the layer's bounds
     * @return the source rectangle, inside {@code crop}
     */
    public Rect source(Rect crop, Rect bounds) {
        if (this != FILL) {
            return crop;
        }
        double scale = Math.max((double) bounds.width() / crop.width(), (double) bounds.height() / crop.height());
        int w = clamp((int) Math.round(bounds.width() / scale), crop.width());
        int h = clamp((int) Math.round(bounds.height() / scale), crop.height());
        return new Rect(crop.x() + (crop.width() - w) / 2, crop.y() + (crop.height() - h) / 2, w, h);
    }

    private static int clamp(int value, int max) {
        return Math.max(1, Math.min(value, max));
    }
}
