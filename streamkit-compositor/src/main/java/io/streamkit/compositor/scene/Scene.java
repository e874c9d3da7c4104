package io.streamkit.compositor.scene;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * An immutable snapshot of what the compositor draws: the canvas size, the frame rate, the
 * background colour and the ordered layers. Build one with {@link #builder(int, int)}; derive a
 * changed copy with {@link #toBuilder()} or the {@code with...} shortcuts. A live scene is changed
 * through a {@link SceneHolder}, which swaps whole snapshots atomically.
 *
 * <p>
 * Layers are drawn in ascending {@link LayerProperties#zOrder()}; layers with equal z-order are
 * drawn in list order (later on top). Hidden layers are kept but not drawn.
 */
public final class Scene {

    /** The smallest canvas width or height, in pixels. */
    public static final int MIN_CANVAS = 16;
    /** The largest canvas width or height, in pixels. */
    public static final int MAX_CANVAS = 8192;
    /** The highest frame rate, in frames per second. */
    public static final double MAX_FRAME_RATE = 240;
    /** The largest number of layers in a scene. */
    public static final int MAX_LAYERS = 256;

    private static final Comparator<Layer> BY_Z = Comparator.comparingInt(l -> l.properties().zOrder());

    private final int width;
    private final int height;
    private final double frameRate;
    private final Color background;
    private final List<Layer> layers;
    private final List<Layer> drawOrder;

    private Scene(Builder b) {
        this.width = b.width;
        this.height = b.height;
        this.frameRate = b.frameRate;
        this.background = b.background;
        this.layers = List.copyOf(b.layers);
        List<Layer> visible = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer.properties().visible() && layer.properties().opacity() > 0) {
                visible.add(layer);
            }
        }
        visible.sort(BY_Z); // stable: equal z-order keeps list order
        this.drawOrder = List.copyOf(visible);
    }

    /**
     * Starts a scene of the given canvas size, 30 frames per second, black background, no layers.
     *
     * @param width  canvas width in pixels, {@value #MIN_CANVAS}..{@value #MAX_CANVAS}
     * @param height canvas height in pixels, {@value #MIN_CANVAS}..{@value #MAX_CANVAS}
     * @return the builder
     */
    public static Builder builder(int width, int height) {
        return new Builder().canvas(width, height);
    }

    /**
     * Returns a builder holding this scene's values.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder().canvas(width, height).frameRate(frameRate).background(background);
        b.layers.addAll(layers);
        return b;
    }

    /**
     * Returns the canvas width.
     *
     * @return the width in pixels
     */
    public int width() {
        return width;
    }

    /**
     * Returns the canvas height.
     *
     * @return the height in pixels
     */
    public int height() {
        return height;
    }

    /**
     * Returns the canvas size.
     *
     * @return the size in pixels
     */
    public Size canvas() {
        return new Size(width, height);
    }

    /**
     * Returns the frame rate the scene is rendered at.
     *
     * @return frames per second
     */
    public double frameRate() {
        return frameRate;
    }

    /**
     * Returns the colour of the canvas where no layer is drawn.
     *
     * @return the opaque background colour
     */
    public Color background() {
        return background;
    }

    /**
     * Returns all layers, in list order.
     *
     * @return the unmodifiable list
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Returns the layers that are drawn (visible, opacity above 0), bottom first.
     *
     * @return the unmodifiable list, in drawing order
     */
    public List<Layer> drawOrder() {
        return drawOrder;
    }

    /**
     * Finds a layer by id.
     *
     * @param id the layer id
     * @return the layer, or empty
     */
    public Optional<Layer> layer(String id) {
        for (Layer layer : layers) {
            if (layer.id().equals(id)) {
                return Optional.of(layer);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns a copy in which one layer is replaced by the result of {@code change}.
     *
     * @param id     the layer id
     * @param change computes the new layer (it must keep the id)
     * @return the new scene
     * @throws IllegalArgumentException when there is no such layer
     */
    public Scene withLayer(String id, UnaryOperator<Layer> change) {
        return toBuilder().updateLayer(id, change).build();
    }

    /**
     * Returns a copy in which a text layer shows another text: the way to drive a clock or a
     * changing lower third.
     *
     * @param id   the id of a {@link TextLayer}
     * @param text the new text
     * @return the new scene
     * @throws IllegalArgumentException when there is no such layer or it is not a text layer
     */
    public Scene withText(String id, String text) {
        return withLayer(id, layer -> {
            if (layer instanceof TextLayer t) {
                return t.withText(text);
            }
            throw new IllegalArgumentException("layer '" + id + "' is a " + layer.getClass().getSimpleName()
                    + ", not a TextLayer");
        });
    }

    /**
     * Returns a copy with a layer shown or hidden.
     *
     * @param id      the layer id
     * @param visible whether it is drawn
     * @return the new scene
     * @throws IllegalArgumentException when there is no such layer
     */
    public Scene withVisible(String id, boolean visible) {
        return withLayer(id, layer -> layer.withVisible(visible));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scene s && s.width == width && s.height == height
                && Double.compare(s.frameRate, frameRate) == 0 && s.background.equals(background)
                && s.layers.equals(layers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, frameRate, background, layers);
    }

    @Override
    public String toString() {
        return "Scene[" + width + "x" + height + " @" + frameRate + " fps, " + layers.size() + " layers]";
    }

    /** Builds a {@link Scene}; validation runs in the setters and in {@link #build()}. */
    public static final class Builder {
        private int width;
        private int height;
        private double frameRate = 30;
        private Color background = Color.BLACK;
        private final List<Layer> layers = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the canvas size.
         *
         * @param newWidth  width in pixels, {@value #MIN_CANVAS}..{@value #MAX_CANVAS}
         * @param newHeight height in pixels, {@value #MIN_CANVAS}..{@value #MAX_CANVAS}
         * @return this builder
         */
        public Builder canvas(int newWidth, int newHeight) {
            if (newWidth < MIN_CANVAS || newWidth > MAX_CANVAS) {
                throw new IllegalArgumentException(
                        "canvas width " + newWidth + " is outside " + MIN_CANVAS + ".." + MAX_CANVAS);
            }
            if (newHeight < MIN_CANVAS || newHeight > MAX_CANVAS) {
                throw new IllegalArgumentException(
                        "canvas height " + newHeight + " is outside " + MIN_CANVAS + ".." + MAX_CANVAS);
            }
            this.width = newWidth;
            this.height = newHeight;
            return this;
        }

        /**
         * Sets the frame rate.
         *
         * @param fps frames per second, above 0 and at most {@value #MAX_FRAME_RATE}
         * @return this builder
         */
        public Builder frameRate(double fps) {
            if (!(fps > 0 && fps <= MAX_FRAME_RATE)) {
                throw new IllegalArgumentException("frame rate " + fps + " is outside (0, " + MAX_FRAME_RATE + "]");
            }
            this.frameRate = fps;
            return this;
        }

        /**
         * Sets the background colour.
         *
         * @param color an opaque colour
         * @return this builder
         */
        public Builder background(Color color) {
            Objects.requireNonNull(color, "color");
            if (color.getAlpha() != 255) {
                throw new IllegalArgumentException("background colour must be opaque, alpha is " + color.getAlpha());
            }
            this.background = color;
            return this;
        }

        /**
         * Appends a layer (on top of the layers with the same z-order).
         *
         * @param layer the layer; its id must not be in use
         * @return this builder
         */
        public Builder addLayer(Layer layer) {
            Objects.requireNonNull(layer, "layer");
            if (indexOf(layer.id()) >= 0) {
                throw new IllegalArgumentException("a layer with id '" + layer.id() + "' is already in the scene");
            }
            if (layers.size() >= MAX_LAYERS) {
                throw new IllegalArgumentException("a scene holds at most " + MAX_LAYERS + " layers");
            }
            layers.add(layer);
            return this;
        }

        /**
         * Replaces the layer that has the same id, keeping its place in the list.
         *
         * @param layer the new layer
         * @return this builder
         */
        public Builder replaceLayer(Layer layer) {
            Objects.requireNonNull(layer, "layer");
            layers.set(require(layer.id()), layer);
            return this;
        }

        /**
         * Replaces a layer by the result of {@code change}, keeping its place in the list.
         *
         * @param id     the layer id
         * @param change computes the new layer; it must keep the id
         * @return this builder
         */
        public Builder updateLayer(String id, UnaryOperator<Layer> change) {
            int i = require(id);
            Layer changed = Objects.requireNonNull(change.apply(layers.get(i)), "changed layer");
            if (!changed.id().equals(id)) {
                throw new IllegalArgumentException("updating layer '" + id + "' changed its id to '" + changed.id()
                        + "'");
            }
            layers.set(i, changed);
            return this;
        }

        /**
         * Removes a layer.
         *
         * @param id the layer id
         * @return this builder
         */
        public Builder removeLayer(String id) {
            layers.remove(require(id));
            return this;
        }

        /**
         * Removes all layers.
         *
         * @return this builder
         */
        public Builder clearLayers() {
            layers.clear();
            return this;
        }

        /**
         * Returns the layers added so far.
         *
         * @return an unmodifiable copy
         */
        public List<Layer> layers() {
            return List.copyOf(layers);
        }

        /**
         * Builds the snapshot.
         *
         * @return the scene
         */
        public Scene build() {
            Set<String> ids = new HashSet<>();
            for (Layer layer : layers) {
                if (!ids.add(layer.id())) {
                    throw new IllegalArgumentException("layer id '" + layer.id() + "' is used twice");
                }
            }
            return new Scene(this);
        }

        private int indexOf(String id) {
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i).id().equals(id)) {
                    return i;
                }
            }
            return -1;
        }

        private int require(String id) {
            int i = indexOf(id);
            if (i < 0) {
                throw new IllegalArgumentException("the scene has no layer with id '" + id + "'");
            }
            return i;
        }
    }
}
