package io.streamkit.compositor.scene;

import java.util.List;

/**
 * An animated change from one scene to another, as a pure function of the progress: the frame at
 * progress {@code p} is the list of {@link SceneDraw}s returned for {@code p}. Built-in ones are in
 * {@link Transitions}; {@link SceneHolder#transitionTo} plays one over a duration.
 */
@FunctionalInterface
public interface Transition {

    /**
     * Returns how to draw the frame at a given progress.
     *
     * @param from     the scene shown before the transition
     * @param to       the scene shown after it; same canvas size as {@code from}
     * @param progress {@code 0..1}; 0 shows {@code from}, 1 shows {@code to}
     * @return the steps to draw, in order, at least one
     */
    List<SceneDraw> draws(Scene from, Scene to, double progress);
}
