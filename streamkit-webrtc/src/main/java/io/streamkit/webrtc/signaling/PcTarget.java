package io.streamkit.webrtc.signaling;

import java.util.Locale;

/**
 * Which of a participant's two PeerConnections a signaling message belongs to: the
 * {@link #PUBLISHER} connection carries the participant's media to the server (the client offers),
 * the {@link #SUBSCRIBER} connection carries the other participants' media to the client (the
 * server offers).
 */
public enum PcTarget {
    /** The client sends; the client offers and the server answers. */
    PUBLISHER,
    /** The server sends; the server offers and the client answers. */
    SUBSCRIBER;

    /** @return the wire name, {@code "publisher"} or {@code "subscriber"} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param wireName {@code "publisher"} or {@code "subscriber"}
     * @return the target
     * @throws SignalingException for any other value
     */
    public static PcTarget fromWireName(String wireName) {
        return switch (wireName) {
            case "publisher" -> PUBLISHER;
            case "subscriber" -> SUBSCRIBER;
            default -> throw new SignalingException(SignalingException.INVALID_MESSAGE,
                    "target must be \"publisher\" or \"subscriber\", got \"" + Messages.abbreviate(wireName) + "\"");
        };
    }
}
