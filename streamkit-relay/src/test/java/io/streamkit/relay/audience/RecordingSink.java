package io.streamkit.relay.audience;

import java.util.ArrayList;
import java.util.List;

/** Keeps what a connection receives. */
final class RecordingSink implements AudienceSink {
    private final List<AudienceEvent> events = new ArrayList<>();

    @Override
    public synchronized void deliver(AudienceEvent event) {
        events.add(event);
    }

    synchronized List<AudienceEvent> events() {
        return List.copyOf(events);
    }

    synchronized <T extends AudienceEvent> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (AudienceEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    synchronized AudienceEvent last() {
        return events.get(events.size() - 1);
    }

    synchronized void clear() {
        events.clear();
    }
}
