package io.streamkit.webrtc.signaling;

/**
 * What a participant sends and whether it is speaking, as announced in {@code peer_joined} and
 * {@code media_state}. Muting is a state change: media keeps flowing and nothing is renegotiated.
 *
 * @param audioEnabled the microphone is on
 * @param videoEnabled the camera is on
 * @param screenEnabled a screen is shared
 * @param speaking the participant is speaking (derived by the server from the audio-level header
 *     extension when the media plane reports it, otherwise the client's own value)
 */
public record MediaState(boolean audioEnabled, boolean videoEnabled, boolean screenEnabled, boolean speaking) {
    /** Everything off: the state of a participant that has just joined and announced nothing. */
    public static final MediaState OFF = new MediaState(false, false, false, false);

    /**
     * @param speaking the new speaking flag
     * @return a copy with that flag
     */
    public MediaState withSpeaking(boolean speaking) {
        return new MediaState(audioEnabled, videoEnabled, screenEnabled, speaking);
    }
}
