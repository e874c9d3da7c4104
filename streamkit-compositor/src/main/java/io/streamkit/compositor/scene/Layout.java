package io.streamkit.compositor.scene;

import java.util.List;
import java.util.Map;

/**
 * A layout: a pure function from the visible video sources to their rectangles on the canvas.
 * Implementations are in {@link Layouts}; {@link Layouts#apply(Scene, Layout, Map)} applies one to
 * the video layers of a scene.
 *
 * <p>
 * Contract: every placement lies inside the canvas; a source is placed at most once; sources the
 * layout does not show (a solo layout shows only the first) are simply not placed. Video is
 * expected to be drawn in {@link ScaleMode#FIT} inside its rectangle.
 */
@FunctionalInterface
public interface Layout {

    /**
     * Places the visible sources.
     *
     * @param visibleSourceIds the sources to place, in priority order (the first is the main or
     *                         speaker source); no duplicates
     * @param canvas           the canvas size
     * @param sourceSizes      the frame size of the sources that have one (missing sources are
     *                         assumed 16:9)
     * @return the placements, in the order of {@code visibleSourceIds}
     * @throws IllegalArgumentException when the ids contain duplicates or the canvas is too small
     *                                  to give each source a pixel
     */
    List<Placement> place(List<String> visibleSourceIds, Size canvas, Map<String, Size> sourceSizes);
}
