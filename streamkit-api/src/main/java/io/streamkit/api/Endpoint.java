package io.streamkit.api;

import java.net.URI;

/**
 * What {@link Input} and {@link Output} share: a remote URI, a connection that reconnects on its
 * own with back-off, live enable/disable, and stats. One endpoint failing never disturbs the
 * stream or any other endpoint.
 */
public interface Endpoint extends AsyncCloseable {

    /** @return a unique id within the kit */
    String id();

    /** @return the remote URI */
    URI uri();

    /** @return the stream this endpoint is attached to */
    Stream stream();

    /** @return the current state */
    ConnectionState state();

    /** Starts connecting (no-op when enabled). */
    void enable();

    /** Disconnects and stays {@link ConnectionState#STOPPED} until enabled (no-op when disabled). */
    void disable();

    /** @return whether enabled */
    boolean isEnabled();

    /** @return a snapshot of the counters */
    EndpointStats stats();
}
