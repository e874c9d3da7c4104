package io.streamkit.webrtc.rtp;

/**
 * The sender information of an SR.
 *
 * @param ntpTimestamp the 64-bit NTP timestamp (seconds since 1900 in the high 32 bits, fraction in
 *        the low 32), read as an unsigned value stored in a {@code long}; see {@link NtpTime}
 * @param rtpTimestamp the RTP timestamp of the same instant (unsigned 32-bit)
 * @param packetCount packets sent since the start (unsigned 32-bit, wraps)
 * @param octetCount payload octets sent since the start (unsigned 32-bit, wraps)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550 §6.4.1</a>
 */
public record SenderInfo(long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount) {
    /** Validates the 32-bit fields. */
    public SenderInfo {
        Rtcp.checkU32(rtpTimestamp, "RTP timestamp");
        Rtcp.checkU32(packetCount, "packet count");
        Rtcp.checkU32(octetCount, "octet count");
    }
}
