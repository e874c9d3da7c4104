package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.NegotiationException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SRT encryption on the JDK's providers: the key encrypting key (KEK) derived from the passphrase
 * with PBKDF2-HMAC-SHA1, the Key Material message that carries the wrapped stream encrypting keys
 * (SEKs), and AES-CTR encryption of data packet payloads.
 *
 * <p>The AES-CTR counter block of a packet is the 14-byte salt prefix XOR the packet's 32-bit
 * sequence number (big-endian, at bytes 10..13), followed by a 16-bit block counter starting at
 * 0. As in libsrt, the KEK's PBKDF2 salt is the last 8 bytes of the 16-byte Key Material salt.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-6">draft-sharabayko-srt, Encryption</a>
 */
public final class SrtCrypto {
    /** PBKDF2 iterations used by libsrt. */
    public static final int PBKDF2_ITERATIONS = 2048;
    /** How many trailing bytes of the Key Material salt are the PBKDF2 salt. */
    public static final int PBKDF2_SALT_LENGTH = 8;
    /** The shortest passphrase in bytes. */
    public static final int MIN_PASSPHRASE_LENGTH = 10;
    /** The longest passphrase in bytes. */
    public static final int MAX_PASSPHRASE_LENGTH = 79;
    private static final int IV_SALT_LENGTH = 14;

    private SrtCrypto() {
    }

    /**
     * @param passphrase a passphrase
     * @throws IllegalArgumentException unless its UTF-8 form is 10 to 79 bytes long
     */
    public static void checkPassphrase(String passphrase) {
        int n = passphrase.getBytes(StandardCharsets.UTF_8).length;
        if (n < MIN_PASSPHRASE_LENGTH || n > MAX_PASSPHRASE_LENGTH) {
            throw new IllegalArgumentException("SRT passphrase is " + n + " bytes; it must be 10 to 79");
        }
    }

    /**
     * @param keyLength 16, 24 or 32
     * @return the value of the handshake's encryption field for that key length (2, 3 or 4)
     */
    public static int encryptionField(int keyLength) {
        checkKeyLength(keyLength);
        return keyLength / 8;
    }

    /**
     * @param encryptionField a handshake encryption field
     * @return the key length it advertises, or 0 for none
     * @throws IllegalArgumentException for a value other than 0, 2, 3 or 4
     */
    public static int keyLength(int encryptionField) {
        if (encryptionField == 0) {
            return 0;
        }
        if (encryptionField < 2 || encryptionField > 4) {
            throw new IllegalArgumentException("encryption field " + encryptionField + " is not 0, 2, 3 or 4");
        }
        return encryptionField * 8;
    }

    static void checkKeyLength(int keyLength) {
        if (keyLength != 16 && keyLength != 24 && keyLength != 32) {
            throw new IllegalArgumentException("key length " + keyLength + " is not 16, 24 or 32");
        }
    }

    /**
     * PBKDF2 with HMAC-SHA1 (RFC 8018), the password encoded as UTF-8.
     *
     * @param password the password
     * @param salt the salt, not empty
     * @param iterations the iteration count
     * @param length the derived key length in bytes
     * @return the derived key
     */
    public static byte[] pbkdf2HmacSha1(String password, byte[] salt, int iterations, int length) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, length * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides PBKDF2WithHmacSHA1", e);
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * Derives the key encrypting key as libsrt does.
     *
     * @param passphrase the passphrase, 10 to 79 bytes
     * @param kmSalt the 16-byte Key Material salt
     * @param keyLength the key length, 16, 24 or 32
     * @return the key encrypting key
     */
    public static byte[] deriveKek(String passphrase, byte[] kmSalt, int keyLength) {
        checkPassphrase(passphrase);
        checkKeyLength(keyLength);
        if (kmSalt.length != SrtKeyMaterial.SALT_LENGTH) {
            throw new IllegalArgumentException("salt of " + kmSalt.length + " bytes, expected 16");
        }
        byte[] salt = Arrays.copyOfRange(kmSalt, kmSalt.length - PBKDF2_SALT_LENGTH, kmSalt.length);
        return pbkdf2HmacSha1(passphrase, salt, PBKDF2_ITERATIONS, keyLength);
    }

    /**
     * Builds the Key Material message announcing the keys of a key ring.
     *
     * @param passphrase the passphrase
     * @param keys the key ring; all its keys are wrapped (even first)
     * @return the Key Material message for a KMREQ
     */
    public static SrtKeyMaterial keyMaterial(String passphrase, SrtKeyRing keys) {
        byte[] kek = deriveKek(passphrase, keys.salt(), keys.keyLength());
        SrtKeyFlag present = keys.presentKeys();
        byte[] plain = new byte[SrtKeyMaterial.wrappedLength(present, keys.keyLength()) - 8];
        int off = 0;
        if (present.hasEven()) {
            byte[] even = keys.key(SrtKeyFlag.EVEN);
            System.arraycopy(even, 0, plain, 0, even.length);
            off = even.length;
            Arrays.fill(even, (byte) 0);
        }
        if (present.hasOdd()) {
            byte[] odd = keys.key(SrtKeyFlag.ODD);
            System.arraycopy(odd, 0, plain, off, odd.length);
            Arrays.fill(odd, (byte) 0);
        }
        byte[] wrapped = SrtKeyWrap.wrap(kek, plain);
        Arrays.fill(plain, (byte) 0);
        Arrays.fill(kek, (byte) 0);
        return new SrtKeyMaterial(present, 0, SrtKeyMaterial.CIPHER_AES_CTR, SrtKeyMaterial.AUTH_NONE,
                SrtKeyMaterial.SE_MPEG_TS_SRT, keys.salt(), keys.keyLength(), wrapped);
    }

