package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.CodecException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The Key Material message (KMmsg) carried by the KMREQ and KMRSP handshake extensions: the salt
 * and the stream encrypting keys (SEKs), wrapped with the key encrypting key derived from the
 * passphrase. Build one with {@link SrtCrypto#keyMaterial}; unwrap one with
 * {@link SrtCrypto#unwrap}.
 *
 * <p>Wire layout (byte oriented, big-endian): {@code 0|V=1|PT=2} (one byte {@code 0x12}), sign
 * {@code 0x2029}, 6 reserved bits and KK, KEKI (32 bits), cipher, auth, SE, 3 reserved bytes,
 * salt length / 4, key length / 4, the salt, then the RFC 3394 wrap of the even and/or odd key
 * (one integrity block for both).
 *
 * @param keys which keys are wrapped: {@link SrtKeyFlag#EVEN}, {@link SrtKeyFlag#ODD} or {@link SrtKeyFlag#BOTH} (even first)
 * @param keki the key encrypting key index (0: the default, passphrase-derived key)
 * @param cipher the cipher, {@link #CIPHER_AES_CTR} for payloads StreamKit can decrypt
 * @param auth the authentication, {@link #AUTH_NONE} with AES-CTR
 * @param streamEncapsulation {@link #SE_MPEG_TS_SRT} for SRT
 * @param salt the 16-byte salt (copied)
 * @param keyLength the length of each key: 16, 24 or 32 bytes
 * @param wrappedKeys {@code 8 + keyLength} bytes, or {@code 8 + 2 * keyLength} for both keys (copied)
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-3.2.2">draft-sharabayko-srt, Key Material</a>
 */
public record SrtKeyMaterial(SrtKeyFlag keys, int keki, int cipher, int auth, int streamEncapsulation, byte[] salt,
        int keyLength, byte[] wrappedKeys) {

    /** The first byte: sign bit 0, version 1, packet type 2 (KMmsg). */
    public static final int VERSION_AND_TYPE = 0x12;
    /** The signature {@code 0x2029} ("HAI" in PnP vendor ID encoding). */
    public static final int SIGN = 0x2029;
    /** Cipher: AES in counter mode. */
    public static final int CIPHER_AES_CTR = 2;
    /** Authentication: none. */
    public static final int AUTH_NONE = 0;
    /** Stream encapsulation: MPEG-TS over SRT. */
    public static final int SE_MPEG_TS_SRT = 2;
    /** The salt length. */
    public static final int SALT_LENGTH = 16;
    private static final int HEADER_LENGTH = 16;

    /** Validates the fields and copies the arrays. */
    public SrtKeyMaterial {
        Objects.requireNonNull(keys, "keys");
        if (keys == SrtKeyFlag.NONE) {
            throw new IllegalArgumentException("key material carries at least one key");
        }
        checkByte("cipher", cipher);
        checkByte("auth", auth);
        checkByte("stream encapsulation", streamEncapsulation);
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("salt length " + salt.length + ", expected " + SALT_LENGTH);
        }
        if (keyLength != 16 && keyLength != 24 && keyLength != 32) {
            throw new IllegalArgumentException("key length " + keyLength + " is not 16, 24 or 32");
        }
        if (wrappedKeys.length != wrappedLength(keys, keyLength)) {
            throw new IllegalArgumentException("wrapped keys are " + wrappedKeys.length + " bytes, expected "
                    + wrappedLength(keys, keyLength));
        }
        salt = salt.clone();
        wrappedKeys = wrappedKeys.clone();
    }

    private static void checkByte(String name, int value) {
        if ((value & ~0xFF) != 0) {
            throw new IllegalArgumentException(name + " " + value + " does not fit 8 bits");
        }
    }

    static int wrappedLength(SrtKeyFlag keys, int keyLength) {
        return 8 + (keys == SrtKeyFlag.BOTH ? 2 : 1) * keyLength;
    }

    /** @return a copy of the salt */
    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** @return a copy of the wrapped keys */
    @Override
    public byte[] wrappedKeys() {
        return wrappedKeys.clone();
    }

    /** @return the encoded length in bytes (a multiple of 4) */
    public int length() {
        return HEADER_LENGTH + salt.length + wrappedKeys.length;
    }

    /**
     * Writes the message.
     *
     * @param out where to write {@link #length()} bytes
     */
    public void encode(ByteBuf out) {
        out.writeByte(VERSION_AND_TYPE);
        out.writeShort(SIGN);
        out.writeByte(keys.bits());
        out.writeInt(keki);
        out.writeByte(cipher);
        out.writeByte(auth);
        out.writeByte(streamEncapsulation);
        out.writeByte(0);
        out.writeShort(0);
        out.writeByte(salt.length / 4);
        out.writeByte(keyLength / 4);
        out.writeBytes(salt);
        out.writeBytes(wrappedKeys);
    }

    /**
     * Reads a message that fills all readable bytes of {@code in}.
     *
     * @param in the message; its reader index is advanced to the end
     * @return the message
     * @throws CodecException if the message is malformed
     */
    public static SrtKeyMaterial decode(ByteBuf in) {
        int length = in.readableBytes();
        if (length < HEADER_LENGTH) {
            throw new CodecException("SRT key material message is " + length + " bytes, shorter than its "
                    + HEADER_LENGTH + "-byte header");
        }
        int versionAndType = in.readUnsignedByte();
        if (versionAndType != VERSION_AND_TYPE) {
            throw new CodecException(String.format("SRT key material has version/type byte 0x%02x, expected 0x12",
                    versionAndType));
        }
        int sign = in.readUnsignedShort();
        if (sign != SIGN) {
            throw new CodecException(String.format("SRT key material has sign 0x%04x, expected 0x2029", sign));
        }
        SrtKeyFlag keys = SrtKeyFlag.fromBits(in.readUnsignedByte());
        if (keys == SrtKeyFlag.NONE) {
            throw new CodecException("SRT key material announces no key (KK=0)");
        }
        int keki = in.readInt();
        int cipher = in.readUnsignedByte();
        int auth = in.readUnsignedByte();
        int se = in.readUnsignedByte();
        in.skipBytes(3);
        int saltLength = in.readUnsignedByte() * 4;
        int keyLength = in.readUnsignedByte() * 4;
        if (saltLength != SALT_LENGTH) {
            throw new CodecException("SRT key material salt length " + saltLength + ", expected " + SALT_LENGTH);
        }
        if (keyLength != 16 && keyLength != 24 && keyLength != 32) {
            throw new CodecException("SRT key material key length " + keyLength + " is not 16, 24 or 32");
        }
        int expected = HEADER_LENGTH + saltLength + wrappedLength(keys, keyLength);
        if (length != expected) {
            throw new CodecException("SRT key material is " + length + " bytes, expected " + expected + " for "
                    + keys + " keys of " + keyLength + " bytes");
        }
        byte[] salt = new byte[saltLength];
        in.readBytes(salt);
        byte[] wrapped = new byte[wrappedLength(keys, keyLength)];
        in.readBytes(wrapped);
        return new SrtKeyMaterial(keys, keki, cipher, auth, se, salt, keyLength, wrapped);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtKeyMaterial other && keys == other.keys && keki == other.keki && cipher == other.cipher
                && auth == other.auth && streamEncapsulation == other.streamEncapsulation
                && keyLength == other.keyLength && Arrays.equals(salt, other.salt)
                && Arrays.equals(wrappedKeys, other.wrappedKeys);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keys, keki, cipher, auth, streamEncapsulation, keyLength) * 31 + Arrays.hashCode(salt) * 17
                + Arrays.hashCode(wrappedKeys);
    }

    @Override
    public String toString() {
        return "SrtKeyMaterial[keys=" + keys + ", keki=" + keki + ", cipher=" + cipher + ", auth=" + auth + ", se="
                + streamEncapsulation + ", salt=" + HexFormat.of().formatHex(salt) + ", keyLength=" + keyLength + "]";
    }
}
