package io.streamkit.webrtc.sfu;

/**
 * Media statistics of one participant, as the SFU sees them.
 *
 * @param peerId the participant
 * @param userId its user id
 * @param roomId its room
 * @param publishedTracks tracks it publishes
 * @param forwardedTracks tracks forwarded to it
 * @param packetsIn RTP packets received from it
 * @param bytesIn RTP bytes received from it (decrypted)
 * @param bitrateIn bits per second received over the last second
 * @param packetsOut RTP packets forwarded to it (retransmissions not included)
 * @param bytesOut RTP bytes forwarded to it (before encryption)
 * @param bitrateOut bits per second forwarded over the last second
 * @param nacksReceived sequence numbers it asked to be retransmitted
 * @param retransmissions RTX packets sent to it
 * @param nacksUnanswered NACKed packets that could not be retransmitted (too old, no RTX)
 * @param keyframeRequestsReceived PLI/FIR it sent
 * @param keyframeRequestsSent PLI the SFU sent to it as a publisher
 * @param rttMillis round-trip time measured from its receiver reports, -1 before the first
 * @param fractionLost loss it reported in its last receiver report, 0 to 1
 * @param publisherConnected its publisher connection completed DTLS
 * @param subscriberConnected its subscriber connection completed DTLS
 */
public record PeerStats(String peerId, String userId, String roomId, int publishedTracks, int forwardedTracks,
        long packetsIn, long bytesIn, long bitrateIn, long packetsOut, long bytesOut, long bitrateOut,
        long nacksReceived, long retransmissions, long nacksUnanswered, long keyframeRequestsReceived,
        long keyframeRequestsSent, double rttMillis, double fractionLost, boolean publisherConnected,
        boolean subscriberConnected) {
}
