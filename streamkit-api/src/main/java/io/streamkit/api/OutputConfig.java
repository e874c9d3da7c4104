package io.streamkit.api;

import java.net.URI;
import java.util.Objects;

/**
 * Settings of an {@link Output}.
 *
 * @param uri the destination, for example {@code rtmp://a.example/app/key}
 * @param enabled whether it starts connecting at once
 * @param reconnect the back-off between attempts
 * @param queueCapacity packets that may wait before the output drops to the next keyframe
 */
public record OutputConfig(URI uri, boolean enabled, ReconnectPolicy reconnect, int queueCapacity) {

    /** Validates every field. */
    public OutputConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(reconnect, "reconnect");
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("output URI needs a scheme: " + Uris.redact(uri));
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be >= 1, was " + queueCapacity);
        }
    }

    /**
     * @param uri the destination
     * @return an enabled output with the default back-off and queue
     */
    public static OutputConfig of(URI uri) {
        return new OutputConfig(uri, true, ReconnectPolicy.DEFAULT, SubscribeOptions.DEFAULT_QUEUE_CAPACITY);
    }

    /** @param on whether enabled @return a copy */
    public OutputConfig withEnabled(boolean on) {
        return new OutputConfig(uri, on, reconnect, queueCapacity);
    }

    /** @param policy the back-off @return a copy */
    public OutputConfig withReconnect(ReconnectPolicy policy) {
        return new OutputConfig(uri, enabled, policy, queueCapacity);
    }
}
