package io.streamkit.compositor.scene;

import java.util.Optional;

/**
 * One element of a {@link Scene}: a video source, an image, a text or a plain colour. Layers are
 * immutable; the {@code with...} methods return modified copies. Every layer has an id that is
 * unique within its scene.
 */
public sealed interface Layer permits VideoLayer, ImageLayer, TextLayer, ColorLayer {

    /** The longest layer id accepted, in characters. */
    int MAX_ID_LENGTH = 128;

    /**
     * Returns the id of this layer, unique within its scene.
     *
     * @return the id
     */
    String id();

    /**
     * Returns the common properties (bounds, crop, scale mode, z-order, opacity, visibility).
     *
     * @return the properties
     */
    LayerProperties properties();

    /**
     * Returns a copy of this layer with other common properties.
     *
     * @param properties the new properties
     * @return the copy, of the same layer type
     */
    Layer withProperties(LayerProperties properties);

    /**
     * Returns a copy with other bounds.
     *
     * @param bounds the bounds, in canvas pixels
     * @return the copy
     */
    default Layer withBounds(Rect bounds) {
        return withProperties(properties().withBounds(bounds));
    }

    /**
     * Returns a copy showing only a region of the source.
     *
     * @param crop the region, in source pixels
     * @return the copy
     */
    default Layer withCrop(Rect crop) {
        return withProperties(properties().withCrop(Optional.of(crop)));
    }

    /**
     * Returns a copy with another scale mode.
     *
     * @param scaleMode the scale mode
     * @return the copy
     */
    default Layer withScaleMode(ScaleMode scaleMode) {
        return withProperties(properties().withScaleMode(scaleMode));
    }

    /**
     * Returns a copy with another z-order.
     *
     * @param zOrder the z-order (higher is on top)
     * @return the copy
     */
    default Layer withZOrder(int zOrder) {
        return withProperties(properties().withZOrder(zOrder));
    }

    /**
     * Returns a copy with another opacity.
     *
     * @param opacity the opacity, {@code 0..1}
     * @return the copy
     */
    default Layer withOpacity(double opacity) {
        return withProperties(properties().withOpacity(opacity));
    }

    /**
     * Returns a copy shown or hidden.
     *
     * @param visible whether the layer is drawn
     * @return the copy
     */
    default Layer withVisible(boolean visible) {
        return withProperties(properties().withVisible(visible));
    }

    /**
     * Validates a layer id.
     *
     * @param id the id
     * @return the id
     * @throws IllegalArgumentException when it is blank or too long
     */
    static String checkId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("layer id must not be blank");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(
                    "layer id is " + id.length() + " characters long, more than " + MAX_ID_LENGTH);
        }
        return id;
    }
}
