package io.streamkit.compositor.source;

import io.streamkit.compositor.audio.SampleRing;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A generated source: colour bars that move one step per frame and a frame counter, with an
 * optional 1 kHz tone. In {@linkplain Builder#syncFlash(boolean) sync-flash} mode the picture
 * turns white and the tone sounds for the first 100 ms of every second, and both are silent and
 * dark otherwise: the output shows the audio/video offset of everything downstream. Draws on its
 * own thread at its frame rate.
 */
public final class TestPatternSource extends BaseSource {

    private static final Color[] BARS = {new Color(192, 192, 192), new Color(192, 192, 0), new Color(0, 192, 192),
            new Color(0, 192, 0), new Color(192, 0, 192), new Color(192, 0, 0), new Color(0, 0, 192),
            new Color(16, 16, 16)};
    private static final double TONE_HZ = 1000;
    private static final double TONE_LEVEL = 0.1; // -20 dBFS

    private final int width;
    private final int height;
    private final double fps;
    private final boolean tone;
    private final boolean flash;
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;

    private TestPatternSource(Builder b) {
        super(b.id, b.tone || b.flash, BaseSource.DEFAULT_STALL, BaseSource.DEFAULT_PLACEHOLDER, System::nanoTime);
        this.width = b.width;
        this.height = b.height;
        this.fps = b.fps;
        this.tone = b.tone;
        this.flash = b.flash;
        this.thread = new Thread(this::run, "streamkit-source-" + b.id);
        this.thread.setDaemon(true);
    }

    /**
     * Starts a builder: 1280x720 at 30 fps, no tone.
     *
     * @param id the source id
     * @return the builder
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    @Override
    public void start() {
        if (closed) {
            throw new IllegalStateException("source " + id() + " is closed");
        }
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        setState(SourceState.CLOSED);
        if (started.get()) {
            LockSupport.unpark(thread);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long t0 = System.nanoTime();
        long period = (long) (1e9 / fps);
        long audioPos = SampleRing.position(t0);
        long startPos = audioPos;
        float[] chunk = new float[2 * 4096];
        Font font = new Font(Font.MONOSPACED, Font.BOLD, Math.max(8, height / 10));
        for (long k = 0; !closed; k++) {
            long due = t0 + k * period;
            long elapsed = due - t0;
            boolean white = flash && (elapsed % 1_000_000_000L) < 100_000_000L;
            BufferedImage img = writable(width, height);
            Graphics2D g = img.createGraphics();
            try {
                if (white) {
                    g.setColor(Color.WHITE);
                    g.fillRect(0, 0, width, height);
                } else if (flash) {
                    g.setColor(Color.BLACK);
                    g.fillRect(0, 0, width, height);
                } else {
                    int bar = Math.max(1, width / BARS.length);
                    int shift = (int) (k % width);
                    for (int x = -width; x < width; x += bar) {
                        g.setColor(BARS[Math.floorMod((x + width) / bar, BARS.length)]);
                        g.fillRect(x + shift, 0, bar, height * 2 / 3);
                    }
                    g.setColor(Color.DARK_GRAY);
                    g.fillRect(0, height * 2 / 3, width, height - height * 2 / 3);
                }
                g.setColor(white ? Color.BLACK : Color.WHITE);
                g.setFont(font);
                g.drawString(String.format("%s %06d", id(), k), width / 20, height - height / 12);
            } finally {
                g.dispose();
            }
            long now = System.nanoTime();
            while (!closed && now < due) {
                LockSupport.parkNanos(due - now);
                now = System.nanoTime();
            }
            if (closed) {
                return;
            }
            publishFrame(width, height);
            if (ring() != null) {
                long target = SampleRing.position(now) + 2048;
                while (audioPos < target) {
                    int n = (int) Math.min(target - audioPos, chunk.length / 2);
                    for (int i = 0; i < n; i++) {
                        long s = audioPos + i - startPos;
                        float v = 0;
                        boolean on = tone || (s % SampleRing.SAMPLE_RATE) < SampleRing.SAMPLE_RATE / 10;
                        if (on) {
                            v = (float) (TONE_LEVEL * Math.sin(2 * Math.PI * TONE_HZ * s / SampleRing.SAMPLE_RATE));
                        }
                        chunk[2 * i] = v;
                        chunk[2 * i + 1] = v;
                    }
                    ring().write(audioPos, chunk, 0, n);
                    audioFrames.addAndGet(n);
                    audioPos += n;
                }
            }
        }
    }

    /** Builds a {@link TestPatternSource}. */
    public static final class Builder {
        private final String id;
        private int width = 1280;
        private int height = 720;
        private double fps = 30;
        private boolean tone;
        private boolean flash;

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        /**
         * Sets the picture size.
         *
         * @param newWidth  the width, 16..8192
         * @param newHeight the height, 16..8192
         * @return this builder
         */
        public Builder size(int newWidth, int newHeight) {
            if (newWidth < 16 || newWidth > 8192 || newHeight < 16 || newHeight > 8192) {
                throw new IllegalArgumentException("size " + newWidth + "x" + newHeight + " is outside 16..8192");
            }
            this.width = newWidth;
            this.height = newHeight;
            return this;
        }

        /**
         * Sets the frame rate.
         *
         * @param framesPerSecond above 0, at most 240
         * @return this builder
         */
        public Builder frameRate(double framesPerSecond) {
            if (!(framesPerSecond > 0 && framesPerSecond <= 240)) {
                throw new IllegalArgumentException("frame rate " + framesPerSecond + " is outside (0, 240]");
            }
            this.fps = framesPerSecond;
            return this;
        }

        /**
         * Adds a continuous 1 kHz tone at -20 dBFS.
         *
         * @param on whether the source has the tone
         * @return this builder
         */
        public Builder tone(boolean on) {
            this.tone = on;
            return this;
        }

        /**
         * Flashes white with a 1 kHz beep for the first 100 ms of every second, dark and silent
         * otherwise, to measure audio/video offsets.
         *
         * @param on whether to flash
         * @return this builder
         */
        public Builder syncFlash(boolean on) {
            this.flash = on;
            return this;
        }

        /**
         * Builds the source (not started).
         *
         * @return the source
         */
        public TestPatternSource build() {
            return new TestPatternSource(this);
        }
    }
}
