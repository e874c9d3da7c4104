package io.streamkit.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The handle of the one party publishing into a {@link Stream}. Closing it unpublishes; the
 * stream then waits for the kit's grace period for a publisher to return before it tells
 * subscribers, so a publisher that reconnects keeps its audience.
 */
public interface Publisher extends AsyncCloseable {

    /** @return a unique id within the kit */
    String id();

    /** @return the stream published into */
    Stream stream();

    /**
     * Hands a packet to the stream, which takes the caller's reference. Returns {@code false}
     * and releases the packet when this publisher is no longer active or the packet names an
     * unknown track (counted in the stream's stats).
     *
     * @param packet the packet
     * @return whether the packet was accepted
     */
    boolean send(MediaPacket packet);

    /**
     * Replaces the track list (for example when a new sequence header arrives); subscribers get
     * {@link MediaSink#onTracks(List)} in order with the packets.
     *
     * @param tracks the new tracks
     */
    void updateTracks(List<TrackInfo> tracks);

    /** @return whether this publisher is still the stream's publisher */
    boolean isActive();

    /**
     * @return a future completed when this publisher stops being the stream's publisher: taken
     *         over, closed, or the stream closed
     */
    CompletableFuture<Void> revoked();
}
