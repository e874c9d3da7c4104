package io.streamkit.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.streamkit.webrtc.srtp.SrtpKeyingMaterial;
import io.streamkit.webrtc.srtp.SrtpProfile;
import io.streamkit.webrtc.srtp.SrtpReceiveContext;
import io.streamkit.webrtc.srtp.SrtpSendContext;
import io.streamkit.webrtc.srtp.SrtpSession;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SFU's per-packet SRTP work: a 1,200-byte SRTP packet from a publisher arrives in a pooled
 * buffer, is unprotected with the publisher's keys, gets its SSRC and sequence number rewritten
 * and is protected again with a subscriber's keys ({@code relay}). The anchors, measured in the
 * same run: {@code copyBaseline} does the same buffer copy and header rewrite without any
 * cryptography, and {@code aesCtrBaseline} is one bare JCE AES-128-CTR pass over the same bytes,
 * the floor for any AES-based encryption on this JVM.
 *
 * <p>The receiver refuses replays, so the publisher's packets are a ring of {@value #RING}
 * distinct packets and the receive context is recreated (key derivation included) each time the
 * ring starts over, which amortizes to well under 1 % of the work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SrtpBenchmark {
    /** RTP packet size before protection. */
    static final int PACKET_SIZE = 1200;
    /** Distinct publisher packets before the receive context is recreated. */
    static final int RING = 4096;
    private static final int PUBLISHER_SSRC = 0x1111_2222;
    private static final int SUBSCRIBER_SSRC = 0x3333_4444;

    /** The relay's state: one publisher-to-SFU and one SFU-to-subscriber session. */
    @State(Scope.Benchmark)
    public static class Relay {
        /** Protection profile of both sessions. */
        @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
        public String profile;

        private byte[][] wire;
        private byte[] remoteKey;
        private byte[] remoteSalt;
        private SrtpProfile srtpProfile;
        private SrtpReceiveContext fromPublisher;
        private SrtpSendContext toSubscriber;
        private ByteBuf buffer;
        private int next;
        private int outSeq;

        /** Protects the ring of publisher packets and keys the SFU's contexts. */
        @Setup
        public void setUp() {
            srtpProfile = SrtpProfile.valueOf(profile);
            byte[] exported = new byte[srtpProfile.keyingMaterialLength()];
            for (int i = 0; i < exported.length; i++) {
                exported[i] = (byte) (i * 13 + 1);
            }
            SrtpKeyingMaterial sfu = SrtpKeyingMaterial.fromDtlsExport(srtpProfile, exported,
                    SrtpKeyingMaterial.Role.SERVER);
            SrtpSession publisher = SrtpSession.create(SrtpKeyingMaterial.fromDtlsExport(srtpProfile, exported,
                    SrtpKeyingMaterial.Role.CLIENT));
            remoteKey = sfu.remoteKey();
            remoteSalt = sfu.remoteSalt();
            toSubscriber = new SrtpSendContext(srtpProfile, sfu.localKey(), sfu.localSalt());
            fromPublisher = new SrtpReceiveContext(srtpProfile, remoteKey, remoteSalt);
            buffer = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
            wire = new byte[RING][];
            for (int seq = 0; seq < RING; seq++) {
                buffer.clear().writeBytes(rtpPacket(seq, PUBLISHER_SSRC));
                publisher.protectRtp(buffer);
                wire[seq] = new byte[buffer.readableBytes()];
                buffer.getBytes(buffer.readerIndex(), wire[seq]);
            }
        }

        /** Releases the pooled buffer. */
        @TearDown
        public void tearDown() {
            buffer.release();
        }

        ByteBuf nextPacket() {
            if (next == RING) {
                next = 0;
                fromPublisher = new SrtpReceiveContext(srtpProfile, remoteKey, remoteSalt);
            }
            return buffer.clear().writeBytes(wire[next++]);
        }
    }

    /** The anchors' state: the same packets, buffer and rewrite, and a bare AES-CTR cipher. */
    @State(Scope.Benchmark)
    public static class Anchor {
        private byte[][] wire;
        private ByteBuf buffer;
        private int next;
        private int outSeq;
        private Cipher ctr;
        private SecretKeySpec key;
        private byte[] iv;
        private byte[] in;
        private byte[] out;

        /** Prepares the packets and the cipher. */
        @Setup
        public void setUp() throws GeneralSecurityException {
            buffer = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
            wire = new byte[RING][];
            for (int seq = 0; seq < RING; seq++) {
                wire[seq] = rtpPacket(seq, PUBLISHER_SSRC);
            }
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
            key = new SecretKeySpec(new byte[16], "AES");
            iv = new byte[16];
            in = rtpPacket(0, PUBLISHER_SSRC);
            out = new byte[PACKET_SIZE];
        }

        /** Releases the pooled buffer. */
        @TearDown
        public void tearDown() {
            buffer.release();
        }
    }

    static byte[] rtpPacket(int seq, int ssrc) {
        byte[] p = new byte[PACKET_SIZE];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) (i * 7);
        }
        return p;
    }

    /**
     * Unprotect, rewrite, protect.
     *
     * @param r the relay state
     * @return the protected packet's length, so that the work cannot be eliminated
     */
    @Benchmark
    public int relay(Relay r) {
        ByteBuf b = r.nextPacket();
        r.fromPublisher.unprotectRtp(b);
        int start = b.readerIndex();
        b.setShort(start + 2, r.outSeq++);
        b.setInt(start + 8, SUBSCRIBER_SSRC);
        r.toSubscriber.protectRtp(b);
        return b.readableBytes();
    }

    /**
     * Anchor: the same copy into the buffer and header rewrite, no cryptography.
     *
     * @param a the anchor state
     * @return the packet length
     */
    @Benchmark
    public int copyBaseline(Anchor a) {
        if (a.next == RING) {
            a.next = 0;
        }
        ByteBuf b = a.buffer.clear().writeBytes(a.wire[a.next++]);
        int start = b.readerIndex();
        b.setShort(start + 2, a.outSeq++);
        b.setInt(start + 8, SUBSCRIBER_SSRC);
        return b.readableBytes() + b.getByte(start + PACKET_SIZE - 1);
    }

    /**
     * Anchor: one JCE AES-128-CTR pass (init and encrypt) over the packet's 1,188 payload bytes.
     *
     * @param a the anchor state
     * @return a byte of the output
     * @throws GeneralSecurityException never
     */
    @Benchmark
    public int aesCtrBaseline(Anchor a) throws GeneralSecurityException {
        a.iv[13] = (byte) a.outSeq++;
        a.ctr.init(Cipher.ENCRYPT_MODE, a.key, new IvParameterSpec(a.iv));
        return a.ctr.doFinal(a.in, 12, PACKET_SIZE - 12, a.out, 0) + a.out[5];
    }
}
