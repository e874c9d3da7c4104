package io.streamkit.webrtc.stun;

/**
 * What a datagram on the shared media port carries, told by its first bytes
 * (<a href="https://www.rfc-editor.org/rfc/rfc7983#section-7">RFC 7983 section 7</a>).
 */
public enum PacketKind {
    /** STUN, first byte 0 to 3. */
    STUN,
    /** ZRTP, first byte 16 to 19. */
    ZRTP,
    /** DTLS, first byte 20 to 63. */
    DTLS,
    /** TURN ChannelData, first byte 64 to 79. */
    TURN_CHANNEL,
    /** RTP or RTCP, first byte 128 to 191, when only the first byte is looked at. */
    RTP_RTCP,
    /** RTP: first byte 128 to 191 and a second byte outside 192 to 223. */
    RTP,
    /** RTCP: first byte 128 to 191 and a second byte (packet type) from 192 to 223 (RFC 5761 section 4). */
    RTCP,
    /** Anything else, including empty datagrams: drop it. */
    UNKNOWN
}
