package io.streamkit.compositor.scene;

import java.awt.Color;
import java.util.Objects;

/**
 * A rectangle filled with one colour (its alpha is combined with the layer's opacity): a panel
 * behind a lower third, a frame, a full-canvas background.
 *
 * @param id         the layer id
 * @param color      the fill colour
 * @param properties the common properties
 */
public record ColorLayer(String id, Color color, LayerProperties properties) implements Layer {

    /** Validates the layer. */
    public ColorLayer {
        Layer.checkId(id);
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(properties, "properties");
    }

    /**
     * Returns a colour layer with default properties.
     *
     * @param id     the layer id
     * @param color  the fill colour
     * @param bounds the filled rectangle, in canvas pixels
     * @return the layer
     */
    public static ColorLayer of(String id, Color color, Rect bounds) {
        return new ColorLayer(id, color, LayerProperties.of(bounds));
    }

    @Override
    public ColorLayer withProperties(LayerProperties newProperties) {
        return new ColorLayer(id, color, newProperties);
    }

    /**
     * Returns a copy with another colour.
     *
     * @param newColor the fill colour
     * @return the copy
     */
    public ColorLayer withColor(Color newColor) {
        return new ColorLayer(id, newColor, properties);
    }
}
