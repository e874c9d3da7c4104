package io.streamkit.webrtc.signaling;

/**
 * SPI: the media side of one participant (its publisher and subscriber PeerConnections), created
 * by a {@link PeerMediaFactory} when the participant joins. The hub calls these methods from the
 * participant's signaling thread, one at a time; implementations answer through the
 * {@link PeerSignals} they were created with, at any time and from any thread. Every method has a
 * default so that new hooks never break an implementation.
 */
public interface PeerMedia {

    /**
     * The client offered on its publisher connection; answer with
     * {@link PeerSignals#sendAnswer(PcTarget, String)} for {@link PcTarget#PUBLISHER}.
     *
     * @param sdp the offer
     * @throws SignalingException to refuse it (sent to the client as an error)
     */
    default void publisherOffer(String sdp) {
        throw new SignalingException(SignalingException.UNSUPPORTED, "this server does not receive media");
    }

    /**
     * The client answered the server's offer on its subscriber connection.
     *
     * @param sdp the answer
     * @throws SignalingException to refuse it
     */
    default void subscriberAnswer(String sdp) {
        throw new SignalingException(SignalingException.UNSUPPORTED, "this server sends no media");
    }

    /**
     * A trickled ICE candidate from the client. An ICE-lite server learns addresses from the
     * client's connectivity checks, so the default ignores candidates.
     *
     * @param target the connection it belongs to
     * @param candidate the candidate line, or an empty string for end-of-candidates
     * @param sdpMid its media id, or {@code null}
     * @param sdpMLineIndex its m-line index, or -1 when absent
     */
    default void remoteCandidate(PcTarget target, String candidate, String sdpMid, int sdpMLineIndex) {
    }

    /**
     * The participant's media state changed (the client sent {@code media_state}).
     *
     * @param state the new state
     */
    default void mediaStateChanged(MediaState state) {
    }

    /**
     * The participant reconnected within the grace period; offers sent while it was away were lost
     * and should be sent again.
     */
    default void resumed() {
    }

    /** The participant left: close both PeerConnections and release everything. */
    default void close() {
    }
}
