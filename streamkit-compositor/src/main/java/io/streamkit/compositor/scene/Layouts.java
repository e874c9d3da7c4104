package io.streamkit.compositor.scene;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The built-in {@link Layout}s (solo, side by side, grid, picture-in-picture, speaker with a strip
 * of thumbnails) and {@link #apply(Scene, Layout, List, Map)}, which moves a scene's video layers to
 * the places a layout gives them.
 *
 * <p>
 * Gaps and margins are in canvas pixels; when the canvas is too small for them they shrink to 0
 * rather than failing.
 */
public final class Layouts {

    private static final double DEFAULT_ASPECT = 16.0 / 9.0;

    private Layouts() {
    }

    /**
     * The first source fills the canvas; the others are not shown.
     *
     * @return the layout
     */
    public static Layout solo() {
        return (ids, canvas, sizes) -> {
            checkIds(ids);
            return ids.isEmpty() ? List.of() : List.of(new Placement(ids.get(0), Rect.of(canvas), 0));
        };
    }

    /**
     * All sources in one row of equal columns, each the full height (minus the gap). Columns never
     * overlap.
     *
     * @param gap pixels between columns and around the row, at least 0
     * @return the layout
     */
    public static Layout sideBySide(int gap) {
        checkGap(gap);
        return (ids, canvas, sizes) -> {
            checkIds(ids);
            int n = ids.size();
            requireFit(n, canvas.width(), "side by side", "wide");
            List<Placement> out = new ArrayList<>(n);
            int[] rows = span(0, 1, canvas.height(), gap);
            for (int i = 0; i < n; i++) {
                int[] cols = span(i, n, canvas.width(), gap);
                out.add(new Placement(ids.get(i), new Rect(cols[0], rows[0], cols[1], rows[1]), 0));
            }
            return out;
        };
    }

    /**
     * A grid of {@code ceil(sqrt(n))} columns and as many rows as needed; an incomplete last row is
     * centred. Cells never overlap.
     *
     * @param gap pixels between cells and around the grid, at least 0
     * @return the layout
     */
    public static Layout grid(int gap) {
        checkGap(gap);
        return (ids, canvas, sizes) -> {
            checkIds(ids);
            int n = ids.size();
            if (n == 0) {
                return List.of();
            }
            int cols = (int) Math.ceil(Math.sqrt(n));
            int rows = (n + cols - 1) / cols;
            requireFit(cols, canvas.width(), "in a grid", "wide");
            requireFit(rows, canvas.height(), "in a grid", "high");
            List<Placement> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int row = i / cols;
                int col = i % cols;
                int inRow = Math.min(cols, n - row * cols);
                int[] c = span(col, cols, canvas.width(), gap);
                int shift = inRow < cols
                        ? (span(cols - inRow, cols, canvas.width(), gap)[0]
                                - span(0, cols, canvas.width(), gap)[0]) / 2
                        : 0;
                int[] r = span(row, rows, canvas.height(), gap);
                out.add(new Placement(ids.get(i), new Rect(c[0] + shift, r[0], c[1], r[1]), 0));
            }
            return out;
        };
    }

    /**
     * Picture-in-picture: the first source fills the canvas, the second is an inset in a corner,
     * above it, with the second source's aspect ratio; further sources are not shown.
     *
     * @param corner   where the inset goes
     * @param fraction the inset width as a fraction of the canvas width, in {@code (0, 1]}
     * @param margin   pixels between the inset and the canvas edges, at least 0
     * @return the layout
     */
    public static Layout pictureInPicture(Corner corner, double fraction, int margin) {
        Objects.requireNonNull(corner, "corner");
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("inset fraction " + fraction + " is outside (0, 1]");
        }
        checkGap(margin);
        return (ids, canvas, sizes) -> {
            checkIds(ids);
            if (ids.size() <= 1) {
                return solo().place(ids, canvas, sizes);
            }
            int w = canvas.width();
            int h = canvas.height();
            int m = Math.min(margin, Math.min((w - 1) / 2, (h - 1) / 2));
            Size src = sizes.get(ids.get(1));
            double aspect = src == null ? DEFAULT_ASPECT : src.aspect();
            double insetW = Math.max(1, w * fraction);
            double insetH = insetW / aspect;
            double scale = Math.min(1, Math.min((w - 2.0 * m) / insetW, (h - 2.0 * m) / insetH));
            int iw = clamp((int) Math.round(insetW * scale), w - 2 * m);
            int ih = clamp((int) Math.round(insetH * scale), h - 2 * m);
            boolean left = corner == Corner.TOP_LEFT || corner == Corner.BOTTOM_LEFT;
            boolean top = corner == Corner.TOP_LEFT || corner == Corner.TOP_RIGHT;
            int x = left ? m : w - m - iw;
            int y = top ? m : h - m - ih;
            return List.of(new Placement(ids.get(0), Rect.of(canvas), 0),
                    new Placement(ids.get(1), new Rect(x, y, iw, ih), 1));
        };
    }

    /**
     * Speaker and strip: the first source takes the top three quarters, the others share a row of
     * thumbnails along the bottom quarter. With one source it fills the canvas. Nothing overlaps.
     *
     * @param gap pixels between the areas and around them, at least 0
     * @return the layout
     */
    public static Layout speakerStrip(int gap) {
        checkGap(gap);
        return (ids, canvas, sizes) -> {
            checkIds(ids);
            int n = ids.size();
            if (n <= 1) {
                return solo().place(ids, canvas, sizes);
            }
            requireFit(n - 1, canvas.width(), "in the strip", "wide");
            int h = canvas.height();
            int g = h - 3 * gap >= 2 ? gap : 0;
            int usable = h - 3 * g;
            int stripH = Math.max(1, usable / 4);
            int mainH = usable - stripH;
            int[] full = span(0, 1, canvas.width(), gap);
            List<Placement> out = new ArrayList<>(n);
            out.add(new Placement(ids.get(0), new Rect(full[0], g, full[1], mainH), 0));
            for (int i = 1; i < n; i++) {
                int[] c = span(i - 1, n - 1, canvas.width(), gap);
                out.add(new Placement(ids.get(i), new Rect(c[0], 2 * g + mainH, c[1], stripH), 0));
            }
            return out;
        };
    }

    /**
     * Applies a layout to the visible video layers of a scene, in list order. Video layers the
     * layout does not place (the second source of a solo layout) are hidden: to switch layouts
     * later without losing them, keep the list of shown sources and use
     * {@link #apply(Scene, Layout, List, Map)}.
     *
     * @param scene       the scene
     * @param layout      the layout
     * @param sourceSizes the frame sizes known so far
     * @return the scene with its video layers moved
     */
    public static Scene apply(Scene scene, Layout layout, Map<String, Size> sourceSizes) {
        Set<String> shown = new LinkedHashSet<>();
        for (Layer layer : scene.layers()) {
            if (layer instanceof VideoLayer v && v.properties().visible()) {
                shown.add(v.sourceId());
            }
        }
        return apply(scene, layout, new ArrayList<>(shown), sourceSizes);
    }

    /**
     * Applies a layout to the video layers of a scene: each video layer whose source is placed gets
     * the placement's bounds and z-order and is made visible; every other video layer is hidden.
     * Keep overlays (text, logos) at a z-order above the layout's (which uses 0 and 1).
     *
     * @param scene        the scene
     * @param layout       the layout
     * @param shownSources the sources to show, in priority order
     * @param sourceSizes  the frame sizes known so far
     * @return the scene with its video layers moved
     */
    public static Scene apply(Scene scene, Layout layout, List<String> shownSources, Map<String, Size> sourceSizes) {
        List<Placement> placements = layout.place(List.copyOf(shownSources), scene.canvas(), sourceSizes);
        Map<String, Placement> bySource = new HashMap<>();
        for (Placement p : placements) {
            bySource.put(p.sourceId(), p);
        }
        Scene.Builder b = scene.toBuilder();
        for (Layer layer : scene.layers()) {
            if (layer instanceof VideoLayer v) {
                Placement p = bySource.get(v.sourceId());
                LayerProperties props = p == null
                        ? v.properties().withVisible(false)
                        : v.properties().withBounds(p.bounds()).withZOrder(p.zOrder()).withVisible(true);
                b.replaceLayer(v.withProperties(props));
            }
        }
        return b.build();
    }

    /** Returns {start, length} of part {@code i} of {@code count} along {@code total} pixels. */
    private static int[] span(int i, int count, int total, int gap) {
        int g = total - gap * (count + 1) >= count ? gap : 0;
        int usable = total - g * (count + 1);
        int start = g * (i + 1) + (int) ((long) i * usable / count);
        int end = g * (i + 1) + (int) ((long) (i + 1) * usable / count);
        return new int[]{start, end - start};
    }

    private static void checkIds(List<String> ids) {
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(Objects.requireNonNull(id, "source id"))) {
                throw new IllegalArgumentException("source '" + id + "' is listed twice");
            }
        }
    }

    private static void checkGap(int gap) {
        if (gap < 0) {
            throw new IllegalArgumentException("gap or margin " + gap + " is negative");
        }
    }

    private static void requireFit(int count, int pixels, String what, String dimension) {
        if (count > pixels) {
            throw new IllegalArgumentException(
                    "cannot place " + count + " sources " + what + " on a canvas " + pixels + " pixels " + dimension);
        }
    }

    private static int clamp(int value, int max) {
        return Math.max(1, Math.min(value, max));
    }
}
