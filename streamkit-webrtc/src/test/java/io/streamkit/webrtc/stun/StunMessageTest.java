package io.streamkit.webrtc.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Known-answer tests from RFC 5769 and the decoder's error messages. */
class StunMessageTest {
    /** The short-term password of the RFC 5769 vectors. */
    static final byte[] RFC5769_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
    static final byte[] RFC5769_TID = hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");

    /** RFC 5769 section 2.1: a Binding request with SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MI and FINGERPRINT. */
    static final byte[] SAMPLE_REQUEST = hex("""
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf""");

    /** RFC 5769 section 2.2: a success response with XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
    static final byte[] SAMPLE_IPV4_RESPONSE = hex("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96""");

    /** RFC 5769 section 2.3: the same over IPv6, [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
    static final byte[] SAMPLE_IPV6_RESPONSE = hex("""
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
            80 28 00 04 c8 fb 0b 4c""");

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    @Test
    void rfc5769SampleRequest() throws Exception {
        StunMessage m = StunMessage.decode(SAMPLE_REQUEST);
        assertEquals(StunClass.REQUEST, m.messageClass());
        assertEquals(StunMessage.METHOD_BINDING, m.method());
        assertArrayEquals(RFC5769_TID, m.transactionId());
        assertEquals(Optional.of("STUN test client"), m.software());
        assertEquals(OptionalLong.of(0x6e0001ffL), m.priority());
        assertEquals(OptionalLong.of(0x932ff9b151263b36L), m.iceControlled());
        assertEquals(OptionalLong.empty(), m.iceControlling());
        assertFalse(m.useCandidate());
        assertEquals(Optional.of("evtj:h6vY"), m.username());
        assertTrue(m.hasMessageIntegrity());
        assertTrue(m.hasFingerprint());
        assertEquals(List.of(), m.unknownComprehensionRequired());
        assertEquals(List.of(StunAttribute.SOFTWARE, StunAttribute.PRIORITY, StunAttribute.ICE_CONTROLLED,
                StunAttribute.USERNAME, StunAttribute.MESSAGE_INTEGRITY, StunAttribute.FINGERPRINT),
                m.attributes().stream().map(StunAttribute::type).toList());

        assertEquals(StunMessage.IntegrityStatus.VALID, m.checkIntegrity(RFC5769_PASSWORD));
        assertEquals(StunMessage.IntegrityStatus.VALID,
                StunMessage.checkIntegrity(SAMPLE_REQUEST, 0, SAMPLE_REQUEST.length, RFC5769_PASSWORD));
        assertEquals(StunMessage.IntegrityStatus.INVALID, m.checkIntegrity("VOkJxbRl1RmTxUk/WvJxBT".getBytes()));
        assertArrayEquals(SAMPLE_REQUEST, m.toByteArray());
    }

    @Test
    void rfc5769Ipv4Response() throws Exception {
        StunMessage m = StunMessage.decode(SAMPLE_IPV4_RESPONSE);
        assertEquals(StunClass.SUCCESS_RESPONSE, m.messageClass());
        assertEquals(StunMessage.METHOD_BINDING, m.method());
        assertEquals(Optional.of("test vector"), m.software());
        assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853)),
                m.xorMappedAddress());
        assertEquals(StunMessage.IntegrityStatus.VALID, m.checkIntegrity(RFC5769_PASSWORD));
        assertArrayEquals(SAMPLE_IPV4_RESPONSE, m.toByteArray());
    }

    @Test
    void rfc5769Ipv6Response() throws Exception {
        StunMessage m = StunMessage.decode(SAMPLE_IPV6_RESPONSE);
        assertEquals(StunClass.SUCCESS_RESPONSE, m.messageClass());
        assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"),
                32853)), m.xorMappedAddress());
        assertEquals(StunMessage.IntegrityStatus.VALID, m.checkIntegrity(RFC5769_PASSWORD));
        ByteBuf out = m.encode(ByteBufAllocator.DEFAULT);
        try {
            assertEquals(Unpooled.wrappedBuffer(SAMPLE_IPV6_RESPONSE), out);
        } finally {
            out.release();
        }
    }

    /** The builder's XOR-MAPPED-ADDRESS of the RFC's address and transaction id gives the RFC's bytes. */
    @Test
    void builderMatchesRfc5769AddressEncoding() throws Exception {
        StunMessage v4 = StunMessage.builder(StunClass.SUCCESS_RESPONSE, StunMessage.METHOD_BINDING)
                .transactionId(RFC5769_TID)
                .xorMappedAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853)).build();
        assertArrayEquals(hex("00 01 a1 47 e1 12 a6 43"), v4.attributes().get(0).value());
        StunMessage v6 = StunMessage.builder(StunClass.SUCCESS_RESPONSE, StunMessage.METHOD_BINDING)
                .transactionId(RFC5769_TID)
                .xorMappedAddress(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"),
                        32853))
                .build();
        assertArrayEquals(hex("00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9"),
                v6.attributes().get(0).value());
    }

    /** Rebuilding the sample request from its parts gives its MESSAGE-INTEGRITY and FINGERPRINT. */
    @Test
    void builderReproducesRfc5769Request() throws Exception {
        StunMessage sample = StunMessage.decode(SAMPLE_REQUEST);
        StunMessage.Builder b = StunMessage.builder(StunClass.REQUEST, StunMessage.METHOD_BINDING)
                .transactionId(RFC5769_TID);
        for (StunAttribute a : sample.attributes()) {
            if (a.type() != StunAttribute.MESSAGE_INTEGRITY && a.type() != StunAttribute.FINGERPRINT) {
                b.attribute(a);
            }
        }
        assertArrayEquals(SAMPLE_REQUEST, b.messageIntegrity(RFC5769_PASSWORD).fingerprint().encode());
    }

    @Test
    void integritySha256IsVerifiedWhenPresent() throws Exception {
        byte[] key = "a-password-of-22-chars".getBytes(StandardCharsets.UTF_8);
        StunMessage m = StunMessage.builder(StunClass.REQUEST, StunMessage.METHOD_BINDING).username("abcd:efgh")
                .messageIntegrity(key).messageIntegritySha256(key).fingerprint().build();
        assertTrue(m.hasMessageIntegritySha256());
        assertEquals(StunMessage.IntegrityStatus.VALID, m.checkIntegrity(key));
        // SHA-256 alone
        StunMessage only256 = StunMessage.builder(StunClass.REQUEST, StunMessage.METHOD_BINDING)
                .messageIntegritySha256(key).build();
        assertEquals(StunMessage.IntegrityStatus.VALID, only256.checkIntegrity(key));
        assertEquals(StunMessage.IntegrityStatus.INVALID, only256.checkIntegrity("other".getBytes()));
        // a tampered SHA-256 value fails even though the SHA-1 one is right (FINGERPRINT left out)
        byte[] wire = StunMessage.builder(StunClass.REQUEST, StunMessage.METHOD_BINDING).username("abcd:efgh")
                .messageIntegrity(key).messageIntegritySha256(key).encode();
        wire[wire.length - 1] ^= 1;
        assertEquals(StunMessage.IntegrityStatus.INVALID, StunMessage.decode(wire).checkIntegrity(key));
        assertEquals(StunMessage.IntegrityStatus.ABSENT,
                StunMessage.builder(StunClass.REQUEST, 1).build().checkIntegrity(key));
    }

    @Test
    void attributesAfterMessageIntegrityAreIgnoredByAccessors() throws Exception {
        byte[] key = "k".getBytes();
        byte[] signed = StunMessage.builder(StunClass.REQUEST, 1).username("a:b").messageIntegrity(key).encode();
        // append USE-CANDIDATE after MESSAGE-INTEGRITY, as an attacker could without knowing the key
        byte[] tampered = new byte[signed.length + 4];
        System.arraycopy(signed, 0, tampered, 0, signed.length);
        StunMessage.put16(tampered, signed.length, StunAttribute.USE_CANDIDATE);
        StunMessage.put16(tampered, 2, tampered.length - 20);
        StunMessage m = StunMessage.decode(tampered);
        assertEquals(3, m.attributes().size());
        assertFalse(m.useCandidate());
        assertEquals(StunMessage.IntegrityStatus.VALID, m.checkIntegrity(key));
    }

    @Test
    void errorCodeAndUnknownAttributes() throws Exception {
        StunMessage m = StunMessage.builder(StunClass.ERROR_RESPONSE, 1)
                .errorCode(new StunErrorCode(420, "Unknown Attribute")).unknownAttributes(List.of(0x7777, 0x0042))
                .attribute(0x7000, new byte[]{1, 2, 3}).attribute(0xC057, new byte[]{0, 1, 0, 0}).build();
        StunMessage d = StunMessage.decode(m.toByteArray());
        assertEquals(Optional.of(new StunErrorCode(420, "Unknown Attribute")), d.errorCode());
        assertEquals(List.of(0x7777, 0x0042), d.unknownAttributes());
        assertEquals(List.of(0x7000), d.unknownComprehensionRequired());
        assertEquals(m, d);
        assertEquals(StunMessage.IntegrityStatus.ABSENT, d.checkIntegrity("x".getBytes()));
    }

    @Test
    void mappedAddressAndClassesAndMethods() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("::1"), 9);
        for (StunClass c : StunClass.values()) {
            for (int method : new int[]{0, 1, 0x3, 0x80, 0xABC, 0xFFF}) {
                StunMessage m = StunMessage.builder(c, method).mappedAddress(a).build();
                StunMessage d = StunMessage.decode(m.toByteArray());
                assertEquals(c, d.messageClass());
                assertEquals(method, d.method());
                assertEquals(Optional.of(a), d.mappedAddress());
            }
        }
        // RFC 8489: a Binding success response has type 0x0101, an error response 0x0111
        assertEquals(0x0101, StunMessage.encodeType(StunClass.SUCCESS_RESPONSE, 1));
        assertEquals(0x0111, StunMessage.encodeType(StunClass.ERROR_RESPONSE, 1));
        assertEquals(0x0011, StunMessage.encodeType(StunClass.INDICATION, 1));
    }

    // --- malformed input -------------------------------------------------------------------------

    private static String failure(byte[] bytes) {
        return assertThrows(StunException.class, () -> StunMessage.decode(bytes)).getMessage();
    }

    private static byte[] sample() {
        return SAMPLE_REQUEST.clone();
    }

    @Test
    void truncatedHeader() {
        assertEquals("truncated STUN message: 19 bytes, the header alone needs 20",
                failure(java.util.Arrays.copyOf(SAMPLE_REQUEST, 19)));
    }

    @Test
    void truncatedBody() {
        assertEquals("truncated STUN message: the header declares 88 bytes of attributes but only 84 follow",
                failure(java.util.Arrays.copyOf(SAMPLE_REQUEST, SAMPLE_REQUEST.length - 4)));
    }

    @Test
    void trailingBytes() {
        assertEquals("4 bytes follow the 108-byte STUN message in the datagram",
                failure(java.util.Arrays.copyOf(SAMPLE_REQUEST, SAMPLE_REQUEST.length + 4)));
    }

    @Test
    void badMagicCookie() {
        byte[] b = sample();
        b[4] = 0x21;
        b[5] = 0x13;
        assertEquals("bad magic cookie 0x2113a442, expected 0x2112a442", failure(b));
    }

    @Test
    void leadingBitsSet() {
        byte[] b = sample();
        b[0] = (byte) 0x80;
        assertEquals("not a STUN message: the two leading bits of the message type 0x8001 are not zero", failure(b));
    }

    @Test
    void lengthNotMultipleOfFour() {
        byte[] b = sample();
        b[3] = 0x57;
        assertEquals("STUN message length 87 is not a multiple of 4", failure(b));
    }

    @Test
    void attributeOverrunningTheMessage() {
        byte[] b = sample();
        b[20 + 3] = 0x60; // SOFTWARE declares 96 bytes
        assertEquals("attribute SOFTWARE at offset 20 declares 96 bytes (96 padded) but only 84 remain in the message",
                failure(b));
    }

    @Test
    void badFingerprint() {
        byte[] b = sample();
        b[b.length - 1] ^= 1;
        assertEquals("FINGERPRINT mismatch: the message carries 0xe57a3bce, its bytes give 0xe57a3bcf", failure(b));
    }

    @Test
    void tamperedBodyFailsFingerprint() {
        byte[] b = sample();
        b[30] ^= 0x20; // inside SOFTWARE
        assertTrue(failure(b).startsWith("FINGERPRINT mismatch"));
    }

    @Test
    void attributeAfterFingerprint() {
        byte[] b = java.util.Arrays.copyOf(SAMPLE_REQUEST, SAMPLE_REQUEST.length + 4);
        StunMessage.put16(b, 2, b.length - 20);
        StunMessage.put16(b, SAMPLE_REQUEST.length, 0x8055);
        // a FINGERPRINT that matches the new length, so that only its position is wrong
        StunMessage.put32(b, SAMPLE_REQUEST.length - 4, StunCrypto.fingerprint(b, 0, SAMPLE_REQUEST.length - 8));
        assertEquals("attribute 0x8055 at offset 108 follows FINGERPRINT, which must be the last attribute",
                failure(b));
    }

    @Test
    void badKnownAttributeValues() {
        assertEquals("PRIORITY at offset 20 has 2 bytes, expected 4", failure(withAttribute(0x0024, new byte[2])));
        assertEquals("USE-CANDIDATE at offset 20 has 4 bytes, expected 0", failure(withAttribute(0x0025, new byte[4])));
        assertEquals(
                "XOR-MAPPED-ADDRESS at offset 20: 8 bytes with address family 2 is neither IPv4 (family 1, 8 bytes)"
                        + " nor IPv6 (family 2, 20 bytes)",
                failure(withAttribute(0x0020, new byte[]{0, 2, 0, 0, 0, 0, 0, 0})));
        assertEquals("ERROR-CODE at offset 20: class 2 and number 0 do not make a code from 300 to 699",
                failure(withAttribute(0x0009, new byte[]{0, 0, 2, 0})));
        assertEquals("MESSAGE-INTEGRITY at offset 20 has 16 bytes, expected 20",
                failure(withAttribute(0x0008, new byte[16])));
        assertEquals("USERNAME at offset 20 has 600 bytes, more than the 513 allowed",
                failure(withAttribute(0x0006, new byte[600])));
    }

    @Test
    void limits() {
        assertEquals("STUN message of 1504 bytes exceeds the limit of 1500",
                failure(withAttribute(0x8000, new byte[1480])));
        byte[] many = new byte[20 + 65 * 4];
        StunMessage.put16(many, 2, 65 * 4);
        StunMessage.put32(many, 4, StunMessage.MAGIC_COOKIE);
        for (int i = 0; i < 65; i++) {
            StunMessage.put16(many, 20 + 4 * i, 0x8100 + i);
        }
        assertEquals("STUN message has more than 64 attributes", failure(many));
        StunMessage.Builder b = StunMessage.builder(StunClass.REQUEST, 1);
        for (int i = 0; i < 64; i++) {
            b.attribute(0x8000, new byte[0]);
        }
        b.fingerprint();
        assertThrows(IllegalStateException.class, b::encode);
        assertThrows(IllegalStateException.class,
                () -> StunMessage.builder(StunClass.REQUEST, 1).attribute(0x8000, new byte[1477]).encode());
        assertThrows(IllegalArgumentException.class,
                () -> StunMessage.builder(StunClass.REQUEST, 1).attribute(StunAttribute.FINGERPRINT, new byte[4]));
        assertThrows(IllegalArgumentException.class,
                () -> StunMessage.builder(StunClass.REQUEST, 1).attribute(StunAttribute.PRIORITY, new byte[3]));
    }

    private static byte[] withAttribute(int type, byte[] value) {
        int padded = (value.length + 3) & ~3;
        byte[] b = new byte[24 + padded];
        StunMessage.put16(b, 0, 0x0001);
        StunMessage.put16(b, 2, 4 + padded);
        StunMessage.put32(b, 4, StunMessage.MAGIC_COOKIE);
        StunMessage.put16(b, 20, type);
        StunMessage.put16(b, 22, value.length);
        System.arraycopy(value, 0, b, 24, value.length);
        return b;
    }

    // --- peeking ---------------------------------------------------------------------------------

    @Test
    void peekUsernameAndLocalUfrag() {
        ByteBuf buf = Unpooled.buffer().writeZero(3).writeBytes(SAMPLE_REQUEST);
        try {
            buf.readerIndex(3);
            assertEquals(Optional.of("evtj:h6vY"), StunMessage.peekUsername(buf));
            assertEquals(Optional.of("evtj"), StunMessage.localUfragOf(buf));
            assertEquals(3, buf.readerIndex());
            assertEquals(SAMPLE_REQUEST.length, buf.readableBytes());
        } finally {
            buf.release();
        }
        assertPeek(Optional.empty(), Optional.empty(), SAMPLE_IPV4_RESPONSE);
        assertPeek(Optional.empty(), Optional.empty(), java.util.Arrays.copyOf(SAMPLE_REQUEST, 60));
        byte[] noColon = StunMessage.builder(StunClass.REQUEST, 1).username("nocolon").build().toByteArray();
        assertPeek(Optional.of("nocolon"), Optional.empty(), noColon);
        assertPeek(Optional.empty(), Optional.empty(), new byte[0]);
    }

    private static void assertPeek(Optional<String> username, Optional<String> ufrag, byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            assertEquals(username, StunMessage.peekUsername(buf));
            assertEquals(ufrag, StunMessage.localUfragOf(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void decodeFromByteBufLeavesItAlone() throws Exception {
        ByteBuf buf = Unpooled.wrappedBuffer(SAMPLE_REQUEST);
        try {
            StunMessage m = StunMessage.decode(buf);
            assertEquals(0, buf.readerIndex());
            assertEquals(1, buf.refCnt());
            assertEquals(StunMessage.decode(SAMPLE_REQUEST), m);
        } finally {
            buf.release();
        }
    }
}
