package io.streamkit.webrtc.srtp;

import static io.streamkit.webrtc.srtp.SrtpTestSupport.buffer;
import static io.streamkit.webrtc.srtp.SrtpTestSupport.bytes;
import static io.streamkit.webrtc.srtp.SrtpTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests: RFC 3711 Appendix B.2 (AES-CM key stream) and B.3 (key derivation), RFC 7714
 * §16 (SRTP) and §17 (SRTCP) for AEAD_AES_128_GCM and AEAD_AES_256_GCM, and libsrtp's
 * AES_CM_128_HMAC_SHA1_80 self-test packets (same master key as B.3), all byte-exact. Each packet
 * vector runs on a heap and on a direct buffer.
 */
class SrtpVectorsTest {
    private static final byte[] GCM_KEY_128 = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_KEY_256 = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    /** "Quid pro quo". */
    private static final byte[] GCM_SALT = hex("517569642070726f2071756f");
    private static final byte[] RTP_PLAIN = hex("8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973"
            + " 20646976 69736120 696e2070 61727465 73207472 6573");
    private static final byte[] RTCP_PLAIN = hex("81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930"
            + " 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef");
    private static final int RTCP_SSRC = 0x4d617273;
    private static final int RTCP_INDEX = 0x5d4;

    private static final byte[] B3_MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] B3_MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");

    @Test
    void rfc3711KeyStreamB2() {
        SessionKeys keys = new SessionKeys(hex("2B7E151628AED2A6ABF7158809CF4F3C"), new byte[20], hex(
                "F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
        AesCmCipher cm = new AesCmCipher(keys, 10);
        byte[] stream = new byte[0xFF02 * 16];
        cm.crypt(stream, 0, stream.length, 0, 0);
        assertArrayEquals(hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB"
                + " 41E95B3BB0A2E8DD477901E4FCA894C0"), Arrays.copyOfRange(stream, 0, 48));
        assertArrayEquals(hex("EC8CDF7398607CB0F2D21675EA9EA1E4 362B7C3C6773516318A077D7FC5073AE"
                + " 6A2CC3787889374FBEB4C81B17BA6C44"), Arrays.copyOfRange(stream, 0xFEFF * 16, 0xFF02 * 16));
    }

    @Test
    void rfc3711KeyDerivationB3() {
        assertArrayEquals(hex("C61E7A93744F39EE10734AFE3FF7A087"), SessionKeys.prf(B3_MASTER_KEY, B3_MASTER_SALT,
                SessionKeys.LABEL_RTP_ENCRYPTION, 16));
        assertArrayEquals(hex("30CBBC08863D8C85D49DB34A9AE1"), SessionKeys.prf(B3_MASTER_KEY, B3_MASTER_SALT,
                SessionKeys.LABEL_RTP_SALT, 14));
        assertArrayEquals(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
                + "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
                + "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2"), SessionKeys.prf(B3_MASTER_KEY,
                        B3_MASTER_SALT, SessionKeys.LABEL_RTP_AUTHENTICATION, 94));
        SessionKeys rtp = SessionKeys.forRtp(SrtpProfile.AES_CM_128_HMAC_SHA1_80, B3_MASTER_KEY, B3_MASTER_SALT);
        assertArrayEquals(hex("C61E7A93744F39EE10734AFE3FF7A087"), rtp.encryptionKey());
        assertArrayEquals(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), rtp.authenticationKey());
        assertArrayEquals(hex("30CBBC08863D8C85D49DB34A9AE1"), rtp.salt());
    }

    /** A 12-byte GCM master salt sits left-aligned in the 14-byte field (checked with openssl aes-128-ctr). */
    @Test
    void gcmMasterSaltDerivation() {
        SessionKeys rtp = SessionKeys.forRtp(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY_128,
                hex("a0a1a2a3a4a5a6a7a8a9aaab"));
        assertArrayEquals(hex("077c6143cb221bc355ff23d5f984a16e"), rtp.encryptionKey());
        assertArrayEquals(hex("9af3e95364ebac9c99c5a7c4"), rtp.salt());
        assertEquals(0, rtp.authenticationKey().length);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void libsrtpAesCmRtp(boolean direct) {
        byte[] plain = hex("800f1234 decafbad cafebabe abababab abababab abababab abababab");
        byte[] wire = hex("800f1234 decafbad cafebabe 4e55dc4c e79978d8 8ca4d215 949d2402 b78d6acc 99ea179b 8dbb");
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        assertProtects(new SrtpSendContext(p, B3_MASTER_KEY, B3_MASTER_SALT), plain, wire, direct, false);
        assertUnprotects(new SrtpReceiveContext(p, B3_MASTER_KEY, B3_MASTER_SALT), wire, plain, direct, false);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void libsrtpAesCmRtcp(boolean direct) {
        byte[] plain = hex("81c8000b cafebabe abababab abababab abababab abababab");
        byte[] wire = hex("81c8000b cafebabe 7128035b e487b9bd bef89041 f977a5a8 80000001 993e08cd 54d6c123 0798");
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpSendContext sender = new SrtpSendContext(p, B3_MASTER_KEY, B3_MASTER_SALT);
        sender.nextRtcpIndex(0xcafebabe, 1);
        assertProtects(sender, plain, wire, direct, true);
        assertUnprotects(new SrtpReceiveContext(p, B3_MASTER_KEY, B3_MASTER_SALT), wire, plain, direct, true);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rfc7714RtpAes128Gcm(boolean direct) {
        byte[] wire = hex("8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f"
                + " 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce");
        assertProtects(gcmSender(SrtpProfile.AEAD_AES_128_GCM), RTP_PLAIN, wire, direct, false);
        assertUnprotects(gcmReceiver(SrtpProfile.AEAD_AES_128_GCM), wire, RTP_PLAIN, direct, false);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rfc7714RtpAes256Gcm(boolean direct) {
        byte[] wire = hex("8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238 9a58e2f3"
                + " b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13");
        assertProtects(gcmSender(SrtpProfile.AEAD_AES_256_GCM), RTP_PLAIN, wire, direct, false);
        assertUnprotects(gcmReceiver(SrtpProfile.AEAD_AES_256_GCM), wire, RTP_PLAIN, direct, false);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rfc7714RtcpAes128Gcm(boolean direct) {
        byte[] wire = hex("81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1"
                + " 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4");
        SrtpSendContext sender = gcmSender(SrtpProfile.AEAD_AES_128_GCM);
        sender.nextRtcpIndex(RTCP_SSRC, RTCP_INDEX);
        assertProtects(sender, RTCP_PLAIN, wire, direct, true);
        assertUnprotects(gcmReceiver(SrtpProfile.AEAD_AES_128_GCM), wire, RTCP_PLAIN, direct, true);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rfc7714RtcpAes256Gcm(boolean direct) {
        byte[] wire = hex("81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50 a2eaa5c1"
                + " 110555be 8415f658 c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c b26ac3be 800005d4");
        SrtpSendContext sender = gcmSender(SrtpProfile.AEAD_AES_256_GCM);
        sender.nextRtcpIndex(RTCP_SSRC, RTCP_INDEX);
        assertProtects(sender, RTCP_PLAIN, wire, direct, true);
        assertUnprotects(gcmReceiver(SrtpProfile.AEAD_AES_256_GCM), wire, RTCP_PLAIN, direct, true);
    }

    /** §17.3: E flag clear, the whole packet authenticated and nothing encrypted. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rfc7714RtcpAes128GcmAuthenticatedOnly(boolean direct) {
        byte[] wire = hex("81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef"
                + " deadbeef deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790 125f62b3 000005d4");
        assertUnprotects(gcmReceiver(SrtpProfile.AEAD_AES_128_GCM), wire, RTCP_PLAIN, direct, true);
    }

    /** §17.4: E flag clear with AES-256. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rfc7714RtcpAes256GcmAuthenticatedOnly(boolean direct) {
        byte[] wire = hex("81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef"
                + " deadbeef deadbeef deadbeef deadbeef 91db4afb feee5a97 8fab4393 ed2615fe 000005d4");
        assertUnprotects(gcmReceiver(SrtpProfile.AEAD_AES_256_GCM), wire, RTCP_PLAIN, direct, true);
    }

    private static SessionKeys gcmKeys(SrtpProfile profile) {
        return new SessionKeys(profile == SrtpProfile.AEAD_AES_256_GCM ? GCM_KEY_256 : GCM_KEY_128, new byte[0],
                GCM_SALT);
    }

    private static SrtpSendContext gcmSender(SrtpProfile profile) {
        return new SrtpSendContext(profile, gcmKeys(profile), gcmKeys(profile));
    }

    private static SrtpReceiveContext gcmReceiver(SrtpProfile profile) {
        return new SrtpReceiveContext(profile, gcmKeys(profile), gcmKeys(profile));
    }

    private static void assertProtects(SrtpSendContext sender, byte[] plain, byte[] wire, boolean direct,
            boolean rtcp) {
        ByteBuf b = buffer(plain, wire.length - plain.length, direct);
        try {
            ByteBuf out = rtcp ? sender.protectRtcp(b) : sender.protectRtp(b);
            assertEquals(b, out);
            assertArrayEquals(wire, bytes(b));
        } finally {
            b.release();
        }
    }

    private static void assertUnprotects(SrtpReceiveContext receiver, byte[] wire, byte[] plain, boolean direct,
            boolean rtcp) {
        ByteBuf b = buffer(wire, 0, direct);
        try {
            ByteBuf out = rtcp ? receiver.unprotectRtcp(b) : receiver.unprotectRtp(b);
            assertEquals(b, out);
            assertArrayEquals(plain, bytes(b));
            assertEquals(1, b.refCnt());
        } finally {
            b.release();
        }
    }
}
