package io.streamkit.webrtc.srtp;

import static io.streamkit.webrtc.srtp.SrtpTestSupport.buffer;
import static io.streamkit.webrtc.srtp.SrtpTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CTRModeCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Properties: protect then unprotect is the identity for any RTP header (CSRCs, header
 * extension) and payload, on every profile and buffer kind; random and truncated input only ever
 * yields {@link SrtpException} and leaves the buffer's reference count alone; and the key stream,
 * HMAC and GCM output agree with independent implementations (BouncyCastle's low-level AES
 * engines, the JDK's {@link Mac}).
 */
class SrtpProperties {

    /** An RTP packet: header with CSRCs and maybe an extension, then a payload. */
    @Provide
    Arbitrary<byte[]> rtpPackets() {
        return Combinators.combine(Arbitraries.integers().between(0, 15), Arbitraries.integers().between(-1, 12),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(1400), Arbitraries.integers(), Arbitraries
                        .integers().between(0, 0xffff),
                Arbitraries.bytes()).as(
                        (csrcs, extensionWords, payload, ssrc,
                                seq, pt) -> {
                            int extension = extensionWords < 0 ? 0 : 4 + 4 * extensionWords;
                            byte[] p = new byte[12 + 4 * csrcs + extension + payload.length];
                            p[0] = (byte) (0x80 | csrcs | (extensionWords < 0 ? 0 : 0x10));
                            p[1] = pt;
                            p[2] = (byte) (seq >>> 8);
                            p[3] = (byte) (int) seq;
                            PacketCipher.putInt(p, 8, ssrc);
                            for (int i = 12; i < 12 + 4 * csrcs; i++) {
                                p[i] = (byte) (i * 31);
                            }
                            int at = 12 + 4 * csrcs;
                            if (extension > 0) {
                                p[at] = (byte) 0xbe;
                                p[at + 1] = (byte) 0xde;
                                p[at + 3] = (byte) (int) extensionWords;
                                for (int i = at + 4; i < at + extension; i++) {
                                    p[i] = (byte) (i * 17);
                                }
                            }
                            System.arraycopy(payload, 0, p, at + extension, payload.length);
                            return p;
                        });
    }

    @Property(tries = 300)
    void rtpRoundTrips(@ForAll("rtpPackets") byte[] packet, @ForAll SrtpProfile profile, @ForAll boolean direct) {
        SrtpSession[] s = SrtpSessionTest.pair(profile);
        ByteBuf b = buffer(packet, direct ? profile.rtpTagLength() : 0, direct);
        try {
            s[0].protectRtp(b);
            assertEquals(packet.length + profile.rtpTagLength(), b.readableBytes());
            s[1].unprotectRtp(b);
            assertArrayEquals(packet, bytes(b));
            assertEquals(1, b.refCnt());
        } finally {
            b.release();
        }
    }

    @Property(tries = 200)
    void rtcpRoundTrips(@ForAll @Size(min = 8, max = 1200) byte[] body, @ForAll SrtpProfile profile,
            @ForAll boolean direct) {
        byte[] packet = body.clone();
        packet[0] = (byte) (0x80 | (packet[0] & 0x3f));
        SrtpSession[] s = SrtpSessionTest.pair(profile);
        ByteBuf b = buffer(packet, 0, direct);
        try {
            s[0].protectRtcp(b);
            assertEquals(packet.length + profile.rtcpOverhead(), b.readableBytes());
            s[1].unprotectRtcp(b);
            assertArrayEquals(packet, bytes(b));
        } finally {
            b.release();
        }
    }

    /** Random bytes, unprotected as RTP and RTCP: only SrtpException, and the buffer stays owned by the caller. */
    @Property(tries = 500)
    void randomBytesOnlyThrowSrtpException(@ForAll @Size(max = 300) byte[] junk, @ForAll SrtpProfile profile,
            @ForAll boolean direct, @ForAll boolean versionTwo) {
        byte[] packet = junk.clone();
        if (versionTwo && packet.length > 0) {
            packet[0] = (byte) (0x80 | (packet[0] & 0x3f));
        }
        SrtpSession receiver = SrtpSessionTest.pair(profile)[1];
        for (boolean rtcp : new boolean[]{false, true}) {
            ByteBuf b = buffer(packet, 0, direct);
            try {
                if (rtcp) {
                    receiver.unprotectRtcp(b);
                } else {
                    receiver.unprotectRtp(b);
                }
                throw new AssertionError("random bytes were accepted");
            } catch (SrtpException expected) {
                assertArrayEquals(packet, bytes(b));
                assertEquals(1, b.refCnt());
            } finally {
                b.release();
            }
        }
    }

    /** Every truncation and every single-byte change of a genuine packet is refused with SrtpException. */
    @Property(tries = 100)
    void truncatedOrDamagedPacketsAreRefused(@ForAll("rtpPackets") byte[] packet, @ForAll SrtpProfile profile,
            @ForAll @IntRange(min = 0, max = 2000) int position, @ForAll byte flip) {
        SrtpSession[] s = SrtpSessionTest.pair(profile);
        byte[] wire = SrtpSessionTest.apply(s[0]::protectRtp, packet);
        int cut = position % wire.length;
        expectRefused(s[1], Arrays.copyOf(wire, cut));
        if (flip != 0) {
            byte[] damaged = wire.clone();
            damaged[cut] ^= flip;
            expectRefused(s[1], damaged);
        }
        assertArrayEquals(packet, SrtpSessionTest.apply(s[1]::unprotectRtp, wire));
    }

    private static void expectRefused(SrtpSession receiver, byte[] wire) {
        ByteBuf b = buffer(wire, 0, true);
        try {
            receiver.unprotectRtp(b);
            throw new AssertionError("a damaged packet was accepted");
        } catch (SrtpException expected) {
            assertArrayEquals(wire, bytes(b));
        } finally {
            b.release();
        }
    }

    @Property(tries = 200)
    void keyStreamMatchesBouncyCastleCounterMode(@ForAll @Size(16) byte[] key, @ForAll @Size(14) byte[] salt,
            @ForAll int ssrc, @ForAll @IntRange(min = 0, max = 0x7fff_ffff) int roc,
            @ForAll @IntRange(max = 0xffff) int seq,
            @ForAll @Size(max = 2000) byte[] data) {
        long index = ((long) roc << 16) | seq;
        byte[] ours = data.clone();
        new AesCmCipher(new SessionKeys(key, new byte[20], salt), 10).crypt(ours, 0, ours.length, ssrc, index);
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        CTRModeCipher ctr = SICBlockCipher.newInstance(AESEngine.newInstance());
        ctr.init(true, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] theirs = new byte[data.length];
        ctr.processBytes(data, 0, data.length, theirs, 0);
        assertArrayEquals(theirs, ours);
    }

    @Property(tries = 200)
    void gcmMatchesBouncyCastle(@ForAll("rtpPackets") byte[] packet, @ForAll boolean aes256,
            @ForAll @Size(12) byte[] salt,
            @ForAll int roc) throws Exception {
        byte[] key = new byte[aes256 ? 32 : 16];
        Arrays.fill(key, (byte) 0x5a);
        SrtpProfile profile = aes256 ? SrtpProfile.AEAD_AES_256_GCM : SrtpProfile.AEAD_AES_128_GCM;
        SessionKeys keys = new SessionKeys(key, new byte[0], salt);
        int ssrc = ((packet[8] & 0xff) << 24) | ((packet[9] & 0xff) << 16) | ((packet[10] & 0xff) << 8) | (packet[11]
                & 0xff);
        int seq = ((packet[2] & 0xff) << 8) | (packet[3] & 0xff);
        long index = ((roc & 0xffff_ffffL) << 16) | seq;
        ByteBuf wrapped = Unpooled.wrappedBuffer(packet);
        int headerLength = PacketHeaders.rtpHeaderLength(wrapped, 0, packet.length);
        wrapped.release();
        byte[] ours = Arrays.copyOf(packet, packet.length + 16);
        PacketCipher.create(profile, keys, 16).protectRtp(ours, 0, headerLength, packet.length, ssrc, index);

        byte[] iv = new byte[12];
        for (int i = 0; i < 4; i++) {
            iv[2 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[6 + i] = (byte) (index >>> (40 - 8 * i));
        }
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(true, new AEADParameters(new KeyParameter(key), 128, iv, Arrays.copyOf(packet, headerLength)));
        byte[] theirs = Arrays.copyOf(packet, packet.length + 16);
        int n = gcm.processBytes(packet, headerLength, packet.length - headerLength, theirs, headerLength);
        gcm.doFinal(theirs, headerLength + n);
        assertArrayEquals(theirs, ours);
    }

    @Property(tries = 200)
    void hmacMatchesTheJdkMac(@ForAll @Size(max = 100) byte[] key, @ForAll @Size(max = 3000) byte[] message,
            @ForAll int trailer) throws Exception {
        if (key.length == 0) {
            key = new byte[]{1};
        }
        HmacSha1 ours = new HmacSha1(key);
        byte[] out = new byte[20];
        for (int round = 0; round < 2; round++) {
            ours.update(message, 0, message.length);
            ours.updateInt(trailer);
            ours.finish(out, 0);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(message);
            mac.update(new byte[]{(byte) (trailer >>> 24), (byte) (trailer >>> 16), (byte) (trailer >>> 8),
                    (byte) trailer});
            assertArrayEquals(mac.doFinal(), out);
        }
    }
}
