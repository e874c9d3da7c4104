package io.streamkit.webrtc.signaling;

/**
 * How a participant's {@link PeerMedia} talks back: signaling messages to its client and facts
 * for the room. Thread-safe; messages are dropped while the client is disconnected (see
 * {@link PeerMedia#resumed()}) and after it left.
 */
public interface PeerSignals {

    /**
     * Sends an {@code offer} to the client.
     *
     * @param target the connection it is for (the server offers on {@link PcTarget#SUBSCRIBER})
     * @param sdp the offer
     */
    void sendOffer(PcTarget target, String sdp);

    /**
     * Sends an {@code answer} to the client.
     *
     * @param target the connection it is for (the server answers on {@link PcTarget#PUBLISHER})
     * @param sdp the answer
     */
    void sendAnswer(PcTarget target, String sdp);

    /**
     * Sends a {@code candidate} to the client.
     *
     * @param target the connection it is for
     * @param candidate the candidate line
     * @param sdpMid its media id
     * @param sdpMLineIndex its m-line index
     */
    void sendCandidate(PcTarget target, String candidate, String sdpMid, int sdpMLineIndex);

    /**
     * Sends an {@code error} to the client (for a failure found asynchronously).
     *
     * @param code one of the {@link SignalingException} codes
     * @param message what went wrong
     */
    void sendError(String code, String message);

    /**
     * Reports whether the participant is speaking, as measured from its audio-level header
     * extension; a change is broadcast to the room in a {@code media_state} message and takes
     * precedence over the client's own flag.
     *
     * @param speaking the measured flag
     */
    void reportSpeaking(boolean speaking);
}
