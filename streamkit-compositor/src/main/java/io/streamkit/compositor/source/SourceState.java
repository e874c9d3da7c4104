package io.streamkit.compositor.source;

/** The life cycle of a {@link MediaSource}. */
public enum SourceState {
    /** Started, no frame yet (opening, connecting, buffering). */
    CONNECTING,
    /** Frames arrive. */
    LIVE,
    /** No frame for longer than the stall timeout; a live source is reconnecting. */
    STALLED,
    /** The input ended (a file without loop, or a source that gave up). */
    ENDED,
    /** Closed; its resources are released. */
    CLOSED
}
