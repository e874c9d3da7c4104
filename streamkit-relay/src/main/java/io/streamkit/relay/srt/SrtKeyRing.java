package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * The stream encrypting keys of one direction of an SRT connection: a salt shared by an even
 * and an odd key, one of which is active for sending. Immutable; each step of a key refresh
 * returns a new ring.
 *
 * <p>Key refresh as libsrt does it: {@link #preAnnounce} generates a fresh key in the inactive
 * slot (and the sender announces both keys in a KMREQ), {@link #switchKeys} makes it active, and
 * {@link #decommission} drops the old key once the receiver had time to drain packets encrypted
 * with it. A receiver picks the key by each data packet's KK flag ({@link #decrypt}).
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-6.1.6">draft-sharabayko-srt, Key Refresh</a>
 */
public final class SrtKeyRing {
    private final byte[] salt;
    private final int keyLength;
    private final byte[] even;
    private final byte[] odd;
    private final SecretKeySpec evenSpec;
    private final SecretKeySpec oddSpec;
    private final SrtKeyFlag active;

    private SrtKeyRing(byte[] salt, int keyLength, byte[] even, byte[] odd, SrtKeyFlag active) {
        this.salt = salt;
        this.keyLength = keyLength;
        this.even = even;
        this.odd = odd;
        this.evenSpec = even == null ? null : new SecretKeySpec(even, "AES");
        this.oddSpec = odd == null ? null : new SecretKeySpec(odd, "AES");
        this.active = active;
    }

    /**
     * A ring with a random salt and a random even key, active.
     *
     * @param keyLength 16, 24 or 32
     * @param random the source of randomness
     * @return the ring
     */
    public static SrtKeyRing generate(int keyLength, SecureRandom random) {
        SrtCrypto.checkKeyLength(keyLength);
        byte[] salt = new byte[SrtKeyMaterial.SALT_LENGTH];
        random.nextBytes(salt);
        byte[] key = new byte[keyLength];
        random.nextBytes(key);
        return new SrtKeyRing(salt, keyLength, key, null, SrtKeyFlag.EVEN);
    }

    /**
     * A ring from known keys.
     *
     * @param salt the 16-byte salt (copied)
     * @param evenKey the even key, or null (copied)
     * @param oddKey the odd key, or null (copied)
     * @param active {@link SrtKeyFlag#EVEN} or {@link SrtKeyFlag#ODD}, naming a present key
     * @return the ring
     */
    public static SrtKeyRing of(byte[] salt, byte[] evenKey, byte[] oddKey, SrtKeyFlag active) {
        if (salt.length != SrtKeyMaterial.SALT_LENGTH) {
            throw new IllegalArgumentException("salt of " + salt.length + " bytes, expected 16");
        }
        if (evenKey == null && oddKey == null) {
            throw new IllegalArgumentException("a key ring holds at least one key");
        }
        int keyLength = evenKey != null ? evenKey.length : oddKey.length;
        SrtCrypto.checkKeyLength(keyLength);
        if (evenKey != null && oddKey != null && evenKey.length != oddKey.length) {
            throw new IllegalArgumentException("even and odd keys differ in length");
        }
        if (active != SrtKeyFlag.EVEN && active != SrtKeyFlag.ODD
                || (active == SrtKeyFlag.EVEN ? evenKey : oddKey) == null) {
            throw new IllegalArgumentException("active key " + active + " is not present");
        }
        return new SrtKeyRing(salt.clone(), keyLength, evenKey == null ? null : evenKey.clone(),
                oddKey == null ? null : oddKey.clone(), active);
    }

    /** @return a copy of the 16-byte salt */
    public byte[] salt() {
        return salt.clone();
    }

    /** @return the key length in bytes */
    public int keyLength() {
        return keyLength;
    }

    /** @return the key used for sending: {@link SrtKeyFlag#EVEN} or {@link SrtKeyFlag#ODD} */
    public SrtKeyFlag active() {
        return active;
    }

    /** @return which keys the ring holds */
    public SrtKeyFlag presentKeys() {
        return SrtKeyFlag.fromBits((even != null ? 1 : 0) | (odd != null ? 2 : 0));
    }

    /**
     * @param flag {@link SrtKeyFlag#EVEN} or {@link SrtKeyFlag#ODD}
     * @return whether the ring holds that key
     */
    public boolean hasKey(SrtKeyFlag flag) {
        return flag == SrtKeyFlag.EVEN ? even != null : flag == SrtKeyFlag.ODD && odd != null;
    }

    /**
     * @param flag {@link SrtKeyFlag#EVEN} or {@link SrtKeyFlag#ODD}
     * @return a copy of that key
     * @throws IllegalArgumentException if the ring does not hold it
     */
    public byte[] key(SrtKeyFlag flag) {
        if (!hasKey(flag)) {
            throw new IllegalArgumentException("no " + flag + " key");
        }
        return (flag == SrtKeyFlag.EVEN ? even : odd).clone();
    }

    private static SrtKeyFlag other(SrtKeyFlag flag) {
        return flag == SrtKeyFlag.EVEN ? SrtKeyFlag.ODD : SrtKeyFlag.EVEN;
    }

    /**
     * @param random the source of randomness
     * @return this ring with a new random key in the inactive slot (replacing any key there)
     */
    public SrtKeyRing preAnnounce(SecureRandom random) {
        byte[] fresh = new byte[keyLength];
        random.nextBytes(fresh);
        return active == SrtKeyFlag.EVEN
                ? new SrtKeyRing(salt, keyLength, even, fresh, active)
                : new SrtKeyRing(salt, keyLength, fresh, odd, active);
    }

    /**
     * @return this ring with the other key active
     * @throws IllegalStateException if the other key is not present
     */
    public SrtKeyRing switchKeys() {
        if (!hasKey(other(active))) {
            throw new IllegalStateException("cannot switch to the " + other(active) + " key: not announced");
        }
        return new SrtKeyRing(salt, keyLength, even, odd, other(active));
    }

    /** @return this ring without its inactive key */
    public SrtKeyRing decommission() {
        return active == SrtKeyFlag.EVEN
                ? new SrtKeyRing(salt, keyLength, even, null, active)
                : new SrtKeyRing(salt, keyLength, null, odd, active);
    }

    /**
     * Encrypts a payload in place with the active key.
     *
     * @param payload the readable bytes to encrypt
     * @param sequenceNumber the packet's sequence number
     * @return the KK flag to put in the data packet
     */
    public SrtKeyFlag encrypt(ByteBuf payload, int sequenceNumber) {
        SrtCrypto.crypt(payload, sequenceNumber, active == SrtKeyFlag.EVEN ? evenSpec : oddSpec, salt);
        return active;
    }

    /**
     * Decrypts a payload in place with the key a data packet's KK flag names.
     *
     * @param payload the readable bytes to decrypt
     * @param sequenceNumber the packet's sequence number
     * @param flag the packet's KK flag
     * @return false, with the payload untouched, if the ring does not hold that key (drop and count the packet)
     */
    public boolean decrypt(ByteBuf payload, int sequenceNumber, SrtKeyFlag flag) {
        Objects.requireNonNull(flag, "flag");
        if (!hasKey(flag)) {
            return false;
        }
        SrtCrypto.crypt(payload, sequenceNumber, flag == SrtKeyFlag.EVEN ? evenSpec : oddSpec, salt);
        return true;
    }

    @Override
    public String toString() {
        return "SrtKeyRing[keyLength=" + keyLength + ", present=" + presentKeys() + ", active=" + active + "]";
    }
}
