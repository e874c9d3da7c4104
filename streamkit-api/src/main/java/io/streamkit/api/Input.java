package io.streamkit.api;

/**
 * Pulls a remote source (for example RTMP {@code play} or an SRT caller in read mode) and
 * publishes it into a stream. Created by {@link Stream#addInput(InputConfig)}; {@link #close()}
 * removes it. A reconnect within the kit's grace period keeps the stream's subscribers.
 */
public interface Input extends Endpoint {

    /** @return the settings it was created with */
    InputConfig config();
}
