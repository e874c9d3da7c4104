package io.streamkit.relay.srt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.relay.srt.SrtHandshakeExtension.KeyMaterialMessage;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Known answers (RFC 3394, RFC 6070), AES-CTR payload encryption, Key Material and key refresh. */
class SrtCryptoTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String PASSPHRASE = "correct horse battery staple";

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    // --- RFC 3394 ---------------------------------------------------------------------------------

    @Test
    void rfc3394Section41Wrap128BitsWith128BitKek() {
        byte[] kek = hex("000102030405060708090A0B0C0D0E0F");
        byte[] data = hex("00112233445566778899AABBCCDDEEFF");
        byte[] wrapped = hex("1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5");
        assertArrayEquals(wrapped, SrtKeyWrap.wrap(kek, data));
        assertArrayEquals(data, SrtKeyWrap.unwrap(kek, wrapped));
    }

    @Test
    void rfc3394Section46Wrap256BitsWith256BitKek() {
        byte[] kek = hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
        byte[] data = hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
        byte[] wrapped = hex("28C9F404C4B810F4 CBCCB35CFB87F826 3F5786E2D80ED326 CBC7F0E71A99F43B FB988B9B7A02DD21");
        assertArrayEquals(wrapped, SrtKeyWrap.wrap(kek, data));
        assertArrayEquals(data, SrtKeyWrap.unwrap(kek, wrapped));
    }

    @Test
    void unwrapWithTheWrongKekFailsTheIntegrityCheck() {
        byte[] wrapped = hex("1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5");
        SrtBadSecretException e = assertThrows(SrtBadSecretException.class,
                () -> SrtKeyWrap.unwrap(hex("000102030405060708090A0B0C0D0E0E"), wrapped));
        assertTrue(e.getMessage().contains("wrong passphrase"));
    }

    @Property(tries = 50)
    void wrapAgreesWithTheJdkAesWrap(@ForAll @Size(32) byte[] kekBytes, @ForAll @From("keyLengths") int kekLength,
            @ForAll @Size(32) byte[] keyBytes, @ForAll @From("keyLengths") int keyLength) throws Exception {
        byte[] kek = java.util.Arrays.copyOf(kekBytes, kekLength);
        byte[] key = java.util.Arrays.copyOf(keyBytes, keyLength);
        Cipher jdk = Cipher.getInstance("AESWrap");
        jdk.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
        assertArrayEquals(jdk.wrap(new SecretKeySpec(key, "AES")), SrtKeyWrap.wrap(kek, key));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> keyLengths() {
        return net.jqwik.api.Arbitraries.of(16, 24, 32);
    }

    // --- PBKDF2 (RFC 6070 vectors) ------------------------------------------------------------------

    @Test
    void pbkdf2HmacSha1MatchesRfc6070() {
        assertEquals("0c60c80f961f0e71f3a9b524af6012062fe037a6",
                HEX.formatHex(SrtCrypto.pbkdf2HmacSha1("password", "salt".getBytes(), 1, 20)));
        assertEquals("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957",
                HEX.formatHex(SrtCrypto.pbkdf2HmacSha1("password", "salt".getBytes(), 2, 20)));
        assertEquals("4b007901b765489abead49d926f721d065a429c1",
                HEX.formatHex(SrtCrypto.pbkdf2HmacSha1("password", "salt".getBytes(), 4096, 20)));
        assertEquals("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038",
                HEX.formatHex(SrtCrypto.pbkdf2HmacSha1("passwordPASSWORDpassword",
                        "saltSALTsaltSALTsaltSALTsaltSALTsalt".getBytes(), 4096, 25)));
        assertEquals("56fa6aa75548099dcc37d7f03425e0c3",
                HEX.formatHex(SrtCrypto.pbkdf2HmacSha1("pass\0word", "sa\0lt".getBytes(), 4096, 16)));
    }

    @Test
    void kekUsesTheLastEightSaltBytesAnd2048Iterations() {
        byte[] salt = hex("00112233445566778899aabbccddeeff");
        assertArrayEquals(SrtCrypto.pbkdf2HmacSha1(PASSPHRASE, hex("8899aabbccddeeff"), 2048, 24),
                SrtCrypto.deriveKek(PASSPHRASE, salt, 24));
    }

    @Test
    void passphraseLengthIsTenTo79Bytes() {
        assertThrows(IllegalArgumentException.class, () -> SrtCrypto.checkPassphrase("123456789"));
        SrtCrypto.checkPassphrase("1234567890");
        SrtCrypto.checkPassphrase("x".repeat(79));
        assertThrows(IllegalArgumentException.class, () -> SrtCrypto.checkPassphrase("x".repeat(80)));
        assertEquals(2, SrtCrypto.encryptionField(16));
        assertEquals(32, SrtCrypto.keyLength(4));
        assertEquals(0, SrtCrypto.keyLength(0));
    }

    // --- AES-CTR payloads ---------------------------------------------------------------------------

    @Test
    void counterBlockXorsTheSequenceNumberIntoBytes10To13() {
        byte[] salt = hex("000102030405060708090a0b0c0d0e0f");
        assertEquals("000102030405060708090b09" + "0f09" + "0000",
                HEX.formatHex(SrtCrypto.counterBlock(salt, 0x01020304)));
    }

    @Test
    void ctrKeystreamIsAesOfTheIncrementedCounterBlock() throws Exception {
        byte[] key = hex("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] salt = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        int seq = 0x12345678;
        ByteBuf payload = Unpooled.buffer(40).writeZero(40);
        try {
            SrtCrypto.encrypt(payload, seq, key, salt);
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            byte[] block = SrtCrypto.counterBlock(salt, seq);
            for (int i = 0; i < 3; i++) {
                block[15] = (byte) i;
                byte[] keystream = ecb.doFinal(block);
                byte[] actual = new byte[Math.min(16, 40 - 16 * i)];
                payload.getBytes(16 * i, actual);
                assertArrayEquals(java.util.Arrays.copyOf(keystream, actual.length), actual);
            }
        } finally {
            payload.release();
        }
    }

    @Property(tries = 200)
    void ctrRoundTripsAndDependsOnTheSequenceNumber(@ForAll @Size(min = 8, max = 1456) byte[] plain, // 8+ bytes: a 1-byte ciphertext equals its plaintext 1 time in 256
            @ForAll @IntRange(min = 0, max = SrtSeq.MAX) int seq, @ForAll @From("keyLengths") int keyLength,
            @ForAll boolean direct, @ForAll long seed) {
        Random random = new Random(seed);
        byte[] key = new byte[keyLength];
        byte[] salt = new byte[16];
        random.nextBytes(key);
        random.nextBytes(salt);
        ByteBuf a = direct ? ByteBufAllocator.DEFAULT.directBuffer() : ByteBufAllocator.DEFAULT.heapBuffer();
        ByteBuf b = Unpooled.buffer();
        try {
            a.writeZero(3).writeBytes(plain).skipBytes(3); // payload not at index 0
            b.writeBytes(plain);
            SrtCrypto.encrypt(a, seq, key, salt);
            SrtCrypto.encrypt(b, SrtSeq.next(seq), key, salt);
            assertEquals(plain.length, a.readableBytes());
            assertFalse(java.util.Arrays.equals(plain, bytes(a)), "ciphertext equals plaintext");
            assertFalse(java.util.Arrays.equals(bytes(a), bytes(b)), "another seq gave the same ciphertext");
            SrtCrypto.decrypt(a, seq, key, salt);
            assertArrayEquals(plain, bytes(a));
        } finally {
            a.release();
            b.release();
        }
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    // --- Key Material and key refresh ---------------------------------------------------------------

    @Property(tries = 12)
    void keyMaterialRoundTripsAndUnwrapsOnlyWithThePassphrase(@ForAll @From("keyLengths") int keyLength,
            @ForAll boolean both) {
        SecureRandom random = new SecureRandom();
        SrtKeyRing ring = SrtKeyRing.generate(keyLength, random);
        if (both) {
            ring = ring.preAnnounce(random);
        }
        SrtKeyMaterial km = SrtCrypto.keyMaterial(PASSPHRASE, ring);
        assertEquals(both ? SrtKeyFlag.BOTH : SrtKeyFlag.EVEN, km.keys());
        assertEquals(SrtKeyMaterial.CIPHER_AES_CTR, km.cipher());
        assertEquals(SrtKeyMaterial.SE_MPEG_TS_SRT, km.streamEncapsulation());

        // on the wire, inside a handshake's KMREQ
        SrtHandshake hs = SrtHandshake.builder().addExtension(new KeyMaterialMessage(false, km)).build();
        ByteBuf wire = SrtPacketCodec.encode(ByteBufAllocator.DEFAULT, hs);
        SrtKeyMaterial received;
        try {
            assertEquals(16 + 48 + 4 + 16 + 16 + 8 + (both ? 2 : 1) * keyLength, wire.readableBytes());
            assertEquals(0x12, wire.getUnsignedByte(16 + 48 + 4));
            assertEquals(SrtKeyMaterial.SIGN, wire.getUnsignedShort(16 + 48 + 5));
            received = ((SrtHandshake) SrtPacketCodec.decode(wire)).extension(KeyMaterialMessage.class)
                    .orElseThrow().keyMaterial();
        } finally {
            wire.release();
        }
        assertEquals(km, received);

        SrtKeyRing unwrapped = SrtCrypto.unwrap(received, PASSPHRASE);
        assertArrayEquals(ring.salt(), unwrapped.salt());
        assertArrayEquals(ring.key(SrtKeyFlag.EVEN), unwrapped.key(SrtKeyFlag.EVEN));
        assertEquals(both, unwrapped.hasKey(SrtKeyFlag.ODD));
        if (both) {
            assertArrayEquals(ring.key(SrtKeyFlag.ODD), unwrapped.key(SrtKeyFlag.ODD));
        }

        SrtBadSecretException e = assertThrows(SrtBadSecretException.class,
                () -> SrtCrypto.unwrap(received, "incorrect horse battery staple"));
        assertTrue(e.getMessage().contains("wrong passphrase"), e::getMessage);
    }

    @Test
    void keyRefreshSwitchesFromEvenToOdd() {
        SecureRandom random = new SecureRandom();
        SrtKeyRing sender = SrtKeyRing.generate(16, random);
        assertEquals(SrtKeyFlag.EVEN, sender.active());
        assertEquals(SrtKeyFlag.EVEN, sender.presentKeys());
        assertThrows(IllegalStateException.class, sender::switchKeys);

        SrtKeyRing announced = sender.preAnnounce(random);
        assertEquals(SrtKeyFlag.BOTH, announced.presentKeys());
        assertEquals(SrtKeyFlag.EVEN, announced.active());
        assertArrayEquals(sender.key(SrtKeyFlag.EVEN), announced.key(SrtKeyFlag.EVEN));
        SrtKeyRing receiver = SrtCrypto.unwrap(SrtCrypto.keyMaterial(PASSPHRASE, announced), PASSPHRASE);

        SrtKeyRing switched = announced.switchKeys();
        assertEquals(SrtKeyFlag.ODD, switched.active());
        byte[] plain = "0123456789abcdef0123".getBytes();
        ByteBuf payload = Unpooled.copiedBuffer(plain);
        try {
            SrtKeyFlag kk = switched.encrypt(payload, 42);
            assertEquals(SrtKeyFlag.ODD, kk);
            assertTrue(receiver.decrypt(payload, 42, kk));
            assertArrayEquals(plain, bytes(payload));

            SrtKeyRing retired = switched.decommission();
            assertEquals(SrtKeyFlag.ODD, retired.presentKeys());
            assertFalse(retired.decrypt(payload, 42, SrtKeyFlag.EVEN));
            assertArrayEquals(plain, bytes(payload));
            assertNotEquals(HEX.formatHex(retired.key(SrtKeyFlag.ODD)), HEX.formatHex(sender.key(SrtKeyFlag.EVEN)));
        } finally {
            payload.release();
        }
    }
}
