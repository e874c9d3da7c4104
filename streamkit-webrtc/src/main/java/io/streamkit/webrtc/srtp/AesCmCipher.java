package io.streamkit.webrtc.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES counter mode with an HMAC-SHA1 tag
 * (<a href="https://www.rfc-editor.org/rfc/rfc3711#section-4.1.1">RFC 3711 §4.1.1</a> and §4.2).
 *
 * <p>The counter block is {@code (salt << 16) XOR (SSRC << 64) XOR (index << 16)}; the JDK's
 * {@code AES/CTR} increments it as a 128-bit number, which equals RFC 3711's 16-bit block counter
 * for any packet under 1 MiB. Measured on JDK 17, re-initialising {@code AES/CTR} per packet (its
 * intrinsic runs about 3x faster than generating counter blocks with {@code AES/ECB} and XOR-ing)
 * costs one small {@link IvParameterSpec} and the key copy the provider makes. Encryption writes
 * out of place into scratch space and copies back, because the provider copies overlapping input.
 */
final class AesCmCipher extends PacketCipher {
    private static final int IV_LENGTH = 16;

    private final Cipher ctr;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final byte[] iv = new byte[IV_LENGTH];
    private final HmacSha1 hmac;
    private final byte[] mac = new byte[HmacSha1.LENGTH];
    private final int tagLength;

    AesCmCipher(SessionKeys keys, int tagLength) {
        this.key = new SecretKeySpec(keys.encryptionKey(), "AES");
        this.salt = keys.salt().clone();
        this.hmac = new HmacSha1(keys.authenticationKey());
        this.tagLength = tagLength;
        try {
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is unavailable in this JDK", e);
        }
    }

    /** XORs {@code length} bytes at {@code offset} with the key stream of (ssrc, index). */
    void crypt(byte[] a, int offset, int length, int ssrc, long index) {
        if (length == 0) {
            return;
        }
        System.arraycopy(salt, 0, iv, 0, salt.length);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[13 - i] ^= (byte) (index >>> (8 * i));
        }
        byte[] out = scratch(length);
        try {
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            ctr.doFinal(a, offset, length, out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR failed", e);
        }
        System.arraycopy(out, 0, a, offset, length);
    }

    @Override
    void protectRtp(byte[] a, int offset, int headerLength, int length, int ssrc, long index) {
        crypt(a, offset + headerLength, length - headerLength, ssrc, index);
        hmac.update(a, offset, length);
        hmac.updateInt((int) (index >>> 16));
        hmac.finish(mac, 0);
        System.arraycopy(mac, 0, a, offset + length, tagLength);
    }

    @Override
    boolean unprotectRtp(byte[] a, int offset, int headerLength, int length, int ssrc, long index) {
        int n = length - tagLength;
        hmac.update(a, offset, n);
        hmac.updateInt((int) (index >>> 16));
        hmac.finish(mac, 0);
        if (!tagMatches(a, offset + n)) {
            return false;
        }
        crypt(a, offset + headerLength, n - headerLength, ssrc, index);
        return true;
    }

    @Override
    void protectRtcp(byte[] a, int offset, int length, int ssrc, int index) {
        crypt(a, offset + 8, length - 8, ssrc, index);
        putInt(a, offset + length, index | 0x8000_0000);
        hmac.update(a, offset, length + 4);
        hmac.finish(mac, 0);
        System.arraycopy(mac, 0, a, offset + length + 4, tagLength);
    }

    @Override
    boolean unprotectRtcp(byte[] a, int offset, int length, int ssrc, int index, boolean encrypted) {
        int n = length - tagLength;
        hmac.update(a, offset, n);
        hmac.finish(mac, 0);
        if (!tagMatches(a, offset + n)) {
            return false;
        }
        if (encrypted) {
            crypt(a, offset + 8, n - 4 - 8, ssrc, index);
        }
        return true;
    }

    /** Compares in constant time, so that timing reveals nothing about the expected tag. */
    private boolean tagMatches(byte[] a, int offset) {
        int diff = 0;
        for (int i = 0; i < tagLength; i++) {
            diff |= mac[i] ^ a[offset + i];
        }
        return diff == 0;
    }
}
