package io.streamkit.api;

/** The kind of media a track carries. */
public enum MediaType {
    /** Coded video. */
    VIDEO,
    /** Coded audio. */
    AUDIO,
    /** Timed metadata or other data. */
    DATA
}
