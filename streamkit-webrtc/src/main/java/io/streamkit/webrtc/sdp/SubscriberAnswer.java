package io.streamkit.webrtc.sdp;

import java.util.List;

/**
 * What a subscriber's answer accepted.
 *
 * @param media the accepted m-lines (port not 0), in session order; codecs are those of the answer
 *     (a subset of the offered payload types), extensions those the answer kept
 * @param rejectedMids the mids the answer rejected or that were offered with port 0
 * @param remoteIce the subscriber's ICE credentials
 * @param remoteFingerprint the subscriber's DTLS certificate fingerprint
 * @param remoteSetup the subscriber's DTLS role ({@code active} makes the SFU the DTLS server)
 */
public record SubscriberAnswer(List<NegotiatedMedia> media, List<String> rejectedMids, IceParameters remoteIce,
        Fingerprint remoteFingerprint, Setup remoteSetup) {

    /** Freezes the lists. */
    public SubscriberAnswer {
        media = List.copyOf(media);
        rejectedMids = List.copyOf(rejectedMids);
    }
}
