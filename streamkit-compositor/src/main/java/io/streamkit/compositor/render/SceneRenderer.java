package io.streamkit.compositor.render;

import io.streamkit.compositor.scene.ColorLayer;
import io.streamkit.compositor.scene.ImageLayer;
import io.streamkit.compositor.scene.Layer;
import io.streamkit.compositor.scene.LayerProperties;
import io.streamkit.compositor.scene.Rect;
import io.streamkit.compositor.scene.Scene;
import io.streamkit.compositor.scene.SceneDraw;
import io.streamkit.compositor.scene.Size;
import io.streamkit.compositor.scene.TextAlignment;
import io.streamkit.compositor.scene.TextLayer;
import io.streamkit.compositor.scene.VideoLayer;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Draws scenes with Java2D into a {@link BufferedImage} of type {@link #IMAGE_TYPE}
 * ({@code TYPE_3BYTE_BGR}: its bytes are packed BGR24, which an FFmpeg encoder takes without a
 * conversion step of its own).
 *
 * <p>
 * The target image is allocated once per canvas size and reused: each {@code render} call
 * overwrites and returns the same instance, so the caller must hand its pixels on (or copy them)
 * before the next call. Text layers are rasterised once per distinct text and cached; images and
 * video frames are scaled at draw time. Per frame the renderer allocates no image or buffer, only
 * Java2D's own graphics context and small geometry values.
 *
 * <p>
 * A video source with no frame for this render shows its last frame; before its first frame, its
 * bounds are filled with the placeholder colour. Not thread-safe: use one renderer per render
 * thread.
 */
public final class SceneRenderer {

    /** The type of the images returned by {@code render}. */
    public static final int IMAGE_TYPE = BufferedImage.TYPE_3BYTE_BGR;

    /** The placeholder colour of {@link #SceneRenderer()}: a dark grey. */
    public static final Color DEFAULT_PLACEHOLDER = new Color(0x20, 0x20, 0x20);

    private static final class CachedText {
        final BufferedImage image;
        long lastUsed;

        CachedText(BufferedImage image) {
            this.image = image;
        }
    }

    private final Color placeholder;
    private final Object interpolation;
    private final Map<String, BufferedImage> lastFrames = new HashMap<>();
    private final Map<TextLayer, CachedText> texts = new HashMap<>();
    private BufferedImage target;
    private BufferedImage scratch;
    private Scene lastScene;
    private long frameNumber;

    /**
     * Creates a renderer with the {@linkplain #DEFAULT_PLACEHOLDER default placeholder} and
     * {@link ScalingQuality#FAST} scaling.
     */
    public SceneRenderer() {
        this(DEFAULT_PLACEHOLDER, ScalingQuality.FAST);
    }

    /**
     * Creates a renderer.
     *
     * @param placeholder the colour shown for a video source that has never had a frame
     * @param quality     how scaled frames and images are resampled
     */
    public SceneRenderer(Color placeholder, ScalingQuality quality) {
        this.placeholder = Objects.requireNonNull(placeholder, "placeholder");
        this.interpolation = Objects.requireNonNull(quality, "quality") == ScalingQuality.SMOOTH
                ? RenderingHints.VALUE_INTERPOLATION_BILINEAR
                : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR;
    }

    /**
     * Draws one scene.
     *
     * @param scene  the snapshot to draw
     * @param frames the current video frames
     * @return the target image (reused by the next call)
     */
    public BufferedImage render(Scene scene, VideoFrames frames) {
        return render(List.of(SceneDraw.of(scene)), frames);
    }

    /**
     * Draws the steps of a frame in order, for example those of
     * {@link io.streamkit.compositor.scene.SceneHolder#frame()} during a transition.
     *
     * @param draws  the steps, at least one, all with the same canvas size
     * @param frames the current video frames
     * @return the target image (reused by the next call)
     */
    public BufferedImage render(List<SceneDraw> draws, VideoFrames frames) {
        Objects.requireNonNull(frames, "frames");
        if (draws.isEmpty()) {
            throw new IllegalArgumentException("nothing to draw: the list of steps is empty");
        }
        Scene first = draws.get(0).scene();
        int w = first.width();
        int h = first.height();
        for (int i = 1; i < draws.size(); i++) {
            Scene s = draws.get(i).scene();
            if (s.width() != w || s.height() != h) {
                throw new IllegalArgumentException("step " + i + " has a " + s.width() + "x" + s.height()
                        + " canvas, step 0 a " + w + "x" + h + " one");
            }
        }
        frameNumber++;
        target = ensure(target, w, h);
        Graphics2D g = target.createGraphics();
        try {
            SceneDraw d0 = draws.get(0);
            if (d0.offsetX() != 0 || d0.offsetY() != 0 || d0.opacity() < 1) {
                g.setColor(Color.BLACK);
                g.fillRect(0, 0, w, h);
            }
            for (SceneDraw d : draws) {
                if (d.opacity() >= 1) {
                    drawScene(g, d.scene(), d.offsetX(), d.offsetY(), frames);
                } else if (d.opacity() > 0) {
                    scratch = ensure(scratch, w, h);
                    Graphics2D sg = scratch.createGraphics();
                    try {
                        drawScene(sg, d.scene(), 0, 0, frames);
                    } finally {
                        sg.dispose();
                    }
                    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) d.opacity()));
                    g.drawImage(scratch, d.offsetX(), d.offsetY(), null);
                    g.setComposite(AlphaComposite.SrcOver);
                }
            }
        } finally {
            g.dispose();
        }
        evict(draws);
        return target;
    }

    /**
     * Forgets the last frame of a source (its layers show the placeholder until its next frame).
     *
     * @param sourceId the source id
     */
    public void forget(String sourceId) {
        lastFrames.remove(sourceId);
    }

    private static BufferedImage ensure(BufferedImage image, int w, int h) {
        if (image != null && image.getWidth() == w && image.getHeight() == h) {
            return image;
        }
        return new BufferedImage(w, h, IMAGE_TYPE);
    }

    private void drawScene(Graphics2D g, Scene scene, int ox, int oy, VideoFrames frames) {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
        g.setClip(ox, oy, scene.width(), scene.height());
        g.clipRect(0, 0, scene.width(), scene.height());
        g.translate(ox, oy);
        try {
            g.setComposite(AlphaComposite.SrcOver);
            g.setColor(scene.background());
            g.fillRect(0, 0, scene.width(), scene.height());
            for (Layer layer : scene.drawOrder()) {
                drawLayer(g, layer, frames);
            }
        } finally {
            g.translate(-ox, -oy);
            g.setComposite(AlphaComposite.SrcOver);
            g.setClip(null);
        }
    }

    private void drawLayer(Graphics2D g, Layer layer, VideoFrames frames) {
        LayerProperties p = layer.properties();
        Composite composite = p.opacity() >= 1
                ? AlphaComposite.SrcOver
                : AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) p.opacity());
        g.setComposite(composite);
        Rect bounds = p.bounds();
        if (layer instanceof ColorLayer c) {
            g.setColor(c.color());
            g.fillRect(bounds.x(), bounds.y(), bounds.width(), bounds.height());
        } else if (layer instanceof ImageLayer i) {
            Rect crop = crop(p, i.image().width(), i.image().height());
            if (crop != null) {
                i.image().drawTo(g, p.scaleMode().destination(crop.size(), bounds), p.scaleMode().source(crop, bounds));
            }
        } else if (layer instanceof VideoLayer v) {
            drawVideo(g, v, frames);
        } else if (layer instanceof TextLayer t) {
            g.drawImage(text(t), bounds.x(), bounds.y(), null);
        }
    }

    private void drawVideo(Graphics2D g, VideoLayer v, VideoFrames frames) {
        LayerProperties p = v.properties();
        BufferedImage frame = frames.frame(v.sourceId());
        if (frame != null) {
            lastFrames.put(v.sourceId(), frame);
        } else {
            frame = lastFrames.get(v.sourceId());
        }
        Rect bounds = p.bounds();
        Rect crop = frame == null ? null : crop(p, frame.getWidth(), frame.getHeight());
        if (crop == null) {
            g.setColor(placeholder);
            g.fillRect(bounds.x(), bounds.y(), bounds.width(), bounds.height());
            return;
        }
        Rect dest = p.scaleMode().destination(crop.size(), bounds);
        Rect src = p.scaleMode().source(crop, bounds);
        g.drawImage(frame, dest.x(), dest.y(), dest.right(), dest.bottom(), src.x(), src.y(), src.right(),
                src.bottom(), null);
    }

    /** Returns the crop region clipped to the source, or null when nothing of it is inside. */
    private static Rect crop(LayerProperties p, int sourceWidth, int sourceHeight) {
        if (p.crop().isEmpty()) {
            return new Rect(0, 0, sourceWidth, sourceHeight);
        }
        Rect c = p.crop().get();
        int x1 = Math.min(c.right(), sourceWidth);
        int y1 = Math.min(c.bottom(), sourceHeight);
        if (x1 <= c.x() || y1 <= c.y()) {
            return null;
        }
        return new Rect(c.x(), c.y(), x1 - c.x(), y1 - c.y());
    }

    private BufferedImage text(TextLayer t) {
        CachedText cached = texts.get(t);
        if (cached == null) {
            cached = new CachedText(rasterise(t));
            texts.put(t, cached);
        }
        cached.lastUsed = frameNumber;
        return cached.image;
    }

    /** Drops cached texts not drawn in this frame and last frames of sources no longer in the scene. */
    private void evict(List<SceneDraw> draws) {
        if (texts.size() > 0) {
            Iterator<CachedText> it = texts.values().iterator();
            while (it.hasNext()) {
                if (it.next().lastUsed != frameNumber) {
                    it.remove();
                }
            }
        }
        Scene last = draws.get(draws.size() - 1).scene();
        if (last != lastScene) {
            lastScene = last;
            lastFrames.keySet().removeIf(source -> !usesSource(draws, source));
        }
    }

    private static boolean usesSource(List<SceneDraw> draws, String source) {
        for (SceneDraw d : draws) {
            for (Layer layer : d.scene().layers()) {
                if (layer instanceof VideoLayer v && v.sourceId().equals(source)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Draws a text layer into a transparent image the size of its bounds. */
    static BufferedImage rasterise(TextLayer t) {
        Size size = t.properties().bounds().size();
        BufferedImage image = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_ARGB_PRE);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            Font font = new Font(t.fontFamily(), t.bold() ? Font.BOLD : Font.PLAIN, t.fontSize());
            FontRenderContext frc = g.getFontRenderContext();
            LineMetrics metrics = font.getLineMetrics("Ag", frc);
            float lineHeight = metrics.getAscent() + metrics.getDescent() + metrics.getLeading();
            String[] lines = t.lines();
            TextLayout[] layouts = new TextLayout[lines.length];
            float maxAdvance = 0;
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isEmpty()) {
                    layouts[i] = new TextLayout(lines[i], font, frc);
                    maxAdvance = Math.max(maxAdvance, layouts[i].getAdvance());
                }
            }
            int outline = t.outlineColor().getAlpha() > 0 ? t.outlineWidth() : 0;
            int pad = t.boxPadding();
            float boxW = maxAdvance + 2 * outline + 2 * pad;
            float boxH = lines.length * lineHeight - metrics.getLeading() + 2 * outline + 2 * pad;
            float boxX = switch (t.alignment()) {
                case LEFT -> 0;
                case CENTER -> (size.width() - boxW) / 2;
                case RIGHT -> size.width() - boxW;
            };
            if (t.boxColor().getAlpha() > 0) {
                g.setColor(t.boxColor());
                g.fill(new java.awt.geom.Rectangle2D.Float(boxX, 0, boxW, boxH));
            }
            BasicStroke stroke = new BasicStroke(2f * outline, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            for (int i = 0; i < lines.length; i++) {
                if (layouts[i] == null) {
                    continue;
                }
                float advance = layouts[i].getAdvance();
                float x = boxX + pad + outline + align(t.alignment(), maxAdvance - advance);
                float baseline = pad + outline + metrics.getAscent() + i * lineHeight;
                Shape glyphs = layouts[i].getOutline(AffineTransform.getTranslateInstance(x, baseline));
                if (outline > 0) {
                    g.setStroke(stroke);
                    g.setColor(t.outlineColor());
                    g.draw(glyphs);
                }
                g.setColor(t.color());
                g.fill(glyphs);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static float align(TextAlignment alignment, float slack) {
        return switch (alignment) {
            case LEFT -> 0;
            case CENTER -> slack / 2;
            case RIGHT -> slack;
        };
    }
}
