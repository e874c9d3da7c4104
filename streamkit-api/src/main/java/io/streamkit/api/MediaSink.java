package io.streamkit.api;

import java.util.List;

/**
 * Receives the media of a stream through a {@link Subscription}. Methods are called one at a
 * time, in stream order, on the executor given to {@link SubscribeOptions}.
 *
 * <p>{@link #onTracks(List)} always comes before the first packet and again whenever the tracks
 * change. The first packet after subscribing, after an overflow and after a publisher change is
 * a keyframe (for a stream with video).
 */
public interface MediaSink {

    /**
     * Called once, on the subscribing thread, before any other method: keep the subscription to
     * {@link Subscription#resume() resume} it after back-pressure.
     *
     * @param subscription the new subscription
     */
    default void onSubscribe(Subscription subscription) {
    }

    /**
     * The stream's tracks, before the first packet and on every change (new codec configuration).
     *
     * @param tracks the tracks, immutable
     */
    void onTracks(List<TrackInfo> tracks);

    /**
     * One packet, lent for the duration of the call: {@link MediaPacket#retain()} it to keep it.
     *
     * @param packet the packet
     */
    void onPacket(MediaPacket packet);

    /**
     * The publisher left and did not come back within the grace period. The subscription stays
     * open and resumes with {@link #onTracks(List)} when a new publisher arrives.
     */
    default void onUnpublished() {
    }

    /**
     * Back-pressure: while this returns {@code false} the subscription stops delivering and
     * queues; call {@link Subscription#resume()} when ready again. A queue that overflows drops
     * to the next keyframe, counted in {@link SubscriptionStats}.
     *
     * @return whether the sink accepts more packets now
     */
    default boolean isReady() {
        return true;
    }

    /**
     * The subscription ended (closed by either side, or the stream closed).
     *
     * @param cause the failure, or {@code null} for a normal close
     */
    default void onClose(Throwable cause) {
    }
}
