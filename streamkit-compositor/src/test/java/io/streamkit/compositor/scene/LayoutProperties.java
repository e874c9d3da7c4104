package io.streamkit.compositor.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the built-in layouts for any number of sources and any canvas. */
class LayoutProperties {

    /** A layout with what it promises. */
    record Named(String name, Layout layout, boolean placesAll, boolean noOverlap) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Provide
    Arbitrary<Named> layouts() {
        List<Named> all = new ArrayList<>();
        all.add(new Named("solo", Layouts.solo(), false, true));
        for (int gap : new int[]{0, 7, 40}) {
            all.add(new Named("sideBySide(" + gap + ")", Layouts.sideBySide(gap), true, true));
            all.add(new Named("grid(" + gap + ")", Layouts.grid(gap), true, true));
            all.add(new Named("speakerStrip(" + gap + ")", Layouts.speakerStrip(gap), true, true));
        }
        for (Corner corner : Corner.values()) {
            all.add(new Named("pip(" + corner + ")", Layouts.pictureInPicture(corner, 0.3, 24), false, false));
        }
        all.add(new Named("pip(full)", Layouts.pictureInPicture(Corner.TOP_LEFT, 1.0, 500), false, false));
        return Arbitraries.of(all);
    }

    @Provide
    Arbitrary<Size> canvases() {
        return Combinators.combine(Arbitraries.integers().between(Scene.MIN_CANVAS, 4096),
                Arbitraries.integers().between(Scene.MIN_CANVAS, 4096)).as(Size::new);
    }

    @Provide
    Arbitrary<Size> sourceSizes() {
        return Combinators.combine(Arbitraries.integers().between(2, 3840), Arbitraries.integers().between(2, 2160))
                .as(Size::new);
    }

    private static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("s" + i);
        }
        return ids;
    }

    private static Map<String, Size> sizes(List<String> ids, Size size) {
        Map<String, Size> sizes = new HashMap<>();
        for (String id : ids) {
            sizes.put(id, size);
        }
        return sizes;
    }

    @Property
    void placementsStayInsideTheCanvasAndPlaceEachSourceOnce(@ForAll("layouts") Named layout,
            @ForAll @IntRange(min = 0, max = 16) int n, @ForAll("canvases") Size canvas,
            @ForAll("sourceSizes") Size source) {
        List<String> ids = ids(n);
        List<Placement> placements = layout.layout().place(ids, canvas, sizes(ids, source));
        Rect all = Rect.of(canvas);
        Set<String> placed = new HashSet<>();
        for (Placement p : placements) {
            assertTrue(all.contains(p.bounds()), p + " outside " + canvas);
            assertTrue(ids.contains(p.sourceId()), "unknown source " + p.sourceId());
            assertTrue(placed.add(p.sourceId()), p.sourceId() + " placed twice");
        }
        if (layout.placesAll()) {
            assertEquals(n, placements.size(), "every visible source is placed");
        } else {
            assertEquals(Math.min(n, layout.name().startsWith("pip") ? 2 : 1), placements.size());
        }
    }

    @Property
    void cellsDoNotOverlapWhereTheLayoutPromisesIt(@ForAll("layouts") Named layout,
            @ForAll @IntRange(min = 0, max = 16) int n, @ForAll("canvases") Size canvas) {
        List<Placement> placements = layout.layout().place(ids(n), canvas, Map.of());
        if (!layout.noOverlap()) {
            return;
        }
        for (int i = 0; i < placements.size(); i++) {
            for (int j = i + 1; j < placements.size(); j++) {
                assertFalse(placements.get(i).bounds().intersects(placements.get(j).bounds()),
                        placements.get(i) + " overlaps " + placements.get(j));
            }
        }
    }

    @Property
    void fitPreservesTheSourceAspectRatioWithinAPixel(@ForAll("layouts") Named layout,
            @ForAll @IntRange(min = 1, max = 16) int n, @ForAll("canvases") Size canvas,
            @ForAll("sourceSizes") Size source) {
        List<String> ids = ids(n);
        for (Placement p : layout.layout().place(ids, canvas, sizes(ids, source))) {
            Rect dest = ScaleMode.FIT.destination(source, p.bounds());
            assertTrue(p.bounds().contains(dest), dest + " outside its cell " + p.bounds());
            double exactHeight = dest.width() / source.aspect();
            double exactWidth = dest.height() * source.aspect();
            assertTrue(Math.abs(dest.height() - exactHeight) <= 1 || Math.abs(dest.width() - exactWidth) <= 1,
                    source + " fitted to " + dest);
            assertTrue(dest.width() == p.bounds().width() || dest.height() == p.bounds().height(),
                    dest + " does not touch two sides of " + p.bounds());
        }
    }

    @Property
    void fillShowsACentredRegionOfTheCropWithTheCellAspect(@ForAll("sourceSizes") Size source,
            @ForAll("canvases") Size cell) {
        Rect crop = Rect.of(source);
        Rect region = ScaleMode.FILL.source(crop, Rect.of(cell));
        assertTrue(crop.contains(region), region + " outside " + crop);
        double scale = Math.max((double) cell.width() / source.width(), (double) cell.height() / source.height());
        assertTrue(Math.abs(region.width() * scale - cell.width()) <= scale + 1e-6
                || Math.abs(region.height() * scale - cell.height()) <= scale + 1e-6);
    }

    @Property
    void theInsetOfPictureInPictureLiesInsideTheMainPicture(@ForAll Corner corner,
            @ForAll @IntRange(min = 2, max = 16) int n, @ForAll("canvases") Size canvas,
            @ForAll("sourceSizes") Size source, @ForAll @IntRange(min = 1, max = 100) int percent,
            @ForAll @IntRange(min = 0, max = 300) int margin) {
        List<String> ids = ids(n);
        List<Placement> placements = Layouts.pictureInPicture(corner, percent / 100.0, margin).place(ids, canvas,
                sizes(ids, source));
        assertEquals(2, placements.size());
        Placement main = placements.get(0);
        Placement inset = placements.get(1);
        assertEquals(Rect.of(canvas), main.bounds());
        assertTrue(main.bounds().contains(inset.bounds()), inset + " outside " + main);
        assertTrue(inset.zOrder() > main.zOrder(), "the inset is drawn above the main picture");
    }
}
