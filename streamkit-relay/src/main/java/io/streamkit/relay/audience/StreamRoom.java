package io.streamkit.relay.audience;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One stream's members, viewers, chat history and live state. Every field is guarded by the
 * room's monitor; events are delivered while it is held, so every member sees them in one order.
 */
final class StreamRoom {
    final String key;
    final AudienceUser owner;
    /** Every connection that receives the stream's chat, the owner's included. */
    final Set<AudienceConnection> members = new LinkedHashSet<>();
    /** The owner's connections: they also receive viewer events. */
    final Set<AudienceConnection> ownerConnections = new LinkedHashSet<>(2);
    /** Distinct viewers by user id, with how many of their connections are in. */
    final Map<String, Viewer> viewers = new LinkedHashMap<>();
    final ArrayDeque<ChatMessage> history = new ArrayDeque<>();
    long lastMessageId;
    boolean live;

    static final class Viewer {
        final AudienceUser user;
        int connections;

        Viewer(AudienceUser user) {
            this.user = user;
        }
    }

    StreamRoom(AudienceUser owner) {
        this.key = owner.streamKey();
        this.owner = owner;
    }

    /** Caller holds the monitor. */
    StreamInfo info() {
        return new StreamInfo(key, owner.username(), live, viewers.size());
    }

    /** Caller holds the monitor. */
    List<AudienceUser> viewerList() {
        List<AudienceUser> list = new ArrayList<>(viewers.size());
        for (Viewer v : viewers.values()) {
            list.add(v.user);
        }
        return list;
    }
}
