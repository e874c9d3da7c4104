package io.streamkit.api.testkit;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.TrackInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A sink that records copies of what it receives (it retains nothing), for assertions.
 */
public class RecordingSink implements MediaSink {

    /**
     * A received packet, copied.
     *
     * @param trackId track
     * @param dts decode time in the packet's timescale
     * @param pts presentation time
     * @param timescale ticks per second
     * @param keyframe keyframe flag
     * @param bytes payload copy
     */
    public record Received(int trackId, long dts, long pts, int timescale, boolean keyframe, byte[] bytes) {
        /** @return decode time in ms */
        public long dtsMillis() {
            return MediaPacket.rescale(dts, timescale, 1000);
        }

        /** @return presentation time in ms */
        public long ptsMillis() {
            return MediaPacket.rescale(pts, timescale, 1000);
        }
    }

    private final List<Received> packets = new ArrayList<>();
    private final List<List<TrackInfo>> trackUpdates = new ArrayList<>();
    private int unpublished;
    private boolean closed;
    private Throwable closeCause;

    @Override
    public synchronized void onTracks(List<TrackInfo> tracks) {
        trackUpdates.add(tracks);
    }

    @Override
    public synchronized void onPacket(MediaPacket p) {
        packets.add(new Received(p.trackId(), p.dts(), p.pts(), p.timescale(), p.isKeyframe(), p.payload()
                .toByteArray()));
    }

    @Override
    public synchronized void onUnpublished() {
        unpublished++;
    }

    @Override
    public synchronized void onClose(Throwable cause) {
        closed = true;
        closeCause = cause;
    }

    /** @return the packets so far */
    public synchronized List<Received> packets() {
        return List.copyOf(packets);
    }

    /** @return every track list received */
    public synchronized List<List<TrackInfo>> trackUpdates() {
        return List.copyOf(trackUpdates);
    }

    /** @return how many times the publisher was gone for good */
    public synchronized int unpublished() {
        return unpublished;
    }

    /** @return whether the subscription closed */
    public synchronized boolean closed() {
        return closed;
    }

    /** @return the close cause */
    public synchronized Throwable closeCause() {
        return closeCause;
    }

    /**
     * Waits until a condition holds.
     *
     * @param timeout the most to wait
     * @param condition the condition
     * @param what a description for the failure message
     */
    public static void await(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
