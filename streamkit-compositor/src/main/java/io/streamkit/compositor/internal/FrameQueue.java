package io.streamkit.compositor.internal;

import java.awt.image.BufferedImage;
import java.util.ArrayDeque;

/**
 * A bounded queue of decoded frames stamped in program time, between one decode thread and the
 * render thread, for sources that follow the program's clock instead of the wall clock. The
 * decoder takes a free image ({@link #acquire(int, int)}, which blocks while all are in use: the
 * decoder never runs further ahead than the queue holds, so no decoded frame is thrown away),
 * draws into it and queues it with its time ({@link #put(long, BufferedImage)}). The renderer
 * {@link #advanceTo(long, long) advances} to a program time: it waits until the frame shown at that
 * time is known (a queued frame later than it exists, or the source has ended), makes the latest
 * frame not later than it current, and recycles the ones it passed. {@link #take()} then returns
 * the current frame once, as {@link FrameExchange#take()} does; it stays valid until the next
 * advance that replaces it.
 */
public final class FrameQueue {
    private record Entry(long time, BufferedImage image) {
    }

    private final ArrayDeque<BufferedImage> free = new ArrayDeque<>();
    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private BufferedImage current;
    private long currentTime = Long.MIN_VALUE;
    private boolean fresh;
    private boolean ended;
    private boolean closed;
    private long passed;
    private long shown;
    private boolean videoless;
    private long audioTime = Long.MIN_VALUE;
    private long advanced = Long.MIN_VALUE;

    /**
     * @param capacity how many decoded frames may wait (at least 2)
     */
    public FrameQueue(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2, was " + capacity);
        }
        for (int i = 0; i < capacity; i++) {
            free.add(new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR));
        }
    }

    /**
     * Takes a free image of the given size for the next frame, waiting while every image is queued
     * or shown.
     *
     * @param width the width
     * @param height the height
     * @return a {@link BufferedImage#TYPE_3BYTE_BGR} image, or {@code null} once the queue is closed
     * @throws InterruptedException when interrupted while waiting
     */
    public synchronized BufferedImage acquire(int width, int height) throws InterruptedException {
        while (free.isEmpty() && !closed) {
            wait();
        }
        if (closed) {
            return null;
        }
        BufferedImage img = free.poll();
        if (img.getWidth() != width || img.getHeight() != height) {
            img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        }
        return img;
    }

    /**
     * Queues a decoded frame.
     *
     * @param time its program time in nanoseconds (not earlier than the previous frame's)
     * @param image the image from {@link #acquire(int, int)}
     */
    public synchronized void put(long time, BufferedImage image) {
        if (closed) {
            return;
        }
        ready.add(new Entry(time, image));
        notifyAll();
    }

    /**
     * Gives back an acquired image that will not be queued.
     *
     * @param image the image
     */
    public synchronized void release(BufferedImage image) {
        free.add(image);
        notifyAll();
    }

    /**
     * Says that no frame follows (the source ended); {@link #advanceTo(long, long)} no longer
     * waits. {@link #resume()} undoes it.
     */
    public synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** Frames follow again (the source restarted). */
    public synchronized void resume() {
        ended = false;
    }

    /** Ends the queue for good: waiting decoders get {@code null}, waiting renderers return. */
    public synchronized void close() {
        closed = true;
        ended = true;
        notifyAll();
    }

    /**
     * Advances to a program time: waits (at most {@code timeoutNanos}) until the frame to show at
     * {@code time} is known, then makes it current.
     *
     * @param time the program time in nanoseconds
     * @param timeoutNanos the longest wait
     * @return {@code true} when the frame is known (or the source ended), {@code false} on timeout
     * @throws InterruptedException when interrupted while waiting
     */
    public synchronized boolean advanceTo(long time, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        if (time > advanced) {
            advanced = time;
            notifyAll();
        }
        while (true) {
            while (!ready.isEmpty() && ready.peekFirst().time() <= time) {
                Entry e = ready.poll();
                if (current != null) {
                    free.add(current);
                    if (fresh) {
                        passed++;
                    }
                }
                current = e.image();
                currentTime = e.time();
                fresh = true;
                notifyAll();
            }
            if (!ready.isEmpty() || ended || (videoless && audioTime >= time)) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
    }

    /**
     * Says whether the source has no video (then {@link #advanceTo(long, long)} follows its audio).
     *
     * @param none whether the current session has no video
     */
    public synchronized void videoless(boolean none) {
        videoless = none;
        notifyAll();
    }

    /**
     * Notes that the source's audio reached a program time.
     *
     * @param time the program time of the end of the audio written so far
     */
    public synchronized void audioReached(long time) {
        if (time > audioTime) {
            audioTime = time;
            notifyAll();
        }
    }

    /**
     * Waits until the program has advanced to at least the given time (bounds how far a decoder's
     * audio runs ahead of the program).
     *
     * @param time the program time
     * @throws InterruptedException when interrupted while waiting
     */
    public synchronized void awaitProgram(long time) throws InterruptedException {
        while (advanced < time && !closed) {
            wait();
        }
    }

    /**
     * @return the current frame if it was not taken since it became current, else {@code null}
     */
    public synchronized BufferedImage take() {
        if (!fresh) {
            return null;
        }
        fresh = false;
        shown++;
        return current;
    }

    /** @return whether the source ended and every queued frame has been passed */
    public synchronized boolean drained() {
        return ended && ready.isEmpty();
    }

    /** @return the program time of the current frame, or {@link Long#MIN_VALUE} before the first */
    public synchronized long currentTime() {
        return currentTime;
    }

    /** @return frames that became current and were replaced before anyone took them */
    public synchronized long passed() {
        return passed;
    }

    /** @return frames handed out by {@link #take()} */
    public synchronized long shown() {
        return shown;
    }
}
