package io.streamkit.relay.srt;

import java.time.Duration;

/**
 * An immutable snapshot of one SRT connection's statistics.
 *
 * @param rtt smoothed round-trip time
 * @param rttVariance round-trip time variance
 * @param sendRateBps data payload bits per second sent over the last second (retransmissions included)
 * @param receiveRateBps data payload bits per second received over the last second
 * @param packetsSent data packets sent, retransmissions included
 * @param packetsReceived data packets received, duplicates and retransmissions included
 * @param packetsLost sequence numbers detected missing (gaps), whether recovered later or not
 * @param packetsRetransmitted data packets sent again
 * @param packetsDropped messages given up: too late to play (receiver), too old to retransmit (sender), or refused
 *        because a buffer was full
 * @param bytesSent data payload bytes sent, retransmissions included
 * @param bytesReceived data payload bytes received
 * @param latency the negotiated TSBPD latency
 * @param flightSize packets sent and not yet acknowledged
 * @param undecrypted data packets that could not be decrypted
 */
public record SrtStats(Duration rtt, Duration rttVariance, long sendRateBps, long receiveRateBps, long packetsSent,
        long packetsReceived, long packetsLost, long packetsRetransmitted, long packetsDropped, long bytesSent,
        long bytesReceived, Duration latency, int flightSize, long undecrypted) {
}
