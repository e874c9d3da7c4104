package io.streamkit.examples.studio;

import io.streamkit.compositor.audio.ChannelSettings;
import io.streamkit.compositor.program.Compositor;
import io.streamkit.compositor.program.CompositorStats;
import io.streamkit.compositor.scene.Corner;
import io.streamkit.compositor.scene.Layout;
import io.streamkit.compositor.scene.Layouts;
import io.streamkit.compositor.scene.Rect;
import io.streamkit.compositor.scene.TextLayer;
import io.streamkit.compositor.scene.VideoLayer;
import io.streamkit.compositor.source.MediaSource;
import io.streamkit.compositor.source.SourceStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The studio's live controls over a running {@link Compositor}: the layout, which sources are
 * shown, their audio, and the lower third. Every change is one atomic scene swap (the next frame
 * uses it) or one mixer update. Thread-safe: calls are serialized on this object.
 */
public final class StudioController {

    /** The id of the lower-third text layer. */
    public static final String LOWER_THIRD = "lower-third";

    /** The longest lower third accepted, in characters. */
    public static final int MAX_TEXT = 200;

    private static final int GAP = 8;

    /** The layouts the studio offers, by name. */
    public static final List<String> LAYOUTS = List.of("solo", "side-by-side", "grid", "picture-in-picture",
            "speaker-strip");

    private final Compositor program;
    private final Map<String, String> labels;
    private final List<String> order;
    private final Map<String, Boolean> shown = new LinkedHashMap<>();
    private String layout;

    /**
     * @param program the running program
     * @param labels  source id → label shown on the control page (a URL, "test pattern"), in order
     * @param shownAtStart the sources shown at start
     * @param layout  the layout at start, one of {@link #LAYOUTS}
     */
    public StudioController(Compositor program, Map<String, String> labels, List<String> shownAtStart, String layout) {
        this.program = program;
        this.labels = new LinkedHashMap<>(labels);
        this.order = new ArrayList<>(labels.keySet());
        for (String id : order) {
            shown.put(id, shownAtStart.contains(id));
        }
        this.layout = requireLayout(layout);
        applyLayout();
    }

    /**
     * Adds a source that joined while live (a WebRTC guest): a video layer for it, shown, and the
     * layout applied again. The compositor must already have the source.
     *
     * @param sourceId the source's id
     * @param label    its label on the control page
     * @throws IllegalArgumentException when the id is taken
     */
    public synchronized void addSource(String sourceId, String label) {
        if (labels.containsKey(sourceId)) {
            throw new IllegalArgumentException("source '" + sourceId + "' exists");
        }
        labels.put(sourceId, label);
        order.add(sourceId);
        shown.put(sourceId, true);
        int w = program.scene().current().width();
        int h = program.scene().current().height();
        program.scene().update(s -> s.toBuilder().addLayer(VideoLayer.of(sourceId, new Rect(0, 0, w, h))).build());
        applyLayout();
    }

    /**
     * Switches the layout.
     *
     * @param name one of {@link #LAYOUTS}
     * @throws IllegalArgumentException for an unknown name
     */
    public synchronized void layout(String name) {
        layout = requireLayout(name);
        applyLayout();
    }

    /** @return the current layout's name */
    public synchronized String layout() {
        return layout;
    }

    /**
     * Shows or hides a source; the layout places the shown ones.
     *
     * @param sourceId the source
     * @param visible  whether it is shown
     * @throws IllegalArgumentException for an unknown source
     */
    public synchronized void visible(String sourceId, boolean visible) {
        requireSource(sourceId);
        shown.put(sourceId, visible);
        applyLayout();
    }

    /**
     * Mutes or unmutes a source's audio.
     *
     * @param sourceId the source
     * @param muted    whether it is muted
     * @throws IllegalArgumentException for an unknown source
     */
    public synchronized void muted(String sourceId, boolean muted) {
        requireSource(sourceId);
        program.mixer().update(sourceId, s -> s.withMuted(muted));
    }

