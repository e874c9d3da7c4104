package io.streamkit.api;

/** Life cycle of a {@link Stream}. */
public enum StreamState {
    /** No publisher. */
    IDLE,
    /** A publisher is live. */
    LIVE,
    /** The publisher left; subscribers are kept for the grace period in case it returns. */
    GRACE,
    /** The stream is closed. */
    CLOSED
}
