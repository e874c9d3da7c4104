package io.streamkit.relay.audience;

/**
 * Receives what the audience sends to one connection, in order. Called while the stream's lock is
 * held (that is what gives every member the same order): hand the event to the connection's own
 * queue and return; never block.
 */
@FunctionalInterface
public interface AudienceSink {
    /**
     * @param event the reply or broadcast
     */
    void deliver(AudienceEvent event);
}
