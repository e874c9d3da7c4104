package io.streamkit.webrtc.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session keys of one SRTP or SRTCP stream direction, and the key derivation that makes them
 * from a master key and salt (<a href="https://www.rfc-editor.org/rfc/rfc3711#section-4.3">RFC
 * 3711 §4.3</a> with a key derivation rate of 0, as DTLS-SRTP requires).
 *
 * <p>The derivation is AES in counter mode keyed with the master key, over the IV
 * {@code (master_salt XOR (label << 48)) << 16}, the label sitting in byte 7 of the salt. A 12-byte
 * GCM master salt is aligned on the left of the 14-byte field, zero-padded, as RFC 7714 §11
 * implementations (libsrtp) do; AES-256 profiles use AES-256 (RFC 6188).
 *
 * @param encryptionKey the session encryption key
 * @param authenticationKey the HMAC-SHA1 session key, empty for AEAD profiles
 * @param salt the session salt
 */
record SessionKeys(byte[] encryptionKey, byte[] authenticationKey, byte[] salt) {
    static final int LABEL_RTP_ENCRYPTION = 0;
    static final int LABEL_RTP_AUTHENTICATION = 1;
    static final int LABEL_RTP_SALT = 2;
    static final int LABEL_RTCP_ENCRYPTION = 3;
    static final int LABEL_RTCP_AUTHENTICATION = 4;
    static final int LABEL_RTCP_SALT = 5;
    /** HMAC-SHA1 session authentication key length (RFC 3711 §8.2: n_a = 160). */
    static final int AUTHENTICATION_KEY_LENGTH = 20;

    /** The keys for SRTP packets. */
    static SessionKeys forRtp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return derive(profile, masterKey, masterSalt, LABEL_RTP_ENCRYPTION);
    }

    /** The keys for SRTCP packets. */
    static SessionKeys forRtcp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return derive(profile, masterKey, masterSalt, LABEL_RTCP_ENCRYPTION);
    }

    private static SessionKeys derive(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, int firstLabel) {
        byte[] auth = profile.isAead()
                ? new byte[0]
                : prf(masterKey, masterSalt, firstLabel + 1,
                        AUTHENTICATION_KEY_LENGTH);
        return new SessionKeys(prf(masterKey, masterSalt, firstLabel, profile.keyLength()), auth, prf(masterKey,
                masterSalt, firstLabel + 2, profile.saltLength()));
    }

    /**
     * The AES-CM pseudo-random function of RFC 3711 §4.3.3.
     *
     * @param masterKey 16 or 32 bytes
     * @param masterSalt 14 bytes, or 12 for GCM profiles
     * @param label the key derivation label (0 to 5)
     * @param length how many bytes to produce
     * @return the derived key stream
     */
    static byte[] prf(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label;
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new IvParameterSpec(iv));
            return aes.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is unavailable in this JDK", e);
        }
    }
}
