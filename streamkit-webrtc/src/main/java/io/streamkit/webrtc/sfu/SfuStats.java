package io.streamkit.webrtc.sfu;

import java.util.List;

/**
 * Server-wide statistics of the SFU's media plane.
 *
 * @param peers per-participant statistics
 * @param datagramsIn UDP datagrams received
 * @param datagramsOut UDP datagrams sent
 * @param packetsForwarded RTP packets forwarded to subscribers
 * @param retransmissions RTX packets sent in answer to NACKs
 * @param nacksReceived sequence numbers NACKed by subscribers
 * @param keyframeRequestsSent PLIs sent to publishers
 * @param stunUnknownUfrag STUN messages for no known transport
 * @param unroutable DTLS/RTP datagrams from an address ICE has not validated
 * @param garbage datagrams that are none of STUN, DTLS, RTP or RTCP
 * @param srtpErrors SRTP/SRTCP packets that failed authentication or replay checks
 * @param rtpErrors malformed RTP packets
 * @param rtcpErrors malformed RTCP packets
 * @param dtlsFailures DTLS handshakes that failed
 * @param unknownSsrc RTP packets of an SSRC no track claims
 * @param nacksSentToPublishers generic NACKs sent to publishers for packets lost on their way in
 * @param packetsRepairedFromPublishers lost packets that arrived later (retransmitted or reordered)
 * @param lossesUnrepaired lost packets given up (too old, too many retries)
 */
public record SfuStats(List<PeerStats> peers, long datagramsIn, long datagramsOut, long packetsForwarded,
        long retransmissions, long nacksReceived, long keyframeRequestsSent, long stunUnknownUfrag, long unroutable,
        long garbage, long srtpErrors, long rtpErrors, long rtcpErrors, long dtlsFailures, long unknownSsrc,
        long nacksSentToPublishers, long packetsRepairedFromPublishers, long lossesUnrepaired) {
    /** Freezes the list. */
    public SfuStats {
        peers = List.copyOf(peers);
    }
}
