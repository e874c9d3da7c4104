package io.streamkit.compositor.scene;

import java.util.List;
import java.util.Objects;

/** The built-in {@link Transition}s: cut, cross-fade and slide. */
public final class Transitions {

    private Transitions() {
    }

    /**
     * Switches at once: every progress shows the new scene.
     *
     * @return the transition
     */
    public static Transition cut() {
        return (from, to, progress) -> {
            check(from, to, progress);
            return List.of(SceneDraw.of(to));
        };
    }

    /**
     * Cross-fades: the new scene is drawn over the old one with opacity {@code progress}, so each
     * pixel is {@code (1 - p) * old + p * new}.
     *
     * @return the transition
     */
    public static Transition fade() {
        return (from, to, progress) -> {
            check(from, to, progress);
            if (progress <= 0) {
                return List.of(SceneDraw.of(from));
            }
            if (progress >= 1) {
                return List.of(SceneDraw.of(to));
            }
            return List.of(SceneDraw.of(from), new SceneDraw(to, 0, 0, progress));
        };
    }

    /**
     * Slides: the new scene enters from {@code side} and pushes the old one out on the opposite
     * side, with an ease-in-out curve.
     *
     * @param side where the new scene comes from
     * @return the transition
     */
    public static Transition slide(Side side) {
        Objects.requireNonNull(side, "side");
        return (from, to, progress) -> {
            check(from, to, progress);
            if (progress <= 0) {
                return List.of(SceneDraw.of(from));
            }
            if (progress >= 1) {
                return List.of(SceneDraw.of(to));
            }
            double eased = progress * progress * (3 - 2 * progress);
            int dx = side == Side.LEFT ? -1 : side == Side.RIGHT ? 1 : 0;
            int dy = side == Side.TOP ? -1 : side == Side.BOTTOM ? 1 : 0;
            int moveX = (int) Math.round(eased * to.width());
            int moveY = (int) Math.round(eased * to.height());
            return List.of(new SceneDraw(from, -dx * moveX, -dy * moveY, 1),
                    new SceneDraw(to, dx * (to.width() - moveX), dy * (to.height() - moveY), 1));
        };
    }

    private static void check(Scene from, Scene to, double progress) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.width() != to.width() || from.height() != to.height()) {
            throw new IllegalArgumentException("cannot transition from a " + from.width() + "x" + from.height()
                    + " canvas to a " + to.width() + "x" + to.height() + " one");
        }
        if (!(progress >= 0 && progress <= 1)) {
            throw new IllegalArgumentException("progress " + progress + " is outside 0..1");
        }
    }
}
