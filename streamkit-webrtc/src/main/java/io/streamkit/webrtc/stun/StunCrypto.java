package io.streamkit.webrtc.stun;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT computations
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-14.5">RFC 8489 sections 14.5 to 14.7</a>), over
 * the exact bytes of a message. Not API.
 */
final class StunCrypto {
    static final String HMAC_SHA1 = "HmacSHA1";
    static final String HMAC_SHA256 = "HmacSHA256";
    static final int FINGERPRINT_XOR = 0x5354554e;
    static final int SHA1_LENGTH = 20;
    static final int SHA256_LENGTH = 32;

    private static final ThreadLocal<Mac> SHA1 = ThreadLocal.withInitial(() -> newMac(HMAC_SHA1));
    private static final ThreadLocal<Mac> SHA256 = ThreadLocal.withInitial(() -> newMac(HMAC_SHA256));

    private StunCrypto() {
    }

    static Mac newMac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java platform", e);
        }
    }

    /** @return a Mac of this thread keyed with {@code key}; use it before calling this method again */
    static Mac threadMac(String algorithm, byte[] key) {
        Mac mac = (HMAC_SHA1.equals(algorithm) ? SHA1 : SHA256).get();
        init(mac, key);
        return mac;
    }

    static void init(Mac mac, byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("a STUN integrity key must not be empty");
        }
        try {
            mac.init(new SecretKeySpec(key, mac.getAlgorithm()));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable STUN integrity key", e);
        }
    }

    /**
     * Computes the HMAC that protects an integrity attribute at {@code attrPos}: over the header (with
     * the length field replaced by {@code adjustedLength}) and every attribute before it.
     *
     * @param out receives the full-length HMAC at {@code outOffset}
     */
    static void hmac(Mac mac, byte[] msg, int off, int attrPos, int adjustedLength, byte[] out, int outOffset) {
        mac.update(msg, off, 2);
        mac.update((byte) (adjustedLength >>> 8));
        mac.update((byte) adjustedLength);
        mac.update(msg, off + 4, attrPos - 4);
        try {
            mac.doFinal(out, outOffset);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("HMAC output buffer too short", e);
        }
    }

    /** @return the FINGERPRINT value of the {@code length} bytes at {@code off} */
    static int fingerprint(byte[] msg, int off, int length) {
        CRC32 crc = new CRC32();
        crc.update(msg, off, length);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    /**
     * Verifies MESSAGE-INTEGRITY and, when present, MESSAGE-INTEGRITY-SHA256 over the exact bytes of a
     * message. Attributes are walked again here, so the check never trusts a separately decoded view.
     *
     * @param sha1 a Mac keyed with the key, or null to key a thread-local one with {@code key}
     * @param key the key, used for the Macs not given
     * @param scratch at least 32 bytes for the computed HMAC
     */
    static StunMessage.IntegrityStatus verify(byte[] msg, int off, int len, Mac sha1, Mac sha256, byte[] key,
            byte[] scratch) {
        if (len < StunMessage.HEADER_LENGTH || len > StunMessage.MAX_MESSAGE_LENGTH
                || StunMessage.u16(msg, off + 2) != len - StunMessage.HEADER_LENGTH) {
            return StunMessage.IntegrityStatus.INVALID;
        }
        int miPos = -1;
        int mi256Pos = -1;
        int mi256Len = 0;
        int pos = StunMessage.HEADER_LENGTH;
        while (pos + 4 <= len && miPos < 0 && mi256Pos < 0) {
            int type = StunMessage.u16(msg, off + pos);
            int vlen = StunMessage.u16(msg, off + pos + 2);
            if (pos + 4 + StunAttribute.padded(vlen) > len) {
                return StunMessage.IntegrityStatus.INVALID;
            }
            if (type == StunAttribute.MESSAGE_INTEGRITY) {
                miPos = pos;
            } else if (type == StunAttribute.MESSAGE_INTEGRITY_SHA256) {
                mi256Pos = pos;
                mi256Len = vlen;
            }
            pos += 4 + StunAttribute.padded(vlen);
        }
        if (miPos >= 0 && pos + 4 <= len
                && StunMessage.u16(msg, off + pos) == StunAttribute.MESSAGE_INTEGRITY_SHA256) {
            // MESSAGE-INTEGRITY-SHA256 may follow MESSAGE-INTEGRITY; nothing else after it counts
            mi256Pos = pos;
            mi256Len = StunMessage.u16(msg, off + pos + 2);
            if (pos + 4 + StunAttribute.padded(mi256Len) > len) {
                return StunMessage.IntegrityStatus.INVALID;
            }
        }
        if (miPos < 0 && mi256Pos < 0) {
            return StunMessage.IntegrityStatus.ABSENT;
        }
        try {
            if (miPos >= 0) {
                int vlen = StunMessage.u16(msg, off + miPos + 2);
                if (vlen != SHA1_LENGTH) {
                    return StunMessage.IntegrityStatus.INVALID;
                }
                Mac mac = sha1 != null ? sha1 : threadMac(HMAC_SHA1, key);
                hmac(mac, msg, off, miPos, miPos + 4 + SHA1_LENGTH - StunMessage.HEADER_LENGTH, scratch, 0);
                if (!constantTimeEquals(scratch, msg, off + miPos + 4, SHA1_LENGTH)) {
                    return StunMessage.IntegrityStatus.INVALID;
                }
            }
            if (mi256Pos >= 0) {
                if (mi256Len < 16 || mi256Len > SHA256_LENGTH || mi256Len % 4 != 0) {
                    return StunMessage.IntegrityStatus.INVALID;
                }
                Mac mac = sha256 != null ? sha256 : threadMac(HMAC_SHA256, key);
                hmac(mac, msg, off, mi256Pos, mi256Pos + 4 + mi256Len - StunMessage.HEADER_LENGTH, scratch, 0);
                if (!constantTimeEquals(scratch, msg, off + mi256Pos + 4, mi256Len)) {
                    return StunMessage.IntegrityStatus.INVALID;
                }
            }
        } catch (IllegalArgumentException e) {
            return StunMessage.IntegrityStatus.INVALID;
        }
        return StunMessage.IntegrityStatus.VALID;
    }

    private static boolean constantTimeEquals(byte[] computed, byte[] msg, int at, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= computed[i] ^ msg[at + i];
        }
        return diff == 0;
    }
}
