package io.streamkit.relay.rtmp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Constants and the HMAC-SHA256 digest arithmetic of the RTMP handshake, shared by the server and client
 * handlers. Not API.
 *
 * <p>The "complex" (digest) handshake of Flash Player and Flash Media Server is not in the published spec; the
 * keys and offset schemes are the ones every interoperable implementation (librtmp, FFmpeg, nginx-rtmp, SRS)
 * uses.
 */
final class RtmpHandshake {

    /** The only plain RTMP version (6 is RTMPE, which StreamKit does not speak). */
    static final int VERSION = 3;
    /** Length of C1, S1, C2 and S2. */
    static final int PACKET_LENGTH = 1536;
    /** Length of an HMAC-SHA256 digest. */
    static final int DIGEST_LENGTH = 32;
    /** Length of the Flash Player key's text part, the key of the client digest. */
    static final int PLAYER_KEY_TEXT_LENGTH = 30;
    /** Length of the Flash Media Server key's text part, the key of the server digest. */
    static final int SERVER_KEY_TEXT_LENGTH = 36;
    /** The version S1 advertises in a digest handshake (FMS 4.5.1, which Flash clients accept). */
    static final int SERVER_VERSION = 0x04050001;

    private static final byte[] KEY_SUFFIX = {
            (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
            (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
            (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
            (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE};

    /** "Genuine Adobe Flash Player 001" followed by the 32 constant bytes (62 bytes). */
    static final byte[] PLAYER_KEY = key("Genuine Adobe Flash Player 001");
    /** "Genuine Adobe Flash Media Server 001" followed by the 32 constant bytes (68 bytes). */
    static final byte[] SERVER_KEY = key("Genuine Adobe Flash Media Server 001");

    private RtmpHandshake() {
    }

    private static byte[] key(String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        byte[] k = Arrays.copyOf(t, t.length + KEY_SUFFIX.length);
        System.arraycopy(KEY_SUFFIX, 0, k, t.length, KEY_SUFFIX.length);
        return k;
    }

    /**
     * Where the 32-byte digest sits in a 1536-byte C1/S1.
     *
     * @param packet C1 or S1
     * @param scheme 0 (offset bytes at 8..11, digest from 12) or 1 (offset bytes at 772..775, digest from 776)
     * @return the digest offset
     */
    static int digestOffset(byte[] packet, int scheme) {
        int base = scheme == 0 ? 8 : 772;
        int sum = (packet[base] & 0xFF) + (packet[base + 1] & 0xFF) + (packet[base + 2] & 0xFF)
                + (packet[base + 3] & 0xFF);
        return sum % 728 + base + 4;
    }

    /** HMAC-SHA256 over the packet without the 32 bytes at {@code offset}, keyed by the first keyLength bytes. */
    static byte[] packetDigest(byte[] packet, int offset, byte[] key, int keyLength) {
        Mac mac = mac(key, keyLength);
        mac.update(packet, 0, offset);
        mac.update(packet, offset + DIGEST_LENGTH, packet.length - offset - DIGEST_LENGTH);
        return mac.doFinal();
    }

    /** HMAC-SHA256 of {@code data[0..length)}. */
    static byte[] hmac(byte[] key, int keyLength, byte[] data, int length) {
        Mac mac = mac(key, keyLength);
        mac.update(data, 0, length);
        return mac.doFinal();
    }

    /**
     * Finds the scheme whose client digest, keyed with the Flash Player key, is valid.
     *
     * @param c1 the client's C1
     * @return 0 or 1, or -1 if neither scheme validates
     */
    static int findClientDigestScheme(byte[] c1) {
        for (int scheme = 0; scheme <= 1; scheme++) {
            int offset = digestOffset(c1, scheme);
            byte[] expected = packetDigest(c1, offset, PLAYER_KEY, PLAYER_KEY_TEXT_LENGTH);
            if (MessageDigest.isEqual(expected, Arrays.copyOfRange(c1, offset, offset + DIGEST_LENGTH))) {
                return scheme;
            }
        }
        return -1;
    }

    /** @return {@code length} random bytes (handshake padding: not secret, so not from a SecureRandom) */
    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** @return the low 32 bits of the wall clock in ms, the conventional handshake time field */
    static int epoch() {
        return (int) System.currentTimeMillis();
    }

    /** @return the 32-bit big-endian value at {@code offset} */
    static long uint32(byte[] b, int offset) {
        return ((b[offset] & 0xFFL) << 24) | ((b[offset + 1] & 0xFFL) << 16) | ((b[offset + 2] & 0xFFL) << 8)
                | (b[offset + 3] & 0xFFL);
    }

    /** Writes a 32-bit big-endian value at {@code offset}. */
    static void putInt(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }

    private static Mac mac(byte[] key, int keyLength) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, 0, keyLength, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JRE", e);
        }
    }
}
