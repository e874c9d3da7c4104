package io.streamkit.api;

/** What a stream does when a second publisher arrives while one is live. */
public enum PublishPolicy {
    /** Refuse the newcomer with {@link PublishRejectedException}; the live publisher carries on. */
    REJECT,
    /**
     * The newcomer takes over: the old publisher is revoked (its {@link Publisher#revoked()} future
     * completes) and subscribers continue with the new one, timestamps kept monotonic.
     */
    TAKE_OVER
}
