package io.streamkit.compositor.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SceneTest {

    private static final Rect R = new Rect(0, 0, 100, 100);

    private static void assertMessage(String expected, Executable e) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
    }

    @Test
    void validationNamesTheFaultyValue() {
        assertMessage("canvas width 8 is outside 16..8192", () -> Scene.builder(8, 100));
        assertMessage("canvas height 9000 is outside 16..8192", () -> Scene.builder(100, 9000));
        assertMessage("frame rate 0.0 is outside (0, 240.0]", () -> Scene.builder(100, 100).frameRate(0));
        assertMessage("background colour must be opaque, alpha is 10",
                () -> Scene.builder(100, 100).background(new Color(1, 2, 3, 10)));
        assertMessage("a layer with id 'x' is already in the scene", () -> Scene.builder(100, 100)
                .addLayer(ColorLayer.of("x", Color.RED, R)).addLayer(VideoLayer.of("x", R)));
        assertMessage("the scene has no layer with id 'nope'", () -> Scene.builder(100, 100).removeLayer("nope"));
        assertMessage("opacity 1.5 is outside 0..1", () -> VideoLayer.of("v", R).withOpacity(1.5));
        assertMessage("opacity NaN is outside 0..1", () -> VideoLayer.of("v", R).withOpacity(Double.NaN));
        assertMessage("width 0 is outside 1..65536", () -> new Rect(0, 0, 0, 10));
        assertMessage("crop Rect[x=-1, y=0, width=10, height=10] starts at a negative source coordinate",
                () -> VideoLayer.of("v", R).withCrop(new Rect(-1, 0, 10, 10)));
        assertMessage("layer id must not be blank", () -> VideoLayer.of(" ", R));
        assertMessage("font size 0 of layer 't' is outside 1..1000",
                () -> TextLayer.of("t", "x", R).withFont("SansSerif", 0, false));
        assertMessage("layer 'v' is a VideoLayer, not a TextLayer",
                () -> Scene.builder(100, 100).addLayer(VideoLayer.of("v", R)).build().withText("v", "x"));
        assertMessage("updating layer 'v' changed its id to 'w'", () -> Scene.builder(100, 100)
                .addLayer(VideoLayer.of("v", R)).build().withLayer("v", l -> VideoLayer.of("w", R)));
        assertMessage("cannot place 20 sources side by side on a canvas 16 pixels wide",
                () -> Layouts.sideBySide(0).place(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "s" + i)
                        .toList(), new Size(16, 16), Map.of()));
        assertMessage("source 'a' is listed twice",
                () -> Layouts.grid(0).place(List.of("a", "a"), new Size(100, 100), Map.of()));
    }

    @Test
    void snapshotsAreImmutableAndDrawnByZOrderThenListOrder() {
        Scene.Builder b = Scene.builder(320, 180).addLayer(ColorLayer.of("a", Color.RED, R).withZOrder(2))
                .addLayer(ColorLayer.of("b", Color.RED, R)).addLayer(ColorLayer.of("c", Color.RED, R))
                .addLayer(ColorLayer.of("hidden", Color.RED, R).withVisible(false));
        Scene scene = b.build();
        b.removeLayer("a");
        assertEquals(4, scene.layers().size(), "the builder no longer affects a built scene");
        assertEquals(List.of("b", "c", "a"), scene.drawOrder().stream().map(Layer::id).toList());
        assertThrows(UnsupportedOperationException.class, () -> scene.layers().clear());
        Scene copy = scene.toBuilder().build();
        assertEquals(scene, copy);
        assertFalse(scene.withVisible("hidden", true).equals(scene));
    }

    @Test
    void applyingALayoutMovesVideoLayersAndHidesTheUnplaced() {
        Scene scene = Scene.builder(640, 360).addLayer(VideoLayer.of("a", R)).addLayer(VideoLayer.of("b", R))
                .addLayer(TextLayer.of("title", "x", R).withZOrder(10)).build();
        Scene solo = Layouts.apply(scene, Layouts.solo(), List.of("b", "a"), Map.of());
        assertEquals(new Rect(0, 0, 640, 360), solo.layer("b").orElseThrow().properties().bounds());
        assertFalse(solo.layer("a").orElseThrow().properties().visible());
        assertEquals(R, solo.layer("title").orElseThrow().properties().bounds());
        Scene both = Layouts.apply(solo, Layouts.sideBySide(0), List.of("a", "b"), Map.of());
        assertTrue(both.layer("a").orElseThrow().properties().visible());
        assertEquals(new Rect(320, 0, 320, 360), both.layer("b").orElseThrow().properties().bounds());
    }

    @Test
    void holderPlaysATransitionAndAppliesUpdatesToItsTarget() {
        AtomicLong now = new AtomicLong();
        Scene red = Scene.builder(64, 64).background(Color.RED).build();
        Scene blue = Scene.builder(64, 64).background(Color.BLUE).build();
        SceneHolder holder = new SceneHolder(red, now::get);
        assertEquals(List.of(SceneDraw.of(red)), holder.frame());
        holder.transitionTo(blue, Transitions.fade(), Duration.ofMillis(1000));
        now.set(250_000_000);
        List<SceneDraw> mid = holder.frame();
        assertEquals(List.of(SceneDraw.of(red), new SceneDraw(blue, 0, 0, 0.25)), mid);
        assertTrue(holder.transitioning());
        Scene updated = holder.update(s -> s.toBuilder().frameRate(25).build());
        assertSame(updated, holder.current());
        assertEquals(updated, holder.frame().get(1).scene());
        now.set(1_000_000_000);
        assertEquals(List.of(SceneDraw.of(updated)), holder.frame());
        assertFalse(holder.transitioning());
        assertThrows(IllegalArgumentException.class,
                () -> holder.transitionTo(Scene.builder(32, 32).build(), Transitions.cut(), Duration.ofSeconds(1)));
    }
}
