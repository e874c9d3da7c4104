package io.streamkit.relay.srt;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES Key Wrap algorithm of RFC 3394 with the default initial value
 * {@code A6A6A6A6A6A6A6A6}, built on AES-ECB. SRT wraps its stream encrypting keys with it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3394#section-2.2">RFC 3394, Algorithms</a>
 */
public final class SrtKeyWrap {
    private static final long DEFAULT_IV = 0xA6A6A6A6A6A6A6A6L;

    private SrtKeyWrap() {
    }

    /**
     * Wraps key data (RFC 3394 section 2.2.1).
     *
     * @param kek the key encrypting key, 16, 24 or 32 bytes
     * @param keyData the key data, a multiple of 8 bytes and at least 16
     * @return the wrapped key, 8 bytes longer than the key data
     */
    public static byte[] wrap(byte[] kek, byte[] keyData) {
        checkLength(keyData.length, "key data");
        Cipher aes = aes(kek, Cipher.ENCRYPT_MODE);
        int n = keyData.length / 8;
        byte[] out = new byte[keyData.length + 8];
        System.arraycopy(keyData, 0, out, 8, keyData.length);
        long a = DEFAULT_IV;
        byte[] block = new byte[16];
        for (int j = 0; j <= 5; j++) {
            for (int i = 1; i <= n; i++) {
                putLong(block, 0, a);
                System.arraycopy(out, 8 * i, block, 8, 8);
                block = ecb(aes, block);
                a = getLong(block, 0) ^ ((long) n * j + i);
                System.arraycopy(block, 8, out, 8 * i, 8);
            }
        }
        putLong(out, 0, a);
        return out;
    }

    /**
     * Unwraps key data (RFC 3394 section 2.2.2) and checks its integrity.
     *
     * @param kek the key encrypting key, 16, 24 or 32 bytes
     * @param wrapped the wrapped key, a multiple of 8 bytes and at least 24
     * @return the key data
     * @throws SrtBadSecretException if the integrity check fails (wrong key encrypting key)
     */
    public static byte[] unwrap(byte[] kek, byte[] wrapped) {
        checkLength(wrapped.length - 8, "wrapped key data");
        Cipher aes = aes(kek, Cipher.DECRYPT_MODE);
        int n = wrapped.length / 8 - 1;
        byte[] r = Arrays.copyOfRange(wrapped, 8, wrapped.length);
        long a = getLong(wrapped, 0);
        byte[] block = new byte[16];
        for (int j = 5; j >= 0; j--) {
            for (int i = n; i >= 1; i--) {
                putLong(block, 0, a ^ ((long) n * j + i));
                System.arraycopy(r, 8 * (i - 1), block, 8, 8);
                block = ecb(aes, block);
                a = getLong(block, 0);
                System.arraycopy(block, 8, r, 8 * (i - 1), 8);
            }
        }
        byte[] iv = new byte[8];
        putLong(iv, 0, a);
        byte[] expected = new byte[8];
        putLong(expected, 0, DEFAULT_IV);
        if (!MessageDigest.isEqual(iv, expected)) {
            Arrays.fill(r, (byte) 0);
            throw new SrtBadSecretException("SRT key unwrap integrity check failed: wrong passphrase");
        }
        return r;
    }

    private static void checkLength(int length, String what) {
        if (length < 16 || length % 8 != 0) {
            throw new IllegalArgumentException(what + " of " + length + " bytes is not a multiple of 8 of at least 16");
        }
    }

    private static Cipher aes(byte[] kek, int mode) {
        if (kek.length != 16 && kek.length != 24 && kek.length != 32) {
            throw new IllegalArgumentException("key encrypting key of " + kek.length + " bytes is not 16, 24 or 32");
        }
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(mode, new SecretKeySpec(kek, "AES"));
            return aes;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides AES/ECB/NoPadding", e);
        }
    }

    private static byte[] ecb(Cipher aes, byte[] block) {
        try {
            return aes.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-ECB of one block cannot fail", e);
        }
    }

    private static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