    /**
     * Unwraps the keys of a Key Material message. The returned ring's active key is the only key,
     * or the even key when both are present (a receiver picks the key by each packet's KK flag).
     *
     * @param km the Key Material message
     * @param passphrase the passphrase
     * @return the keys
     * @throws SrtBadSecretException if the passphrase does not unwrap the keys
     * @throws NegotiationException if the message uses a cipher other than AES-CTR
     */
    public static SrtKeyRing unwrap(SrtKeyMaterial km, String passphrase) {
        if (km.cipher() != SrtKeyMaterial.CIPHER_AES_CTR || km.auth() != SrtKeyMaterial.AUTH_NONE) {
            throw new NegotiationException("SRT key material uses cipher " + km.cipher() + " with auth " + km.auth()
                    + "; only AES-CTR (2) without auth (0) is supported");
        }
        if (km.keki() != 0) {
            throw new NegotiationException("SRT key material uses key encrypting key index " + km.keki()
                    + "; only 0 (the passphrase) is supported");
        }
        byte[] salt = km.salt();
        byte[] kek = deriveKek(passphrase, salt, km.keyLength());
        byte[] plain;
        try {
            plain = SrtKeyWrap.unwrap(kek, km.wrappedKeys());
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
        int n = km.keyLength();
        byte[] even = null;
        byte[] odd = null;
        if (km.keys() == SrtKeyFlag.BOTH) {
            even = Arrays.copyOfRange(plain, 0, n);
            odd = Arrays.copyOfRange(plain, n, 2 * n);
        } else if (km.keys() == SrtKeyFlag.EVEN) {
            even = plain.clone();
        } else {
            odd = plain.clone();
        }
        Arrays.fill(plain, (byte) 0);
        return SrtKeyRing.of(salt, even, odd, even != null ? SrtKeyFlag.EVEN : SrtKeyFlag.ODD);
    }

    /**
     * The initial AES-CTR counter block for a packet.
     *
     * @param salt the 16-byte Key Material salt (its first 14 bytes are used)
     * @param sequenceNumber the packet's sequence number
     * @return the 16-byte counter block
     */
    public static byte[] counterBlock(byte[] salt, int sequenceNumber) {
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, IV_SALT_LENGTH);
        iv[10] ^= (byte) (sequenceNumber >>> 24);
        iv[11] ^= (byte) (sequenceNumber >>> 16);
        iv[12] ^= (byte) (sequenceNumber >>> 8);
        iv[13] ^= (byte) sequenceNumber;
        return iv;
    }

    /**
     * Encrypts a payload in place with AES-CTR.
     *
     * @param payload the readable bytes to encrypt; indexes unchanged
     * @param sequenceNumber the packet's sequence number
     * @param key the stream encrypting key
     * @param salt the 16-byte Key Material salt
     */
    public static void encrypt(ByteBuf payload, int sequenceNumber, byte[] key, byte[] salt) {
        crypt(payload, sequenceNumber, new SecretKeySpec(key, "AES"), salt);
    }

    /**
     * Decrypts a payload in place with AES-CTR (the same operation as encryption).
     *
     * @param payload the readable bytes to decrypt; indexes unchanged
     * @param sequenceNumber the packet's sequence number
     * @param key the stream encrypting key
     * @param salt the 16-byte Key Material salt
     */
    public static void decrypt(ByteBuf payload, int sequenceNumber, byte[] key, byte[] salt) {
        crypt(payload, sequenceNumber, new SecretKeySpec(key, "AES"), salt);
    }

    static void crypt(ByteBuf payload, int sequenceNumber, SecretKeySpec key, byte[] salt) {
        int index = payload.readerIndex();
        int length = payload.readableBytes();
        if (length == 0) {
            return;
        }
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counterBlock(salt, sequenceNumber)));
            if (payload.hasArray()) {
                byte[] array = payload.array();
                int offset = payload.arrayOffset() + index;
                aes.doFinal(array, offset, length, array, offset);
            } else {
                byte[] bytes = new byte[length];
                payload.getBytes(index, bytes);
                aes.doFinal(bytes, 0, length, bytes, 0);
                payload.setBytes(index, bytes);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides AES/CTR/NoPadding", e);
        }
    }
}
