package io.streamkit.compositor.scene;

import java.util.Objects;

/**
 * A layer showing the current frame of a video source (a camera, a remote guest, a screen),
 * named by {@code sourceId}. The renderer receives the frames by source id; a source without a
 * frame shows its last frame, or a placeholder before its first one.
 *
 * @param id         the layer id
 * @param sourceId   the video source shown
 * @param properties the common properties
 */
public record VideoLayer(String id, String sourceId, LayerProperties properties) implements Layer {

    /** Validates the layer. */
    public VideoLayer {
        Layer.checkId(id);
        if (sourceId == null || sourceId.isBlank()) {
            throw new IllegalArgumentException("video layer '" + id + "' has a blank source id");
        }
        Objects.requireNonNull(properties, "properties");
    }

    /**
     * Returns a video layer whose id is the source id, with default properties.
     *
     * @param sourceId the video source (also the layer id)
     * @param bounds   where it is drawn, in canvas pixels
     * @return the layer
     */
    public static VideoLayer of(String sourceId, Rect bounds) {
        return new VideoLayer(sourceId, sourceId, LayerProperties.of(bounds));
    }

    @Override
    public VideoLayer withProperties(LayerProperties newProperties) {
        return new VideoLayer(id, sourceId, newProperties);
    }
}
