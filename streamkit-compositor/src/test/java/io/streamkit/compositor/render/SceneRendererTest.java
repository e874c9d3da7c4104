package io.streamkit.compositor.render;

import static io.streamkit.compositor.render.Pixels.assertColor;
import static io.streamkit.compositor.render.Pixels.solid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.compositor.scene.ColorLayer;
import io.streamkit.compositor.scene.Corner;
import io.streamkit.compositor.scene.ImageLayer;
import io.streamkit.compositor.scene.Layouts;
import io.streamkit.compositor.scene.Rect;
import io.streamkit.compositor.scene.ScaleMode;
import io.streamkit.compositor.scene.Scene;
import io.streamkit.compositor.scene.SceneDraw;
import io.streamkit.compositor.scene.Side;
import io.streamkit.compositor.scene.Size;
import io.streamkit.compositor.scene.TextAlignment;
import io.streamkit.compositor.scene.TextLayer;
import io.streamkit.compositor.scene.Transitions;
import io.streamkit.compositor.scene.VideoLayer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SceneRendererTest {

    private static final Color BG = new Color(10, 20, 30);
    private static final Rect FULL = new Rect(0, 0, 640, 360);
    private static final Color[] COLORS = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};

    private final SceneRenderer renderer = new SceneRenderer();

    private static Scene.Builder canvas() {
        return Scene.builder(640, 360).background(BG);
    }

    private static Map<String, BufferedImage> fourSources(int w, int h) {
        Map<String, BufferedImage> frames = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            frames.put("cam" + i, solid(w, h, COLORS[i]));
        }
        return frames;
    }

    private static Scene withFourCameras(Scene.Builder b) {
        for (int i = 0; i < 4; i++) {
            b.addLayer(VideoLayer.of("cam" + i, FULL));
        }
        return b.build();
    }

    @Test
    void gridPutsEachSourceInItsCellAndTheBackgroundInTheGaps() {
        Scene scene = Layouts.apply(withFourCameras(canvas()), Layouts.grid(20), Map.of());
        BufferedImage out = renderer.render(scene, VideoFrames.of(fourSources(160, 90)));
        // 2x2 cells of (640 - 60) / 2 = 290 by (360 - 60) / 2 = 150, starting at 20 and 330 / 20 and 190
        int[][] centres = {{165, 95}, {475, 95}, {165, 265}, {475, 265}};
        for (int i = 0; i < 4; i++) {
            assertColor(out, centres[i][0], centres[i][1], COLORS[i]);
        }
        assertColor(out, 10, 10, BG);
        assertColor(out, 320, 180, BG);
        assertColor(out, 630, 350, BG);
    }

    @Test
    void pictureInPictureDrawsTheInsetOverTheMainPicture() {
        Scene scene = Layouts.apply(withFourCameras(canvas()), Layouts.pictureInPicture(Corner.BOTTOM_RIGHT, 0.25, 16),
                Map.of());
        BufferedImage out = renderer.render(scene, VideoFrames.of(fourSources(640, 360)));
        // inset 160x90 at (640 - 16 - 160, 360 - 16 - 90) = (464, 254)
        assertColor(out, 544, 299, COLORS[1]);
        assertColor(out, 320, 180, COLORS[0]);
        assertColor(out, 460, 299, COLORS[0]);
        assertColor(out, 630, 350, COLORS[0]);
    }

    @Test
    void speakerStripAndSideBySide() {
        Scene strip = Layouts.apply(withFourCameras(canvas()), Layouts.speakerStrip(0), Map.of());
        BufferedImage out = renderer.render(strip, VideoFrames.of(fourSources(64, 36)));
        // speaker: 640x270 letterboxed 480x270 centred; strip: three 213x90 cells, video 160x90 centred
        assertColor(out, 320, 135, COLORS[0]);
        assertColor(out, 20, 135, BG);
        assertColor(out, 106, 315, COLORS[1]);
        assertColor(out, 319, 315, COLORS[2]);
        assertColor(out, 532, 315, COLORS[3]);

        Scene sides = Layouts.apply(withFourCameras(canvas()), Layouts.sideBySide(0), List.of("cam2", "cam3"),
                Map.of());
        out = renderer.render(sides, VideoFrames.of(fourSources(64, 36)));
        assertColor(out, 160, 180, COLORS[2]);
        assertColor(out, 480, 180, COLORS[3]);
        assertColor(out, 160, 10, BG); // letterbox above the 320x180 picture
    }

    @ParameterizedTest
    @EnumSource(ScalingQuality.class)
    void fitLetterboxesFillCropsStretchFills(ScalingQuality quality) {
        SceneRenderer renderer = new SceneRenderer(SceneRenderer.DEFAULT_PLACEHOLDER, quality);
        // source: red | green | blue stripes of 50, 100, 50 pixels, 100 high
        BufferedImage stripes = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = stripes.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 50, 100);
        g.setColor(Color.GREEN);
        g.fillRect(50, 0, 100, 100);
        g.setColor(Color.BLUE);
        g.fillRect(150, 0, 50, 100);
        g.dispose();
        Map<String, BufferedImage> frames = Map.of("s", stripes);
        Rect square = new Rect(100, 50, 200, 200);

        Scene fit = canvas().addLayer(VideoLayer.of("s", square).withScaleMode(ScaleMode.FIT)).build();
        BufferedImage out = renderer.render(fit, VideoFrames.of(frames));
        assertColor(out, 200, 60, BG); // above the 200x100 picture centred at y 100..200
        assertColor(out, 200, 240, BG);
        assertColor(out, 105, 150, Color.RED);
        assertColor(out, 200, 150, Color.GREEN);
        assertColor(out, 295, 150, Color.BLUE);

        Scene fill = canvas().addLayer(VideoLayer.of("s", square).withScaleMode(ScaleMode.FILL)).build();
        out = renderer.render(fill, VideoFrames.of(frames));
        for (int[] p : new int[][]{{102, 52}, {297, 52}, {102, 247}, {297, 247}, {200, 150}}) {
            assertColor(out, p[0], p[1], Color.GREEN, 1);
        }
        assertColor(out, 98, 150, BG);
        assertColor(out, 302, 150, BG);

        Scene stretch = canvas().addLayer(VideoLayer.of("s", square).withScaleMode(ScaleMode.STRETCH)).build();
        out = renderer.render(stretch, VideoFrames.of(frames));
        assertColor(out, 105, 52, Color.RED);
        assertColor(out, 200, 247, Color.GREEN);
        assertColor(out, 295, 52, Color.BLUE);
        assertColor(out, 200, 48, BG);
    }

    @Test
    void cropSelectsARegionOfTheSource() {
        BufferedImage frame = solid(200, 100, Color.RED);
        Graphics2D g = frame.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(150, 0, 50, 100);
        g.dispose();
        Scene scene = canvas().addLayer(
                VideoLayer.of("s", FULL).withScaleMode(ScaleMode.STRETCH).withCrop(new Rect(150, 0, 50, 100)))
                .build();
        BufferedImage out = renderer.render(scene, VideoFrames.of(Map.of("s", frame)));
        assertColor(out, 2, 2, Color.BLUE);
        assertColor(out, 637, 357, Color.BLUE);
        // a crop entirely outside the frame shows the placeholder
        Scene outside = scene.withLayer("s", l -> l.withCrop(new Rect(500, 0, 10, 10)));
        out = renderer.render(outside, VideoFrames.of(Map.of("s", frame)));
        assertColor(out, 320, 180, SceneRenderer.DEFAULT_PLACEHOLDER);
    }

    @Test
    void opacityBlendsZOrderStacksVisibilityHides() {
        Scene scene = canvas().addLayer(ColorLayer.of("top", Color.RED, new Rect(0, 0, 200, 200)).withZOrder(5))
                .addLayer(ColorLayer.of("under", Color.BLUE, new Rect(100, 0, 200, 200)))
                .addLayer(ColorLayer.of("half", Color.WHITE, new Rect(400, 0, 100, 100)).withOpacity(0.5))
                .addLayer(ColorLayer.of("hidden", Color.GREEN, new Rect(400, 200, 100, 100)).withVisible(false))
                .build();
        BufferedImage out = renderer.render(scene, VideoFrames.NONE);
        assertColor(out, 150, 100, Color.RED); // higher z-order on top, although listed first
        assertColor(out, 250, 100, Color.BLUE);
        assertColor(out, 450, 50, new Color((255 + 10) / 2, (255 + 20) / 2, (255 + 30) / 2), 2);
        assertColor(out, 450, 250, BG);
    }

    @Test
    void textDrawsInsideItsBoundsOnly() {
        Rect box = new Rect(100, 100, 300, 120);
        TextLayer text = TextLayer.of("title", "Hello\nStreamKit", box).withFont("DejaVu Sans", 40, true)
                .withOutline(Color.BLACK, 3).withAlignment(TextAlignment.CENTER);
        Scene scene = canvas().addLayer(text).build();
        BufferedImage out = renderer.render(scene, VideoFrames.NONE);
        int inside = 0;
        for (int y = 0; y < 360; y++) {
            for (int x = 0; x < 640; x++) {
                boolean differs = (out.getRGB(x, y) & 0xFFFFFF) != (BG.getRGB() & 0xFFFFFF);
                boolean inBox = x >= box.x() && x < box.right() && y >= box.y() && y < box.bottom();
                if (differs && !inBox) {
                    throw new AssertionError("text drew pixel (" + x + ", " + y + ") outside its bounds");
                }
                if (differs) {
                    inside++;
                }
            }
        }
        assertTrue(inside > 500, "only " + inside + " text pixels drawn");
        // both lines: something in the upper and in the lower half of the box
        assertTrue(countNot(out, BG, box.x(), box.y(), box.width(), 50) > 100);
        assertTrue(countNot(out, BG, box.x(), box.y() + 50, box.width(), 50) > 100);

        Scene boxed = scene.withLayer("title", l -> ((TextLayer) l).withBox(Color.MAGENTA, 8)
                .withAlignment(TextAlignment.LEFT));
        out = renderer.render(boxed, VideoFrames.NONE);
        assertColor(out, box.x() + 2, box.y() + 2, Color.MAGENTA);
        assertColor(out, box.x() - 1, box.y() + 2, BG);
    }

    private static int countNot(BufferedImage image, Color c, int x0, int y0, int w, int h) {
        int n = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != (c.getRGB() & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void imagesKeepTheirAlphaAndDecodeFromPng() throws IOException {
        BufferedImage logo = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = logo.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 50, 100); // right half stays transparent
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(logo, "png", png);

        Scene scene = canvas().addLayer(ImageLayer.of("a", logo, new Rect(0, 0, 100, 100)))
                .addLayer(ImageLayer.decode("b", png.toByteArray(), new Rect(200, 0, 200, 200))).build();
        // the layer is a snapshot: painting the caller's image afterwards changes nothing
        Graphics2D g2 = logo.createGraphics();
        g2.setColor(Color.GREEN);
        g2.fillRect(0, 0, 100, 100);
        g2.dispose();
        BufferedImage out = renderer.render(scene, VideoFrames.NONE);
        assertColor(out, 25, 50, Color.RED);
        assertColor(out, 75, 50, BG);
        assertColor(out, 250, 100, Color.RED);
        assertColor(out, 350, 100, BG);
        assertThrows(IllegalArgumentException.class,
                () -> ImageLayer.decode("c", new byte[]{1, 2, 3}, new Rect(0, 0, 10, 10)));
    }

    @Test
    void aStalledSourceShowsItsLastFrameAndANewSourceThePlaceholder() {
        Scene scene = canvas().addLayer(VideoLayer.of("cam", FULL).withScaleMode(ScaleMode.STRETCH)).build();
        BufferedImage out = renderer.render(scene, VideoFrames.NONE);
        assertColor(out, 320, 180, SceneRenderer.DEFAULT_PLACEHOLDER);
        renderer.render(scene, VideoFrames.of(Map.of("cam", solid(32, 18, Color.ORANGE))));
        BufferedImage again = renderer.render(scene, VideoFrames.NONE);
        assertColor(again, 320, 180, Color.ORANGE);
        assertSame(out, again, "the target image is reused between frames");
        assertEquals(SceneRenderer.IMAGE_TYPE, out.getType());
        renderer.forget("cam");
        assertColor(renderer.render(scene, VideoFrames.NONE), 320, 180, SceneRenderer.DEFAULT_PLACEHOLDER);
    }

    @Test
    void fadeBlendsAndSlideSplitsTheCanvas() {
        Scene red = Scene.builder(640, 360).background(Color.RED).build();
        Scene blue = Scene.builder(640, 360).background(Color.BLUE).build();
        BufferedImage out = renderer.render(Transitions.fade().draws(red, blue, 0.5), VideoFrames.NONE);
        assertColor(out, 320, 180, new Color(128, 0, 128), 2);

        out = renderer.render(Transitions.slide(Side.LEFT).draws(red, blue, 0.5), VideoFrames.NONE);
        assertColor(out, 100, 180, Color.BLUE);
        assertColor(out, 540, 180, Color.RED);

        out = renderer.render(Transitions.slide(Side.BOTTOM).draws(red, blue, 0.5), VideoFrames.NONE);
        assertColor(out, 320, 40, Color.RED);
        assertColor(out, 320, 320, Color.BLUE);

        assertEquals(List.of(SceneDraw.of(blue)), Transitions.cut().draws(red, blue, 0));
        Scene small = Scene.builder(320, 180).build();
        assertThrows(IllegalArgumentException.class, () -> Transitions.fade().draws(red, small, 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> renderer.render(List.of(SceneDraw.of(red), SceneDraw.of(small)), VideoFrames.NONE));
    }

    @Test
    void liveTextUpdateRendersTheNewText() {
        Rect box = new Rect(0, 0, 200, 60);
        Scene scene = canvas().addLayer(TextLayer.of("clock", "", box)).build();
        assertEquals(0, countNot(renderer.render(scene, VideoFrames.NONE), BG, 0, 0, 200, 60));
        Scene ticked = scene.withText("clock", "12:00:01");
        assertTrue(countNot(renderer.render(ticked, VideoFrames.NONE), BG, 0, 0, 200, 60) > 50);
        assertEquals(new Size(640, 360), ticked.canvas());
    }
}
