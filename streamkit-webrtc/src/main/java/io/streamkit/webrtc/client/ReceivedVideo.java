package io.streamkit.webrtc.client;

import java.util.Objects;

/**
 * Decoded video received from one remote participant.
 *
 * @param peerId the publishing participant (the msid stream id the SFU gives its tracks)
 * @param frames decoded frames delivered so far
 * @param width width of the last frame, 0 before the first
 * @param height height of the last frame, 0 before the first
 */
public record ReceivedVideo(String peerId, long frames, int width, int height) {
    /** Checks the values. */
    public ReceivedVideo {
        Objects.requireNonNull(peerId, "peerId");
        if (frames < 0 || width < 0 || height < 0) {
            throw new IllegalArgumentException("negative count or size: " + frames + " " + width + "x" + height);
        }
    }
}
