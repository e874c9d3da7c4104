package io.streamkit.webrtc.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (<a href="https://www.rfc-editor.org/rfc/rfc2104">RFC 2104</a>) over the JDK's SHA-1,
 * with the padded keys computed once. Unlike {@link javax.crypto.Mac}, whose
 * {@code doFinal(byte[], int)} allocates the result, this writes into a caller's array, so
 * authenticating a packet allocates nothing. Not thread-safe.
 */
final class HmacSha1 {
    /** Output length in bytes. */
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];
    private final byte[] word = new byte[4];

    HmacSha1(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is unavailable in this JDK", e);
        }
        byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        sha1.reset();
        sha1.update(innerPad);
    }

    /** Adds bytes to the message being authenticated. */
    void update(byte[] data, int offset, int length) {
        sha1.update(data, offset, length);
    }

    /** Adds a big-endian 32-bit integer to the message. */
    void updateInt(int value) {
        word[0] = (byte) (value >>> 24);
        word[1] = (byte) (value >>> 16);
        word[2] = (byte) (value >>> 8);
        word[3] = (byte) value;
        sha1.update(word, 0, 4);
    }

    /**
     * Completes the MAC of everything added since the previous call and starts the next one.
     *
     * @param out receives the 20-byte MAC at {@code offset}
     */
    void finish(byte[] out, int offset) {
        try {
            sha1.digest(inner, 0, LENGTH);
            sha1.update(outerPad);
            sha1.update(inner);
            sha1.digest(out, offset, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 digest failed", e);
        }
        sha1.update(innerPad);
    }
}