    /**
     * Sets a source's gain.
     *
     * @param sourceId the source
     * @param db       the gain in dB, from -60 to +24
     * @throws IllegalArgumentException for an unknown source or a gain out of range
     */
    public synchronized void gainDb(String sourceId, double db) {
        requireSource(sourceId);
        if (!Double.isFinite(db) || db < -60 || db > 20 * Math.log10(ChannelSettings.MAX_GAIN) + 1e-9) {
            throw new IllegalArgumentException("gainDb must be between -60 and "
                    + Math.round(20 * Math.log10(ChannelSettings.MAX_GAIN)) + ", got " + db);
        }
        program.mixer().update(sourceId, s -> s.withGainDb(db));
    }

    /**
     * Replaces the lower third's text; an empty text hides it.
     *
     * @param text the new text, at most {@link #MAX_TEXT} characters, no control characters
     * @throws IllegalArgumentException for a text too long or with control characters
     */
    public synchronized void lowerThird(String text) {
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("text is longer than " + MAX_TEXT + " characters (" + text.length()
                    + ")");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new IllegalArgumentException("text contains a control character at index " + i);
            }
        }
        program.scene().update(s -> s.withText(LOWER_THIRD, text.isEmpty() ? " " : text).withVisible(LOWER_THIRD,
                !text.isEmpty()));
    }

    /** @return the lower third's text, empty when hidden */
    public synchronized String lowerThird() {
        return program.scene().current().layer(LOWER_THIRD).filter(l -> l.properties().visible())
                .map(l -> ((TextLayer) l).text()).orElse("");
    }

    /** @return a snapshot of the controls and the program's figures, for the control page */
    public synchronized Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layout", layout);
        m.put("layouts", LAYOUTS);
        m.put("text", lowerThird());
        List<Map<String, Object>> sources = new ArrayList<>();
        for (String id : order) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", id);
            s.put("label", labels.get(id));
            s.put("visible", shown.get(id));
            ChannelSettings audio = program.mixer().settings(id);
            s.put("muted", audio.muted());
            s.put("gainDb", Math.round(audio.gainDb() * 10) / 10.0);
            program.source(id).map(MediaSource::stats).ifPresent(st -> putSource(s, st));
            sources.add(s);
        }
        m.put("sources", sources);
        CompositorStats st = program.stats();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("framesComposed", st.framesComposed());
        p.put("framesEncoded", st.framesEncoded());
        p.put("framesDropped", st.framesDropped());
        p.put("ticksSkipped", st.ticksSkipped());
        p.put("encodeMillisP50", round(st.encodeMillisP50()));
        p.put("encodeMillisP99", round(st.encodeMillisP99()));
        p.put("renderMillisP50", round(st.renderMillisP50()));
        p.put("bytesPublished", st.bytesPublished());
        m.put("program", p);
        return m;
    }

    private static void putSource(Map<String, Object> s, SourceStats st) {
        s.put("state", st.state().name());
        s.put("framesDecoded", st.framesDecoded());
        s.put("width", st.width());
        s.put("height", st.height());
        if (st.lastError() != null && !st.lastError().isEmpty()) {
            s.put("lastError", st.lastError());
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private void applyLayout() {
        List<String> visible = new ArrayList<>();
        for (String id : order) {
            if (shown.get(id)) {
                visible.add(id);
            }
        }
        Layout l = layoutOf(layout);
        program.scene().update(s -> Layouts.apply(s, l, visible, Map.of()));
    }

    private static Layout layoutOf(String name) {
        return switch (name) {
            case "solo" -> Layouts.solo();
            case "side-by-side" -> Layouts.sideBySide(GAP);
            case "grid" -> Layouts.grid(GAP);
            case "picture-in-picture" -> Layouts.pictureInPicture(Corner.BOTTOM_RIGHT, 0.28, 24);
            case "speaker-strip" -> Layouts.speakerStrip(GAP);
            default -> throw new IllegalArgumentException("unknown layout '" + name + "', expected one of " + LAYOUTS);
        };
    }

    private static String requireLayout(String name) {
        if (name == null || !LAYOUTS.contains(name)) {
            throw new IllegalArgumentException("unknown layout '" + name + "', expected one of " + LAYOUTS);
        }
        return name;
    }

    private void requireSource(String id) {
        if (!labels.containsKey(id)) {
            throw new IllegalArgumentException("unknown source '" + id + "', expected one of " + order);
        }
    }
}
