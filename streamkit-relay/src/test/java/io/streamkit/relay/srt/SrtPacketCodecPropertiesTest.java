package io.streamkit.relay.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.api.CodecException;
import io.streamkit.relay.srt.SrtControlPacket.Ack;
import io.streamkit.relay.srt.SrtControlPacket.AckAck;
import io.streamkit.relay.srt.SrtControlPacket.AckKind;
import io.streamkit.relay.srt.SrtControlPacket.DropRequest;
import io.streamkit.relay.srt.SrtControlPacket.KeepAlive;
import io.streamkit.relay.srt.SrtControlPacket.Nak;
import io.streamkit.relay.srt.SrtControlPacket.Opaque;
import io.streamkit.relay.srt.SrtControlPacket.PeerError;
import io.streamkit.relay.srt.SrtControlPacket.Shutdown;
import io.streamkit.relay.srt.SrtHandshakeExtension.Congestion;
import io.streamkit.relay.srt.SrtHandshakeExtension.Filter;
import io.streamkit.relay.srt.SrtHandshakeExtension.HsMessage;
import io.streamkit.relay.srt.SrtHandshakeExtension.KeyMaterialError;
import io.streamkit.relay.srt.SrtHandshakeExtension.KeyMaterialMessage;
import io.streamkit.relay.srt.SrtHandshakeExtension.Raw;
import io.streamkit.relay.srt.SrtHandshakeExtension.StreamId;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** encode ∘ decode = id for every SRT packet type, and robustness of the decoder on hostile input. */
class SrtPacketCodecPropertiesTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static SrtPacket roundTrip(SrtPacket packet) {
        ByteBuf wire = SrtPacketCodec.encode(ALLOC, packet);
        try {
            return SrtPacketCodec.decode(wire);
        } finally {
            wire.release();
        }
    }

    private static void assertRoundTrip(SrtControlPacket packet) {
        assertEquals(packet, roundTrip(packet));
    }

    // --- arbitraries -----------------------------------------------------------------------------

    @Provide
    Arbitrary<Integer> seqs() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, SrtSeq.MAX),
                Arbitraries.of(0, 1, SrtSeq.MAX - 1, SrtSeq.MAX));
    }

    @Provide
    Arbitrary<Integer> u16() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }

    @Provide
    Arbitrary<byte[]> words() {
        return Arbitraries.integers().between(0, 20)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(4 * n));
    }

    static Arbitrary<String> text(int maxBytes) {
        Arbitrary<String> ascii = Arbitraries.strings().withCharRange('\u0001', '\u007f').ofMaxLength(maxBytes);
        Arbitrary<String> unicode = Arbitraries.integers().between(1, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF).list().ofMaxSize(maxBytes / 4 + 10).map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    cps.forEach(sb::appendCodePoint);
                    return sb.toString();
                });
        Arbitrary<String> mixed = Arbitraries.strings().withCharRange('\u0001', '\u07ff').withChars("é漢字")
                .ofMaxLength(maxBytes / 2);
        return Arbitraries.oneOf(ascii, unicode, mixed)
                .filter(s -> s.getBytes(StandardCharsets.UTF_8).length <= maxBytes);
    }

    @Provide
    Arbitrary<String> streamIds() {
        return Arbitraries.oneOf(text(512), Arbitraries.strings().withCharRange('a', 'z').ofLength(512),
                Arbitraries.of("#!::r=live/cam1,m=publish", "", "a", "abcd", "abcde"));
    }

    @Provide
    Arbitrary<SrtKeyMaterial> keyMaterials() {
        Arbitrary<SrtKeyFlag> flags = Arbitraries.of(SrtKeyFlag.EVEN, SrtKeyFlag.ODD, SrtKeyFlag.BOTH);
        Arbitrary<Integer> lengths = Arbitraries.of(16, 24, 32);
        Arbitrary<byte[]> salts = Arbitraries.bytes().array(byte[].class).ofSize(16);
        Arbitrary<Integer> bytes = Arbitraries.integers().between(0, 255);
        return Combinators.combine(flags, lengths, salts, Arbitraries.integers(), bytes, bytes, bytes)
                .flatAs((kk, len, salt, keki, cipher, auth, se) -> Arbitraries.bytes().array(byte[].class)
                        .ofSize(SrtKeyMaterial.wrappedLength(kk, len))
                        .map(wrapped -> new SrtKeyMaterial(kk, keki, cipher, auth, se, salt, len, wrapped)));
    }

    @Provide
    Arbitrary<SrtHandshakeExtension> extensions() {
        Arbitrary<SrtHandshakeExtension> hs = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers(),
                Arbitraries.integers(), u16(), u16()).as(HsMessage::new);
        Arbitrary<SrtHandshakeExtension> km = Combinators.combine(Arbitraries.of(true, false), keyMaterials())
                .as(KeyMaterialMessage::new);
        Arbitrary<SrtHandshakeExtension> kmError = Arbitraries.integers().map(KeyMaterialError::new);
        Arbitrary<SrtHandshakeExtension> sid = streamIds().map(StreamId::new);
        Arbitrary<SrtHandshakeExtension> congestion = Arbitraries.oneOf(Arbitraries.of("live", "file"), text(40))
                .map(Congestion::new);
        Arbitrary<SrtHandshakeExtension> filter = text(100).map(Filter::new);
        Arbitrary<SrtHandshakeExtension> raw = Combinators
                .combine(Arbitraries.oneOf(Arbitraries.of(0, SrtHandshakeExtension.TYPE_GROUP),
                        Arbitraries.integers().between(8, 0xFFFF)), words())
                .as(Raw::new);
        return Arbitraries.oneOf(hs, km, kmError, sid, congestion, filter, raw);
    }

    @Provide
    Arbitrary<List<SrtSeqRange>> lossLists() {
        Arbitrary<SrtSeqRange> range = Combinators.combine(seqs(), Arbitraries.integers().between(0, 100_000))
                .as((first, extra) -> new SrtSeqRange(first, SrtSeq.add(first, extra)));
        Arbitrary<SrtSeqRange> single = seqs().map(SrtSeqRange::of);
        return Arbitraries.oneOf(range, single).list().ofMinSize(1).ofMaxSize(50);
    }

    // --- round trips -----------------------------------------------------------------------------

    @Property(tries = 300)
    void dataPacketsRoundTrip(@ForAll("seqs") int seq, @ForAll SrtPacketPosition position, @ForAll boolean inOrder,
            @ForAll SrtKeyFlag kk, @ForAll boolean retransmitted,
            @ForAll @IntRange(min = 0, max = SrtSeq.MSG_MAX) int msg, @ForAll int timestamp, @ForAll int socket,
            @ForAll @Size(max = 1456) byte[] payload) {
        SrtKeyFlag encryption = kk == SrtKeyFlag.BOTH ? SrtKeyFlag.NONE : kk;
        SrtDataPacket packet = new SrtDataPacket(seq, position, inOrder, encryption, retransmitted, msg, timestamp,
                socket, Unpooled.wrappedBuffer(payload));
        try {
            SrtPacket decoded = roundTrip(packet);
            try {
                assertEquals(packet, decoded);
                assertEquals(1, ((SrtDataPacket) decoded).refCnt());
            } finally {
                ReferenceCountUtil.release(decoded);
            }
        } finally {
            packet.release();
        }
    }

    @Property(tries = 400)
    void handshakesRoundTrip(@ForAll int timestamp, @ForAll int destination, @ForAll int version,
            @ForAll("u16") int encryption, @ForAll("u16") int extensionField, @ForAll("seqs") int isn, @ForAll int mtu,
            @ForAll int window, @ForAll int type, @ForAll int socket, @ForAll int cookie,
            @ForAll @Size(16) byte[] peerIp,
            @ForAll @Size(max = 6) List<@From("extensions") SrtHandshakeExtension> exts) {
        SrtHandshake hs = new SrtHandshake(timestamp, destination, version, encryption, extensionField, isn, mtu,
                window, type, socket, cookie, peerIp, exts);
        assertRoundTrip(hs);
        assertEquals(hs, hs.toBuilder().build());
    }

    @Property(tries = 200)
    void acksRoundTrip(@ForAll AckKind kind, @ForAll int ackNumber, @ForAll int timestamp, @ForAll int socket,
            @ForAll("seqs") int seq, @ForAll int rtt, @ForAll int rttVar, @ForAll int buffer, @ForAll int packetRate,
            @ForAll int capacity, @ForAll int byteRate) {
        boolean small = kind != AckKind.LIGHT;
        boolean full = kind == AckKind.FULL;
        assertRoundTrip(new Ack(ackNumber, timestamp, socket, kind, seq, small ? rtt : 0, small ? rttVar : 0,
                small ? buffer : 0, full ? packetRate : 0, full ? capacity : 0, full ? byteRate : 0));
    }

    @Property(tries = 200)
    void naksRoundTrip(@ForAll int timestamp, @ForAll int socket, @ForAll("lossLists") List<SrtSeqRange> losses) {
        assertRoundTrip(new Nak(timestamp, socket, losses));
    }

    @Property(tries = 100)
    void smallControlPacketsRoundTrip(@ForAll int info, @ForAll int timestamp, @ForAll int socket,
            @ForAll("seqs") int first, @ForAll("seqs") int last) {
        assertRoundTrip(new KeepAlive(timestamp, socket));
        assertRoundTrip(new Shutdown(timestamp, socket));
        assertRoundTrip(new AckAck(info, timestamp, socket));
        assertRoundTrip(new PeerError(info, timestamp, socket));
        assertRoundTrip(new DropRequest(info, timestamp, socket, first, last));
    }

    @Property(tries = 100)
    void opaqueControlPacketsRoundTrip(@ForAll boolean userDefined, @ForAll("u16") int subtype, @ForAll int info,
            @ForAll int timestamp, @ForAll int socket, @ForAll @Size(max = 64) byte[] cif) {
        int type = userDefined ? SrtControlPacket.TYPE_USER_DEFINED : SrtControlPacket.TYPE_CONGESTION_WARNING;
        assertRoundTrip(new Opaque(type, subtype, info, timestamp, socket, cif));
    }

    // --- hostile input ---------------------------------------------------------------------------

    @Property(tries = 2000)
    void randomBytesDecodeOrThrowCodecException(@ForAll @Size(max = 200) byte[] bytes, @ForAll boolean control,
            @ForAll @IntRange(min = 0, max = 9) int type, @ForAll boolean direct) {
        if (control && bytes.length >= 2) {
            // steer towards the control types the decoder knows, so their parsers get exercised
            bytes[0] = (byte) 0x80;
            bytes[1] = (byte) type;
        }
        decodeHostile(bytes, direct);
    }

    @Property(tries = 1000)
    void corruptedHandshakesDecodeOrThrowCodecException(
            @ForAll @Size(min = 1, max = 4) List<@From("extensions") SrtHandshakeExtension> exts,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 16, max = 2000) Integer> positions,
            @ForAll byte value, @ForAll @IntRange(min = 0, max = 2000) int truncate) {
        SrtHandshake hs = SrtHandshake.builder().extensions(exts).build();
        ByteBuf wire = SrtPacketCodec.encode(ALLOC, hs);
        byte[] bytes;
        try {
            bytes = new byte[Math.min(wire.readableBytes(), Math.max(16, wire.readableBytes() - truncate % 64))];
            wire.getBytes(0, bytes);
        } finally {
            wire.release();
        }
        for (int pos : positions) {
            if (pos < bytes.length) {
                bytes[pos] ^= value;
            }
        }
        decodeHostile(bytes, false);
    }

    private static void decodeHostile(byte[] bytes, boolean direct) {
        ByteBuf datagram = direct ? ALLOC.directBuffer(bytes.length) : ALLOC.heapBuffer(bytes.length);
        datagram.writeBytes(bytes);
        try {
            SrtPacket packet = SrtPacketCodec.decode(datagram);
            ReferenceCountUtil.release(packet);
            assertEquals(0, datagram.readerIndex());
        } catch (CodecException e) {
            // a specific message from an explicit check, not the decoder's safety net
            assertTrue(e.getCause() == null || e.getCause() instanceof CharacterCodingException, e::toString);
            assertTrue(e.getMessage().startsWith("SRT") || e.getMessage().startsWith("unknown SRT"), e::getMessage);
        } finally {
            assertEquals(1, datagram.refCnt());
            datagram.release();
        }
    }
}
