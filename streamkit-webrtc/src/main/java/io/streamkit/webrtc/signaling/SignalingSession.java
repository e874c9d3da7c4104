package io.streamkit.webrtc.signaling;

/**
 * The hub's side of one client connection, returned by {@link SignalingHub#connect}. The transport
 * calls {@link #onMessage} for each text message, in order, and {@link #onClose} once.
 */
public interface SignalingSession {

    /**
     * Handles one message from the client. Never throws: errors are answered with an
     * {@code error} message.
     *
     * @param text the message text
     */
    void onMessage(String text);

    /** The connection closed; the participant stays for the reconnect grace period, then leaves. */
    void onClose();
}
