package io.streamkit.webrtc.srtp;

/**
 * The cryptographic transform of one key set (SRTP or SRTCP of one direction) on packet bytes in an
 * array. The caller has parsed and bounds-checked the packet, computed its index and made room for
 * the trailer. Each instance owns its {@link javax.crypto.Cipher} and scratch space, so it is
 * confined to one thread at a time.
 */
abstract sealed class PacketCipher permits AesCmCipher, AesGcmCipher {
    /** Largest packet the scratch space grows to hold (a UDP datagram plus margin). */
    static final int MAX_PACKET = 65_536 + 64;

    private byte[] scratch = new byte[2048];

    static PacketCipher create(SrtpProfile profile, SessionKeys keys, int tagLength) {
        return profile.isAead() ? new AesGcmCipher(keys) : new AesCmCipher(keys, tagLength);
    }

    /** @return a scratch array of at least {@code length} bytes, reused across packets */
    final byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, Math.min(2 * scratch.length, MAX_PACKET))];
        }
        return scratch;
    }

    /**
     * Encrypts the payload and appends the tag at {@code offset + length}.
     *
     * @param a the packet bytes, with room for the tag after them
     * @param offset where the packet starts
     * @param headerLength the RTP header length, CSRCs and extension included
     * @param length the packet length without tag
     * @param ssrc the packet's SSRC
     * @param index the 48-bit packet index, {@code ROC << 16 | SEQ}
     */
    abstract void protectRtp(byte[] a, int offset, int headerLength, int length, int ssrc, long index);

    /**
     * Verifies and then decrypts; the bytes are left unchanged when verification fails.
     *
     * @param length the protected length, tag included
     * @return whether the tag verified
     */
    abstract boolean unprotectRtp(byte[] a, int offset, int headerLength, int length, int ssrc, long index);

    /**
     * Encrypts everything after the first 8 bytes and appends the E flag, the index and the tag in
     * the order the profile uses.
     *
     * @param length the RTCP compound packet length
     * @param index the 31-bit SRTCP index
     */
    abstract void protectRtcp(byte[] a, int offset, int length, int ssrc, int index);

    /**
     * Verifies and then, when {@code encrypted}, decrypts; the bytes are left unchanged when
     * verification fails.
     *
     * @param length the SRTCP packet length, trailer included
     * @return whether the tag verified
     */
    abstract boolean unprotectRtcp(byte[] a, int offset, int length, int ssrc, int index, boolean encrypted);

    static void putInt(byte[] a, int offset, int value) {
        a[offset] = (byte) (value >>> 24);
        a[offset + 1] = (byte) (value >>> 16);
        a[offset + 2] = (byte) (value >>> 8);
        a[offset + 3] = (byte) value;
    }
}
