package io.streamkit.webrtc.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM for SRTP and SRTCP (<a href="https://www.rfc-editor.org/rfc/rfc7714">RFC 7714</a>).
 *
 * <p>The 12-byte IV is the session salt XOR {@code 00 00 | SSRC | 48-bit value}, the value being
 * {@code ROC | SEQ} for SRTP (§8.1) and {@code 00 00 | 0 | SRTCP index} for SRTCP (§9.1). SRTP
 * authenticates the RTP header as associated data; SRTCP authenticates the first 8 bytes and the
 * {@code E | index} word that follows the tag (§9.2), or, with E clear, the whole packet and that
 * word, with an empty plaintext (§9.3). Decryption writes into scratch space and copies back only
 * after the JDK has checked the tag, so a forged packet leaves the buffer unchanged. The JDK
 * allocates its GCM state at every {@code init}, about 1 KB per packet, which no caching avoids.
 */
final class AesGcmCipher extends PacketCipher {
    static final int TAG_LENGTH = 16;
    private static final int TAG_BITS = 128;

    private final Cipher gcm;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final byte[] iv = new byte[12];
    private final byte[] word = new byte[4];

    AesGcmCipher(SessionKeys keys) {
        this.key = new SecretKeySpec(keys.encryptionKey(), "AES");
        this.salt = keys.salt().clone();
        try {
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is unavailable in this JDK", e);
        }
    }

    private void init(int mode, int ssrc, long value) throws GeneralSecurityException {
        iv[0] = salt[0];
        iv[1] = salt[1];
        iv[2] = (byte) (salt[2] ^ (ssrc >>> 24));
        iv[3] = (byte) (salt[3] ^ (ssrc >>> 16));
        iv[4] = (byte) (salt[4] ^ (ssrc >>> 8));
        iv[5] = (byte) (salt[5] ^ ssrc);
        for (int i = 0; i < 6; i++) {
            iv[11 - i] = (byte) (salt[11 - i] ^ (value >>> (8 * i)));
        }
        gcm.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
    }

    @Override
    void protectRtp(byte[] a, int offset, int headerLength, int length, int ssrc, long index) {
        byte[] out = scratch(length + TAG_LENGTH);
        try {
            init(Cipher.ENCRYPT_MODE, ssrc, index);
            gcm.updateAAD(a, offset, headerLength);
            int n = gcm.doFinal(a, offset + headerLength, length - headerLength, out, 0);
            System.arraycopy(out, 0, a, offset + headerLength, n);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM encryption failed", e);
        }
    }

    @Override
    boolean unprotectRtp(byte[] a, int offset, int headerLength, int length, int ssrc, long index) {
        byte[] out = scratch(length);
        try {
            init(Cipher.DECRYPT_MODE, ssrc, index);
            gcm.updateAAD(a, offset, headerLength);
            int n = gcm.doFinal(a, offset + headerLength, length - headerLength, out, 0);
            System.arraycopy(out, 0, a, offset + headerLength, n);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM decryption failed", e);
        }
    }

    @Override
    void protectRtcp(byte[] a, int offset, int length, int ssrc, int index) {
        byte[] out = scratch(length + TAG_LENGTH);
        putInt(word, 0, index | 0x8000_0000);
        try {
            init(Cipher.ENCRYPT_MODE, ssrc, index);
            gcm.updateAAD(a, offset, 8);
            gcm.updateAAD(word, 0, 4);
            int n = gcm.doFinal(a, offset + 8, length - 8, out, 0);
            System.arraycopy(out, 0, a, offset + 8, n);
            System.arraycopy(word, 0, a, offset + 8 + n, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM encryption failed", e);
        }
    }

    @Override
    boolean unprotectRtcp(byte[] a, int offset, int length, int ssrc, int index, boolean encrypted) {
        int wordAt = offset + length - 4;
        byte[] out = scratch(length);
        try {
            init(Cipher.DECRYPT_MODE, ssrc, index);
            if (encrypted) {
                gcm.updateAAD(a, offset, 8);
                gcm.updateAAD(a, wordAt, 4);
                int n = gcm.doFinal(a, offset + 8, length - 8 - 4, out, 0);
                System.arraycopy(out, 0, a, offset + 8, n);
            } else {
                gcm.updateAAD(a, offset, length - 4 - TAG_LENGTH);
                gcm.updateAAD(a, wordAt, 4);
                gcm.doFinal(a, wordAt - TAG_LENGTH, TAG_LENGTH, out, 0);
            }
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM decryption failed", e);
        }
    }
}
