package io.streamkit.relay.control.model;

/** How media reaches an input. */
public enum InputKind {
    /** Encoders publish to {@code rtmp://host:1935/{streamKey}} (or RTMPS). */
    RTMP,
    /** Encoders call {@code srt://host:8890?streamid=publish:{streamKey}}. */
    SRT,
    /** The server pulls from a remote {@code rtmp://}, {@code rtmps://} or {@code srt://} URL. */
    PULL
}
