package io.streamkit.relay.audience;

/**
 * The host application's view of every stream: viewers joining and leaving, chat, live and offline
 * ({@link AudienceEvent.ViewerJoined}, {@link AudienceEvent.ViewerLeft},
 * {@link AudienceEvent.ChatBroadcast}, {@link AudienceEvent.StreamStatus}). Called in each stream's
 * order while its lock is held: return fast, never block (hand work to an executor).
 */
@FunctionalInterface
public interface AudienceListener {
    /**
     * @param event what happened
     */
    void onEvent(AudienceEvent event);
}
