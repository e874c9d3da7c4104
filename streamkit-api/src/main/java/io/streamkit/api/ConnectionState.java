package io.streamkit.api;

/** State of an {@link Input} or {@link Output} connection. */
public enum ConnectionState {
    /** Disabled or not started. */
    STOPPED,
    /** Enabled, waiting for its stream to be published before connecting (outputs only). */
    WAITING,
    /** Connecting. */
    CONNECTING,
    /** Connected and carrying media. */
    LIVE,
    /** The last attempt failed; waiting to try again (see the last error in the stats). */
    RETRYING,
    /** Closed for good. */
    CLOSED
}
