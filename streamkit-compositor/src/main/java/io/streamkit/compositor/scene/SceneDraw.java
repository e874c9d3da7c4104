package io.streamkit.compositor.scene;

import java.util.Objects;

/**
 * One step of drawing a frame: a whole scene (background and layers), moved by an offset and
 * blended with an opacity. A frame is a list of these, drawn in order on the canvas; a still scene
 * is one step, a {@link Transition} returns two.
 *
 * @param scene   the scene
 * @param offsetX horizontal offset in canvas pixels
 * @param offsetY vertical offset in canvas pixels
 * @param opacity {@code 0..1}, how the drawn scene is blended over the previous steps
 */
public record SceneDraw(Scene scene, int offsetX, int offsetY, double opacity) {

    /** Validates the step. */
    public SceneDraw {
        Objects.requireNonNull(scene, "scene");
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity " + opacity + " is outside 0..1");
        }
    }

    /**
     * Returns the step that draws a scene as it is.
     *
     * @param scene the scene
     * @return the step, no offset, opaque
     */
    public static SceneDraw of(Scene scene) {
        return new SceneDraw(scene, 0, 0, 1);
    }
}
