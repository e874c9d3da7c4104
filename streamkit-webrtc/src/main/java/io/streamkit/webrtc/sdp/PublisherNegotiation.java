package io.streamkit.webrtc.sdp;

import java.util.List;

/**
 * The SFU's answer to a publisher's offer and what it agreed to.
 *
 * @param answer the answer to send to the publisher
 * @param media the accepted m-lines, in session order
 * @param rejectedMids the mids answered with port 0
 * @param remoteIce the publisher's ICE credentials (of the BUNDLE transport)
 * @param remoteFingerprint the publisher's DTLS certificate fingerprint
 */
public record PublisherNegotiation(SessionDescription answer, List<NegotiatedMedia> media, List<String> rejectedMids,
        IceParameters remoteIce, Fingerprint remoteFingerprint) {

    /** Freezes the lists. */
    public PublisherNegotiation {
        media = List.copyOf(media);
        rejectedMids = List.copyOf(rejectedMids);
    }
}
