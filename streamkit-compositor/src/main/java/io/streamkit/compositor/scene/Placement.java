package io.streamkit.compositor.scene;

import java.util.Objects;

/**
 * Where a {@link Layout} puts one video source.
 *
 * @param sourceId the video source
 * @param bounds   its rectangle on the canvas, in canvas pixels
 * @param zOrder   its stacking order (an inset is above the main picture)
 */
public record Placement(String sourceId, Rect bounds, int zOrder) {

    /** Validates the placement. */
    public Placement {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(bounds, "bounds");
    }
}
