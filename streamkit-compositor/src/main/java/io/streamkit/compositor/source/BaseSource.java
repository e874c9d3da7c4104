package io.streamkit.compositor.source;

import io.streamkit.compositor.audio.SampleRing;
import io.streamkit.compositor.internal.FrameExchange;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** What every source shares: the frame exchange, the audio ring, state, stall detection, stats. */
abstract class BaseSource implements MediaSource {

    /** Default time without a frame before a source counts as stalled. */
    static final Duration DEFAULT_STALL = Duration.ofSeconds(2);
    /** Default time without a frame before the placeholder replaces the last frame. */
    static final Duration DEFAULT_PLACEHOLDER = Duration.ofSeconds(5);
    /** The capacity of each source's audio ring: two seconds. */
    static final int RING_FRAMES = 2 * SampleRing.SAMPLE_RATE;

    private final String id;
    final FrameExchange frames = new FrameExchange();
    private final SampleRing ring;
    final LongSupplier clock;
    private final long stallNanos;
    private final long placeholderNanos;
    private volatile SourceState state = SourceState.CONNECTING;
    private volatile long lastPublish;
    private volatile int lastWidth;
    private volatile int lastHeight;
    private volatile String lastError = "";
    final AtomicLong restarts = new AtomicLong();
    final AtomicLong decodeErrors = new AtomicLong();
    final AtomicLong audioFrames = new AtomicLong();
    // render-thread side
    private boolean placeholderShown;
    private BufferedImage placeholder;
    private SourceState placeholderState;

    BaseSource(String id, boolean hasAudio, Duration stall, Duration placeholderAfter, LongSupplier clock) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("source id is blank");
        }
        this.id = id;
        this.ring = hasAudio ? new SampleRing(RING_FRAMES) : null;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stallNanos = positive(stall, "stall timeout");
        this.placeholderNanos = positive(placeholderAfter, "placeholder delay");
        this.lastPublish = clock.getAsLong();
    }

    private static long positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d.toNanos();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Optional<SampleRing> audio() {
        return Optional.ofNullable(ring);
    }

    /** Returns the ring, or null; for subclasses that write audio. */
    SampleRing ring() {
        return ring;
    }

    /** Returns the writer's image for the next frame. */
    BufferedImage writable(int width, int height) {
        return frames.writable(width, height);
    }

    /** Publishes the image drawn since {@link #writable(int, int)}. */
    void publishFrame(int width, int height) {
        frames.publish();
        frameDelivered(width, height);
    }

    /** Notes a frame delivered some other way than {@link #publishFrame(int, int)}. */
    void frameDelivered(int width, int height) {
        lastWidth = width;
        lastHeight = height;
        lastPublish = clock.getAsLong();
        if (state != SourceState.CLOSED) {
            state = SourceState.LIVE;
        }
    }

    /** Writes decoded audio at the position of its monotonic time. */
    void writeAudio(long wallNanos, float[] samples, int count) {
        if (ring != null && count > 0) {
            ring.write(SampleRing.position(wallNanos), samples, 0, count);
            audioFrames.addAndGet(count);
        }
    }

    void setState(SourceState next) {
        if (state != SourceState.CLOSED) {
            state = next;
        }
    }

    void error(String message) {
        lastError = message;
    }

    /** Returns the count of timestamp re-anchorings; 0 for sources without timestamps. */
    long resyncs() {
        return 0;
    }

    @Override
    public BufferedImage takeFrame() {
        BufferedImage f = takeNewFrame();
        if (f != null) {
            placeholderShown = false;
            return f;
        }
        SourceState s = state();
        if ((s == SourceState.STALLED || s == SourceState.ENDED)
                && clock.getAsLong() - lastPublish >= placeholderNanos
                && (!placeholderShown || placeholderState != s)) {
            placeholderShown = true;
            return placeholder(s);
        }
        return null;
    }

    /** @return frames decoded and handed to the renderer's side */
    long framesPublished() {
        return frames.published();
    }

    /** @return frames replaced before the renderer took them */
    long framesDropped() {
        return frames.dropped();
    }

    /** @return the newest frame if not taken yet, else {@code null} */
    BufferedImage takeNewFrame() {
        return frames.take();
    }

    @Override
    public SourceState state() {
        SourceState s = state;
        if (s == SourceState.LIVE && clock.getAsLong() - lastPublish > stallNanos) {
            return SourceState.STALLED;
        }
        return s;
    }

    @Override
    public SourceStats stats() {
        return new SourceStats(id, state(), framesPublished(), framesDropped() + decodeErrors.get(), restarts.get(),
                resyncs() + (ring == null ? 0 : ring.resyncs()), audioFrames.get(), lastWidth, lastHeight,
                lastError);
    }

    private BufferedImage placeholder(SourceState s) {
        int w = lastWidth > 0 ? lastWidth : 640;
        int h = lastHeight > 0 ? lastHeight : 360;
        if (placeholder == null || placeholder.getWidth() != w || placeholder.getHeight() != h
                || placeholderState != s) {
            placeholder = drawPlaceholder(w, h, id, s == SourceState.ENDED ? "ended" : "no signal");
            placeholderState = s;
        }
        return placeholder;
    }

    static BufferedImage drawPlaceholder(int w, int h, String title, String subtitle) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(new Color(0x20, 0x20, 0x20));
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(0xA0, 0xA0, 0xA0));
            int size = Math.max(8, h / 12);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
            FontMetrics m = g.getFontMetrics();
            g.drawString(title, (w - m.stringWidth(title)) / 2, h / 2 - size / 4);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size * 3 / 4));
            m = g.getFontMetrics();
            g.drawString(subtitle, (w - m.stringWidth(subtitle)) / 2, h / 2 + size);
        } finally {
            g.dispose();
        }
        return img;
    }
}
