package io.streamkit.relay.control.auth;

/** The purpose of a signed token; a token of one type is refused where the other is expected. */
public enum TokenType {
    /** Authorizes API requests; short-lived. */
    ACCESS,
    /** Obtains a new token pair; longer-lived, single-use through the session's generation. */
    REFRESH
}
