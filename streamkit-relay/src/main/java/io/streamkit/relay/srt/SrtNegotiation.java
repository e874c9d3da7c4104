package io.streamkit.relay.srt;

import io.streamkit.relay.srt.SrtHandshakeExtension.HsMessage;
import java.security.SecureRandom;
import java.time.Duration;

/** Values and rules shared by the caller's and the listener's side of the HSv5 handshake. Not API. */
final class SrtNegotiation {
    /** The SRT version StreamKit announces, 1.5.3. */
    static final int SRT_VERSION = 0x010503;
    /** The oldest peer SRT version accepted: 1.3.0, the first with HSv5. */
    static final int MIN_PEER_VERSION = 0x010300;
    /** HSREQ/HSRSP flags: TSBPD both ways, encryption capable, too-late drop, periodic NAK, R flag. */
    static final int FLAGS = HsMessage.FLAG_TSBPDSND | HsMessage.FLAG_TSBPDRCV | HsMessage.FLAG_CRYPT
            | HsMessage.FLAG_TLPKTDROP | HsMessage.FLAG_PERIODICNAK | HsMessage.FLAG_REXMITFLG;
    /** The largest latency a handshake can carry (16 bits of milliseconds). */
    static final int MAX_LATENCY_MS = 0xFFFF;
    static final SecureRandom RANDOM = new SecureRandom();

    private SrtNegotiation() {
    }

    static int latencyMillis(Duration latency) {
        return (int) Math.min(MAX_LATENCY_MS, Math.max(0, latency.toMillis()));
    }

    /**
     * @param own this side's latency
     * @param peer the peer's HSREQ or HSRSP
     * @return the largest latency either side asked for, in either direction
     */
    static Duration negotiate(Duration own, HsMessage peer) {
        int ms = Math.max(latencyMillis(own), Math.max(peer.receiverTsbpdDelay(), peer.senderTsbpdDelay()));
        return Duration.ofMillis(ms);
    }

    static HsMessage message(boolean response, Duration latency) {
        int ms = latencyMillis(latency);
        return new HsMessage(response, SRT_VERSION, FLAGS, ms, ms);
    }

    /** @return a random socket id in {@code [1, 2^30)} like libsrt's */
    static int newSocketId() {
        return 1 + RANDOM.nextInt(0x3FFFFFFF);
    }

    /** @return a random initial sequence number */
    static int newInitialSequence() {
        return RANDOM.nextInt(SrtSeq.MAX);
    }
}
