package io.streamkit.compositor.internal;

import java.awt.image.BufferedImage;

/**
 * Triple buffering between one decode thread and the render thread: the decoder draws into its
 * own image ({@link #writable(int, int)}), then {@link #publish()} swaps it with the ready slot;
 * the renderer's {@link #take()} swaps the ready slot with the image it held. The decoder never
 * writes into the image the renderer holds, so the renderer may keep drawing its last image while
 * no newer one arrives, and neither side waits for the other. A published image replaced before
 * the renderer took it is counted as dropped.
 */
public final class FrameExchange {

    private BufferedImage reader;
    private BufferedImage ready;
    private BufferedImage writer;
    private boolean fresh;
    private long dropped;
    private long published;

    /**
     * Returns the image to draw the next frame into, of the given size (reallocated when the size
     * changes). Only the writing thread calls this, before {@link #publish()}.
     *
     * @param width  the width
     * @param height the height
     * @return a {@link BufferedImage#TYPE_3BYTE_BGR} image owned by the writer until published
     */
    public synchronized BufferedImage writable(int width, int height) {
        if (writer == null || writer.getWidth() != width || writer.getHeight() != height) {
            writer = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        }
        return writer;
    }

    /** Makes the image drawn since {@link #writable(int, int)} the newest frame. */
    public synchronized void publish() {
        BufferedImage w = writer;
        writer = ready;
        ready = w;
        if (fresh) {
            dropped++;
        }
        fresh = true;
        published++;
    }

    /**
     * Takes the newest frame if one was published since the last take.
     *
     * @return the frame, owned by the reader until its next take; or {@code null}
     */
    public synchronized BufferedImage take() {
        if (!fresh) {
            return null;
        }
        BufferedImage r = reader;
        reader = ready;
        ready = r;
        fresh = false;
        return reader;
    }

    /**
     * Returns the newest published frame without taking it, for a thumbnail.
     *
     * @return the image (the caller must only read it, and copy it at once), or {@code null}
     */
    public synchronized BufferedImage peek() {
        return fresh ? ready : reader;
    }

    /**
     * Returns how many frames were published.
     *
     * @return the count
     */
    public synchronized long published() {
        return published;
    }

    /**
     * Returns how many published frames were replaced before being taken.
     *
     * @return the count
     */
    public synchronized long dropped() {
        return dropped;
    }
}
