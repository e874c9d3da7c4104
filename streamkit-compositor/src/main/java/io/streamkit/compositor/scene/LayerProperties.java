package io.streamkit.compositor.scene;

import java.util.Objects;
import java.util.Optional;

/**
 * The properties every layer has: where it is, what part of its source it shows, how that part is
 * scaled, its stacking order, opacity and visibility.
 *
 * @param bounds    where the layer is drawn, in canvas pixels
 * @param crop      the region of the source shown, in source pixels; empty for the whole source
 *                  (clipped to the source at render time; ignored by text and colour layers)
 * @param scaleMode how the (cropped) source fits the bounds; ignored by text and colour layers
 * @param zOrder    stacking order: higher is drawn later (on top); equal values keep the scene's
 *                  layer order
 * @param opacity   {@code 0..1}; 0 is invisible, 1 is opaque
 * @param visible   false hides the layer without removing it
 */
public record LayerProperties(Rect bounds, Optional<Rect> crop, ScaleMode scaleMode, int zOrder, double opacity,
        boolean visible) {

    /** Validates the properties. */
    public LayerProperties {
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(crop, "crop (use Optional.empty() for none)");
        Objects.requireNonNull(scaleMode, "scaleMode");
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity " + opacity + " is outside 0..1");
        }
        if (crop.isPresent() && (crop.get().x() < 0 || crop.get().y() < 0)) {
            throw new IllegalArgumentException("crop " + crop.get() + " starts at a negative source coordinate");
        }
    }

    /**
     * Returns the defaults for the given bounds: no crop, {@link ScaleMode#FIT}, z-order 0,
     * opaque, visible.
     *
     * @param bounds where the layer is drawn, in canvas pixels
     * @return the default properties
     */
    public static LayerProperties of(Rect bounds) {
        return new LayerProperties(bounds, Optional.empty(), ScaleMode.FIT, 0, 1.0, true);
    }

    /**
     * Returns a copy with other bounds.
     *
     * @param newBounds the bounds, in canvas pixels
     * @return the copy
     */
    public LayerProperties withBounds(Rect newBounds) {
        return new LayerProperties(newBounds, crop, scaleMode, zOrder, opacity, visible);
    }

    /**
     * Returns a copy with a crop region, or none.
     *
     * @param newCrop the region in source pixels, or empty for the whole source
     * @return the copy
     */
    public LayerProperties withCrop(Optional<Rect> newCrop) {
        return new LayerProperties(bounds, newCrop, scaleMode, zOrder, opacity, visible);
    }

    /**
     * Returns a copy with another scale mode.
     *
     * @param newMode the scale mode
     * @return the copy
     */
    public LayerProperties withScaleMode(ScaleMode newMode) {
        return new LayerProperties(bounds, crop, newMode, zOrder, opacity, visible);
    }

    /**
     * Returns a copy with another z-order.
     *
     * @param newZOrder the z-order
     * @return the copy
     */
    public LayerProperties withZOrder(int newZOrder) {
        return new LayerProperties(bounds, crop, scaleMode, newZOrder, opacity, visible);
    }

    /**
     * Returns a copy with another opacity.
     *
     * @param newOpacity the opacity, {@code 0..1}
     * @return the copy
     */
    public LayerProperties withOpacity(double newOpacity) {
        return new LayerProperties(bounds, crop, scaleMode, zOrder, newOpacity, visible);
    }

    /**
     * Returns a copy shown or hidden.
     *
     * @param newVisible whether the layer is drawn
     * @return the copy
     */
    public LayerProperties withVisible(boolean newVisible) {
        return new LayerProperties(bounds, crop, scaleMode, zOrder, opacity, newVisible);
    }
}
