package io.streamkit.compositor.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.compositor.scene.ColorLayer;
import io.streamkit.compositor.scene.Rect;
import io.streamkit.compositor.scene.Scene;
import io.streamkit.compositor.scene.SceneDraw;
import io.streamkit.compositor.scene.SceneHolder;
import io.streamkit.compositor.scene.TextLayer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One thread swaps between two scenes thousands of times while the render thread draws: every
 * frame must be exactly one of the two scenes, never a mix.
 */
class SceneSwapConcurrencyTest {

    private static final int SWAPS = 5000;

    @Test
    void everyRenderedFrameIsOneWholeScene() throws Exception {
        Scene a = Scene.builder(160, 90).background(Color.RED)
                .addLayer(ColorLayer.of("left", Color.GREEN, new Rect(0, 0, 80, 90)))
                .addLayer(TextLayer.of("label", "A", new Rect(100, 0, 60, 40))).build();
        Scene b = a.toBuilder().background(Color.BLUE).build()
                .withLayer("left", l -> ((ColorLayer) l).withColor(Color.YELLOW)).withText("label", "B");
        SceneHolder holder = new SceneHolder(a);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicIntegerArray seen = new java.util.concurrent.atomic.AtomicIntegerArray(2);
        java.util.concurrent.atomic.AtomicInteger frames = new java.util.concurrent.atomic.AtomicInteger();

        Thread render = new Thread(() -> {
            SceneRenderer renderer = new SceneRenderer();
            started.countDown();
            try {
                while (!done.get() || frames.get() < 100) {
                    List<SceneDraw> draws = holder.frame();
                    assertEquals(1, draws.size());
                    Scene s = draws.get(0).scene();
                    boolean isA = s == a;
                    assertTrue(isA || s == b, "a snapshot that is neither scene: " + s);
                    seen.incrementAndGet(isA ? 0 : 1);
                    BufferedImage out = renderer.render(draws, VideoFrames.NONE);
                    int left = out.getRGB(40, 45) & 0xFFFFFF;
                    int right = out.getRGB(90, 80) & 0xFFFFFF;
                    assertEquals((isA ? Color.GREEN : Color.YELLOW).getRGB() & 0xFFFFFF, left, "left half");
                    assertEquals((isA ? Color.RED : Color.BLUE).getRGB() & 0xFFFFFF, right, "background");
                    frames.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "render");
        render.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        // swap at least SWAPS times, and on until the renderer has met both scenes (a slow start of
        // the render thread on a loaded machine must not make it see only one), at most 30 s
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int i = 0; failure.get() == null && (i < SWAPS || seen.get(0) == 0 || seen.get(1) == 0)
                && System.nanoTime() < deadline; i++) {
            holder.update(s -> s == a ? b : a);
            if (i % 64 == 0) {
                Thread.yield();
            }
        }
        done.set(true);
        render.join(TimeUnit.SECONDS.toMillis(60));
        assertTrue(!render.isAlive(), "render thread did not finish");
        assertNull(failure.get(), () -> "render thread failed: " + failure.get());
        assertTrue(frames.get() >= 100, "rendered " + frames.get() + " frames");
        assertTrue(seen.get(0) > 0 && seen.get(1) > 0, "saw A " + seen.get(0) + " times and B " + seen.get(1)
                + " times");
    }
}
