package io.streamkit.api;

/**
 * Receives {@link StreamKitEvent}s on the kit's callback executor, never on a network thread.
 * An exception thrown here is logged and does not affect the kit.
 */
@FunctionalInterface
public interface EventListener {

    /** A listener that ignores every event. */
    EventListener NOOP = event -> {
    };

    /** @param event what happened */
    void onEvent(StreamKitEvent event);
}
