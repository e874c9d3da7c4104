package io.streamkit.webrtc.srtp;

/**
 * The SRTP protection profiles StreamKit implements, with the identifiers DTLS-SRTP negotiates in
 * its {@code use_srtp} extension and the lengths each one uses.
 *
 * <p>Lengths follow <a href="https://www.rfc-editor.org/rfc/rfc5764#section-4.1.2">RFC 5764
 * §4.1.2</a> for the AES counter-mode profiles and
 * <a href="https://www.rfc-editor.org/rfc/rfc7714#section-14.2">RFC 7714 §14.2</a> for the AEAD
 * profiles. The {@code _32} profile shortens only the SRTP tag: its SRTCP tag stays 80 bits.
 */
public enum SrtpProfile {
    /** AES-128 counter mode with an 80-bit HMAC-SHA1 tag (RFC 3711); every WebRTC peer offers it. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10, 10),
    /** AES-128 counter mode with a 32-bit HMAC-SHA1 tag on SRTP and an 80-bit one on SRTCP. */
    AES_CM_128_HMAC_SHA1_32(0x0002, 16, 14, 4, 10),
    /** AES-128 in Galois/counter mode with a 128-bit tag (RFC 7714). */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16),
    /** AES-256 in Galois/counter mode with a 128-bit tag (RFC 7714). */
    AEAD_AES_256_GCM(0x0008, 32, 12, 16, 16);

    /** Length of the SRTCP E flag and index word. */
    static final int SRTCP_INDEX_LENGTH = 4;

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;

    SrtpProfile(int id, int keyLength, int saltLength, int rtpTagLength, int rtcpTagLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
    }

    /**
     * Looks a profile up by its DTLS-SRTP identifier.
     *
     * @param id the two-byte SRTPProtectionProfile value, for example {@code 0x0007}
     * @return the profile
     * @throws SrtpException with {@link SrtpException.Reason#UNKNOWN_PROFILE} when StreamKit does
     *     not implement that profile
     */
    public static SrtpProfile fromId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        throw new SrtpException(SrtpException.Reason.UNKNOWN_PROFILE, String.format(
                "SRTP protection profile 0x%04x is not supported", id));
    }

    /** @return the DTLS-SRTP SRTPProtectionProfile identifier */
    public int id() {
        return id;
    }

    /** @return the master (and session) key length in bytes: 16, or 32 for AES-256 */
    public int keyLength() {
        return keyLength;
    }

    /** @return the master (and session) salt length in bytes: 14 for AES-CM, 12 for GCM */
    public int saltLength() {
        return saltLength;
    }

    /** @return the bytes {@code protectRtp} appends: the SRTP authentication tag */
    public int rtpTagLength() {
        return rtpTagLength;
    }

    /** @return the SRTCP authentication tag length in bytes */
    public int rtcpTagLength() {
        return rtcpTagLength;
    }

    /** @return the bytes {@code protectRtcp} appends: the E flag and SRTCP index word and the tag */
    public int rtcpOverhead() {
        return SRTCP_INDEX_LENGTH + rtcpTagLength;
    }

    /** @return whether this is an AEAD (AES-GCM) profile rather than AES-CM with HMAC-SHA1 */
    public boolean isAead() {
        return this == AEAD_AES_128_GCM || this == AEAD_AES_256_GCM;
    }

    /**
     * @return how many bytes to export from the DTLS session for this profile (RFC 5764 §4.2):
     *     {@code 2 * (keyLength + saltLength)}
     */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }
}
