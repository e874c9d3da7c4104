package io.streamkit.compositor.scene;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Holds the live scene. Any thread changes it with {@link #update(UnaryOperator)} or
 * {@link #set(Scene)}, which swap in a whole new snapshot atomically; the render thread calls
 * {@link #frame()} once per frame and draws exactly what it returns, so a frame never mixes two
 * scenes and an update never pauses rendering. A transition started with
 * {@link #transitionTo(Scene, Transition, Duration)} plays on the following frames; updates made
 * meanwhile apply to the scene being transitioned to.
 */
public final class SceneHolder {

    private record State(Scene scene, Scene from, Transition transition, long startNanos, long durationNanos) {
        boolean transitioning() {
            return from != null;
        }
    }

    private final AtomicReference<State> state;
    private final LongSupplier nanoClock;

    /**
     * Holds a scene, timing transitions with {@link System#nanoTime()}.
     *
     * @param initial the first scene
     */
    public SceneHolder(Scene initial) {
        this(initial, System::nanoTime);
    }

    /**
     * Holds a scene, timing transitions with the given clock.
     *
     * @param initial   the first scene
     * @param nanoClock a monotonic clock in nanoseconds
     */
    public SceneHolder(Scene initial, LongSupplier nanoClock) {
        this.state = new AtomicReference<>(new State(Objects.requireNonNull(initial, "initial"), null, null, 0, 0));
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Returns the current scene (during a transition, the scene being transitioned to).
     *
     * @return the snapshot
     */
    public Scene current() {
        return state.get().scene();
    }

    /**
     * Replaces the scene atomically with {@code change(current)}. The function may run more than
     * once if other threads update concurrently, so it must have no side effects. A change of
     * canvas size ends a running transition.
     *
     * @param change computes the new scene from the current one
     * @return the new scene
     */
    public Scene update(UnaryOperator<Scene> change) {
        Objects.requireNonNull(change, "change");
        return state.updateAndGet(s -> {
            Scene next = Objects.requireNonNull(change.apply(s.scene()), "changed scene");
            boolean keep = s.transitioning() && next.width() == s.from().width()
                    && next.height() == s.from().height();
            return keep
                    ? new State(next, s.from(), s.transition(), s.startNanos(), s.durationNanos())
                    : new State(next, null, null, 0, 0);
        }).scene();
    }

    /**
     * Replaces the scene atomically, without a transition (a cut).
     *
     * @param scene the new scene
     */
    public void set(Scene scene) {
        Objects.requireNonNull(scene, "scene");
        state.set(new State(scene, null, null, 0, 0));
    }

    /**
     * Starts a transition from what is shown now to {@code to}. A transition already running is
     * replaced; its target becomes the starting scene.
     *
     * @param to         the new scene, same canvas size as the current one
     * @param transition how to go there
     * @param duration   how long it takes; zero is a cut
     */
    public void transitionTo(Scene to, Transition transition, Duration duration) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(transition, "transition");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("transition duration " + duration + " is negative");
        }
        long start = nanoClock.getAsLong();
        long nanos = duration.toNanos();
        state.updateAndGet(s -> {
            if (to.width() != s.scene().width() || to.height() != s.scene().height()) {
                throw new IllegalArgumentException("cannot transition from a " + s.scene().width() + "x"
                        + s.scene().height() + " canvas to a " + to.width() + "x" + to.height() + " one");
            }
            return nanos == 0 ? new State(to, null, null, 0, 0) : new State(to, s.scene(), transition, start, nanos);
        });
    }

    /**
     * Tells whether a transition is still running.
     *
     * @return true until the transition's duration has elapsed
     */
    public boolean transitioning() {
        State s = state.get();
        return s.transitioning() && nanoClock.getAsLong() - s.startNanos() < s.durationNanos();
    }

    /**
     * Returns what to draw for the frame now: the current scene, or the steps of a running
     * transition. Reads one consistent state.
     *
     * @return the steps to draw, at least one
     */
    public List<SceneDraw> frame() {
        State s = state.get();
        if (!s.transitioning()) {
            return List.of(SceneDraw.of(s.scene()));
        }
        long elapsed = nanoClock.getAsLong() - s.startNanos();
        if (elapsed >= s.durationNanos()) {
            state.compareAndSet(s, new State(s.scene(), null, null, 0, 0));
            return List.of(SceneDraw.of(s.scene()));
        }
        double progress = Math.max(0, (double) elapsed / s.durationNanos());
        return s.transition().draws(s.from(), s.scene(), progress);
    }
}
