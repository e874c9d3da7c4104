package io.streamkit.compositor.scene;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * A layer showing a still image with alpha: a logo, a watermark, a background picture.
 *
 * @param id         the layer id
 * @param image      the immutable pixels
 * @param properties the common properties (crop is in image pixels)
 */
public record ImageLayer(String id, ImageData image, LayerProperties properties) implements Layer {

    /** Validates the layer. */
    public ImageLayer {
        Layer.checkId(id);
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(properties, "properties");
    }

    /**
     * Returns an image layer with default properties; the image is copied.
     *
     * @param id     the layer id
     * @param image  the image
     * @param bounds where it is drawn, in canvas pixels
     * @return the layer
     */
    public static ImageLayer of(String id, BufferedImage image, Rect bounds) {
        return new ImageLayer(id, ImageData.of(image), LayerProperties.of(bounds));
    }

    /**
     * Returns an image layer from PNG or JPEG bytes, with default properties.
     *
     * @param id      the layer id
     * @param encoded the encoded image
     * @param bounds  where it is drawn, in canvas pixels
     * @return the layer
     * @throws IllegalArgumentException when the bytes are not a readable image; see
     *                                  {@link ImageData#decode(byte[])}
     */
    public static ImageLayer decode(String id, byte[] encoded, Rect bounds) {
        return new ImageLayer(id, ImageData.decode(encoded), LayerProperties.of(bounds));
    }

    @Override
    public ImageLayer withProperties(LayerProperties newProperties) {
        return new ImageLayer(id, image, newProperties);
    }
}
