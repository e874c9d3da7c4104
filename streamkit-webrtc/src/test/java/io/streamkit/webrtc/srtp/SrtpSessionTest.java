package io.streamkit.webrtc.srtp;

import static io.streamkit.webrtc.srtp.SrtpTestSupport.buffer;
import static io.streamkit.webrtc.srtp.SrtpTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of sessions: keying, rollover, reordering, replay, tampering, buffer handling, limits. */
class SrtpSessionTest {
    private static final int SSRC = 0x1234_5678;

    /** A client and a server session keyed from the same export, which must interoperate. */
    static SrtpSession[] pair(SrtpProfile profile) {
        byte[] exported = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < exported.length; i++) {
            exported[i] = (byte) (i * 7 + 3);
        }
        return new SrtpSession[]{SrtpSession.create(SrtpKeyingMaterial.fromDtlsExport(profile, exported,
                SrtpKeyingMaterial.Role.CLIENT)), SrtpSession.create(
                        SrtpKeyingMaterial.fromDtlsExport(profile,
                                exported, SrtpKeyingMaterial.Role.SERVER))};
    }

    static byte[] rtp(int seq, int ssrc, int payloadLength) {
        byte[] p = new byte[12 + payloadLength];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[7] = 42;
        PacketCipher.putInt(p, 8, ssrc);
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) (seq + i);
        }
        return p;
    }

    static byte[] rtcp(int ssrc) {
        byte[] p = new byte[28];
        p[0] = (byte) 0x80;
        p[1] = (byte) 200;
        p[3] = 6;
        PacketCipher.putInt(p, 4, ssrc);
        for (int i = 8; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    static byte[] apply(Function<ByteBuf, ByteBuf> op, byte[] packet) {
        ByteBuf b = buffer(packet, 32, false);
        try {
            op.apply(b);
            assertEquals(1, b.refCnt());
            return bytes(b);
        } finally {
            b.release();
        }
    }

    static SrtpException refused(Function<ByteBuf, ByteBuf> op, byte[] packet) {
        ByteBuf b = buffer(packet, 32, true);
        try {
            SrtpException e = assertThrows(SrtpException.class, () -> op.apply(b));
            assertArrayEquals(packet, bytes(b), "a refused packet's buffer is unchanged");
            assertEquals(1, b.refCnt());
            return e;
        } finally {
            b.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void clientAndServerInteroperateInBothDirections(SrtpProfile profile) {
        SrtpSession[] s = pair(profile);
        byte[] up = rtp(1, SSRC, 100);
        byte[] wire = apply(s[0]::protectRtp, up);
        assertEquals(up.length + profile.rtpTagLength(), wire.length);
        assertArrayEquals(up, apply(s[1]::unprotectRtp, wire));
        byte[] down = rtp(7, 99, 10);
        assertArrayEquals(down, apply(s[0]::unprotectRtp, apply(s[1]::protectRtp, down)));
        byte[] report = rtcp(SSRC);
        byte[] rtcpWire = apply(s[1]::protectRtcp, report);
        assertEquals(report.length + profile.rtcpOverhead(), rtcpWire.length);
        assertArrayEquals(report, apply(s[0]::unprotectRtcp, rtcpWire));
        // a session does not accept its own packets: the directions have different keys
        assertEquals(SrtpException.Reason.AUTHENTICATION_FAILED, refused(s[0]::unprotectRtp, apply(s[0]::protectRtp,
                rtp(2, SSRC, 100))).reason());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rolloverCounterAdvancesAcrossTheSequenceWrap(SrtpProfile profile) {
        SrtpSession[] s = pair(profile);
        List<byte[]> wire = new ArrayList<>();
        int[] seqs = {65533, 65534, 65535, 0, 1, 2};
        for (int seq : seqs) {
            wire.add(apply(s[0]::protectRtp, rtp(seq, SSRC, 40)));
        }
        // deliver 65533, then the wrap, then the stragglers 65535 and 65534 late
        for (int i : new int[]{0, 3, 4, 2, 5, 1}) {
            assertArrayEquals(rtp(seqs[i], SSRC, 40), apply(s[1]::unprotectRtp, wire.get(i)));
        }
        assertEquals((1L << 16) | 2, s[1].receiver().highestRtpIndex(SSRC));
        // seq 0 after the wrap is index 65536, so its ciphertext differs from seq 0 with ROC 0
        SrtpSession[] fresh = pair(profile);
        assertFalse(Arrays.equals(apply(fresh[0]::protectRtp, rtp(0, SSRC, 40)), wire.get(3)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedPacketsAreRefusedAndLateOnesAcceptedOnce(SrtpProfile profile) {
        SrtpSession[] s = pair(profile);
        List<byte[]> wire = new ArrayList<>();
        for (int seq = 0; seq < 200; seq++) {
            wire.add(apply(s[0]::protectRtp, rtp(seq, SSRC, 20)));
        }
        for (int seq = 0; seq < 200; seq++) {
            if (seq != 150) {
                apply(s[1]::unprotectRtp, wire.get(seq));
            }
        }
        assertEquals(SrtpException.Reason.REPLAYED, refused(s[1]::unprotectRtp, wire.get(199)).reason());
        assertEquals(SrtpException.Reason.REPLAYED, refused(s[1]::unprotectRtp, wire.get(100)).reason());
        assertEquals(SrtpException.Reason.TOO_OLD, refused(s[1]::unprotectRtp, wire.get(50)).reason());
        // 150 is late but inside the window: accepted once, then a replay
        assertArrayEquals(rtp(150, SSRC, 20), apply(s[1]::unprotectRtp, wire.get(150)));
        assertEquals(SrtpException.Reason.REPLAYED, refused(s[1]::unprotectRtp, wire.get(150)).reason());
        // the sender refuses to reuse an index
        assertEquals(SrtpException.Reason.REPLAYED, refused(s[0]::protectRtp, rtp(199, SSRC, 20)).reason());
        assertEquals(SrtpException.Reason.TOO_OLD, refused(s[0]::protectRtp, rtp(3, SSRC, 20)).reason());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpReplayIsRefused(SrtpProfile profile) {
        SrtpSession[] s = pair(profile);
        byte[] first = apply(s[0]::protectRtcp, rtcp(SSRC));
        byte[] second = apply(s[0]::protectRtcp, rtcp(SSRC));
        assertArrayEquals(rtcp(SSRC), apply(s[1]::unprotectRtcp, second));
        assertArrayEquals(rtcp(SSRC), apply(s[1]::unprotectRtcp, first));
        assertEquals(SrtpException.Reason.REPLAYED, refused(s[1]::unprotectRtcp, first).reason());
        assertEquals(SrtpException.Reason.REPLAYED, refused(s[1]::unprotectRtcp, second).reason());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperingWithAnyByteFailsAuthentication(SrtpProfile profile) {
        SrtpSession[] s = pair(profile);
        byte[] rtpWire = apply(s[0]::protectRtp, rtp(5, SSRC, 30));
        byte[] rtcpWire = apply(s[0]::protectRtcp, rtcp(SSRC));
        for (byte[] wire : List.of(rtpWire, rtcpWire)) {
            boolean isRtp = wire == rtpWire;
            for (int i = 0; i < wire.length; i++) {
                for (int bit : new int[]{0x01, 0x80}) {
                    byte[] bad = wire.clone();
                    bad[i] ^= (byte) bit;
                    SrtpSession receiver = pair(profile)[1];
                    SrtpException e = refused(isRtp ? receiver::unprotectRtp : receiver::unprotectRtcp, bad);
                    if (i == 0) {
                        assertTrue(e.reason() == SrtpException.Reason.AUTHENTICATION_FAILED || e
                                .reason() == SrtpException.Reason.MALFORMED, e.getMessage());
                    } else {
                        assertEquals(SrtpException.Reason.AUTHENTICATION_FAILED, e.reason(), "byte " + i);
                    }
                }
            }
            // the untouched packet still goes through afterwards
            SrtpSession receiver = s[1];
            assertFalse(apply(isRtp ? receiver::unprotectRtp : receiver::unprotectRtcp, wire).length == 0);
        }
    }

    @Test
    void shortAndMalformedPacketsAreRefusedWithTheirReason() {
        SrtpSession[] s = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertEquals(SrtpException.Reason.TOO_SHORT, refused(s[1]::unprotectRtp, new byte[21]).reason());
        assertEquals(SrtpException.Reason.TOO_SHORT, refused(s[0]::protectRtp, new byte[11]).reason());
        assertEquals(SrtpException.Reason.TOO_SHORT, refused(s[1]::unprotectRtcp, new byte[21]).reason());
        assertEquals(SrtpException.Reason.TOO_SHORT, refused(s[0]::protectRtcp, new byte[7]).reason());
        byte[] v1 = rtp(1, SSRC, 20);
        v1[0] = 0x40;
        assertEquals(SrtpException.Reason.MALFORMED, refused(s[0]::protectRtp, v1).reason());
        byte[] csrcs = rtp(1, SSRC, 20);
        csrcs[0] = (byte) 0x8f;
        assertEquals(SrtpException.Reason.MALFORMED, refused(s[0]::protectRtp, csrcs).reason());
        byte[] extension = rtp(1, SSRC, 20);
        extension[0] = (byte) 0x90;
        extension[14] = 0x10;
        assertEquals(SrtpException.Reason.MALFORMED, refused(s[0]::protectRtp, extension).reason());
        assertEquals(SrtpException.Reason.UNKNOWN_PROFILE, assertThrows(SrtpException.class, () -> SrtpProfile
                .fromId(0x0005)).reason());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.fromId(7));
        assertEquals(SrtpException.Reason.INVALID_KEYING_MATERIAL, assertThrows(SrtpException.class,
                () -> SrtpKeyingMaterial.fromDtlsExport(SrtpProfile.AEAD_AES_128_GCM, new byte[60],
                        SrtpKeyingMaterial.Role.SERVER))
                .reason());
    }

    @Test
    void keyingMaterialSplitsByRole() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        byte[] exported = new byte[60];
        for (int i = 0; i < 60; i++) {
            exported[i] = (byte) i;
        }
        SrtpKeyingMaterial server = SrtpKeyingMaterial.fromDtlsExport(p, exported, SrtpKeyingMaterial.Role.SERVER);
        assertEquals(16, server.localKey()[0]);
        assertEquals(0, server.remoteKey()[0]);
        assertEquals(46, server.localSalt()[0]);
        assertEquals(32, server.remoteSalt()[0]);
        SrtpKeyingMaterial client = SrtpKeyingMaterial.fromDtlsExport(p, exported, SrtpKeyingMaterial.Role.CLIENT);
        assertArrayEquals(server.localKey(), client.remoteKey());
        assertArrayEquals(server.remoteSalt(), client.localSalt());
        assertTrue(server.toString().endsWith("keys redacted]"), server.toString());
    }

    @Test
    void protectionGrowsTheBufferOrRefusesWhenItCannot() {
        SrtpSession[] s = pair(SrtpProfile.AEAD_AES_128_GCM);
        byte[] plain = rtp(1, SSRC, 50);
        ByteBuf tight = Unpooled.buffer(plain.length).writeBytes(plain);
        try {
            s[0].protectRtp(tight);
            assertEquals(plain.length + 16, tight.readableBytes());
        } finally {
            tight.release();
        }
        byte[] next = rtp(2, SSRC, 50);
        ByteBuf fixed = Unpooled.buffer(next.length, next.length).writeBytes(next);
        try {
            SrtpException e = assertThrows(SrtpException.class, () -> s[0].protectRtp(fixed));
            assertEquals(SrtpException.Reason.BUFFER_TOO_SMALL, e.reason());
            assertArrayEquals(next, bytes(fixed));
        } finally {
            fixed.release();
        }
        ByteBuf readOnly = Unpooled.wrappedBuffer(plain).asReadOnly();
        try {
            assertThrows(IllegalArgumentException.class, () -> s[0].protectRtp(readOnly));
        } finally {
            readOnly.release();
        }
    }

    @Test
    void aPacketInsideALargerBufferIsHandledAtItsReaderIndex() {
        SrtpSession[] s = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        byte[] plain = rtp(9, SSRC, 64);
        for (boolean direct : new boolean[]{false, true}) {
            ByteBuf b = direct ? Unpooled.directBuffer(256) : Unpooled.buffer(256);
            try {
                b.writeBytes(new byte[17]).readerIndex(17);
                b.writeBytes(plain);
                s[0].sender().protectRtp(b);
                assertEquals(17, b.readerIndex());
                s[1].receiver().unprotectRtp(b);
                assertArrayEquals(plain, bytes(b));
            } finally {
                b.release();
            }
            s = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        }
    }

    @Test
    void theNumberOfTrackedSsrcsIsBounded() {
        SrtpSession[] s = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_32);
        for (int ssrc = 0; ssrc < StreamState.MAX_STREAMS; ssrc++) {
            apply(s[1]::unprotectRtp, apply(s[0]::protectRtp, rtp(1, ssrc, 0)));
        }
        assertEquals(StreamState.MAX_STREAMS, s[1].receiver().streamCount());
        assertEquals(SrtpException.Reason.TOO_MANY_STREAMS, refused(s[0]::protectRtp, rtp(1, -1, 0)).reason());
        SrtpSession other = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_32)[0];
        byte[] wire = apply(other::protectRtp, rtp(1, -1, 0));
        assertEquals(SrtpException.Reason.TOO_MANY_STREAMS, refused(s[1]::unprotectRtp, wire).reason());
        s[1].receiver().removeSsrc(0);
        assertArrayEquals(rtp(1, -1, 0), apply(s[1]::unprotectRtp, wire));
    }
}
