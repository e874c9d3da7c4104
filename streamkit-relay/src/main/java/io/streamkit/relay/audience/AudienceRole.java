package io.streamkit.relay.audience;

/** What a registered user may do. */
public enum AudienceRole {
    /** Owns one stream (its key), may publish it, sees who joins and leaves it, chats in it. */
    STREAMER,
    /** Joins streams by key, watches and chats; never publishes. */
    VIEWER
}
