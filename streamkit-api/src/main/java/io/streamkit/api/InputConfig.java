package io.streamkit.api;

import java.net.URI;
import java.util.Objects;

/**
 * Settings of an {@link Input} that pulls a remote source.
 *
 * @param uri the source, for example {@code rtmp://origin.example/live/show}
 * @param enabled whether it starts connecting at once
 * @param reconnect the back-off between attempts
 * @param policy what to do when the stream already has a publisher
 */
public record InputConfig(URI uri, boolean enabled, ReconnectPolicy reconnect, PublishPolicy policy) {

    /** Validates every field. */
    public InputConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(policy, "policy");
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("input URI needs a scheme: " + Uris.redact(uri));
        }
    }

    /**
     * @param uri the source
     * @return an enabled input with the default back-off that takes the stream over
     */
    public static InputConfig of(URI uri) {
        return new InputConfig(uri, true, ReconnectPolicy.DEFAULT, PublishPolicy.TAKE_OVER);
    }

    /** @param policy the back-off @return a copy */
    public InputConfig withReconnect(ReconnectPolicy policy) {
        return new InputConfig(uri, enabled, policy, this.policy);
    }
}
