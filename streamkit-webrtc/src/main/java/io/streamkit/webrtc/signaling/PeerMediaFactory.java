package io.streamkit.webrtc.signaling;

/**
 * SPI: creates the media side of each participant. The SFU's media plane implements it; without
 * one, the hub still runs rooms and presence and answers offers with an {@code unsupported} error.
 */
@FunctionalInterface
public interface PeerMediaFactory {

    /**
     * Creates the media of a participant that has just joined. Called with no lock held.
     *
     * @param roomId its room
     * @param peerId its id
     * @param userId its user id
     * @param signals how it talks back to the client and the room
     * @return its media
     */
    PeerMedia create(String roomId, String peerId, String userId, PeerSignals signals);
}
