package io.streamkit.webrtc.signaling;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a room.
 *
 * @param roomId the room's id (the {@code sessionId} of {@code join})
 * @param peers its participants in join order
 */
public record RoomInfo(String roomId, List<PeerInfo> peers) {
    /** Validates and freezes the fields. */
    public RoomInfo {
        Objects.requireNonNull(roomId, "roomId");
        peers = List.copyOf(peers);
    }
}
