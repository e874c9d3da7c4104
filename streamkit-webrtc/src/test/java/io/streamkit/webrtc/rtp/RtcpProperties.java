package io.streamkit.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RtcpProperties {

    private static Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xFFFFFFFFL);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().alpha().numeric().withChars("äé€ -_.@\u4e2d").ofMaxLength(60);
    }

    private static Arbitrary<ReportBlock> reportBlocks() {
        return Combinators.combine(u32(), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(-0x800000, 0x7FFFFF), u32(), u32(), u32(), u32())
                .as(ReportBlock::new);
    }

    private static Arbitrary<SenderReport> senderReports() {
        Arbitrary<SenderInfo> info = Combinators.combine(Arbitraries.longs(), u32(), u32(), u32()).as(SenderInfo::new);
        return Combinators.combine(u32(), info, reportBlocks().list().ofMaxSize(31)).as(SenderReport::new);
    }

    private static Arbitrary<ReceiverReport> receiverReports() {
        return Combinators.combine(u32(), reportBlocks().list().ofMaxSize(31)).as(ReceiverReport::new);
    }

    private static Arbitrary<SourceDescription> sdes() {
        Arbitrary<SourceDescription.Item> item = Combinators.combine(Arbitraries.integers().between(1, 255), text())
                .as(SourceDescription.Item::new);
        Arbitrary<SourceDescription.Chunk> chunk = Combinators.combine(u32(), item.list().ofMaxSize(4))
                .as(SourceDescription.Chunk::new);
        return chunk.list().ofMaxSize(5).map(SourceDescription::new);
    }

    private static Arbitrary<Goodbye> byes() {
        return Combinators.combine(u32().list().ofMaxSize(31), text().injectNull(0.3)).as(Goodbye::new);
    }

    private static Arbitrary<GenericNack> nacks() {
        Arbitrary<GenericNack.Item> item = Combinators.combine(Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers().between(0, 0xFFFF)).as(GenericNack.Item::new);
        return Combinators.combine(u32(), u32(), item.list().ofMinSize(1).ofMaxSize(40)).as(GenericNack::new);
    }

    private static Arbitrary<PictureLossIndication> plis() {
        return Combinators.combine(u32(), u32()).as(PictureLossIndication::new);
    }

    private static Arbitrary<FullIntraRequest> firs() {
        Arbitrary<FullIntraRequest.Entry> entry = Combinators.combine(u32(), Arbitraries.integers().between(0, 255))
                .as(FullIntraRequest.Entry::new);
        return Combinators.combine(u32(), u32(), entry.list().ofMinSize(1).ofMaxSize(8)).as(FullIntraRequest::new);
    }

    private static Arbitrary<Remb> rembs() {
        // only bitrates the 18-bit mantissa and 6-bit exponent represent exactly
        Arbitrary<Long> bitrate = Combinators.combine(Arbitraries.longs().between(0, (1 << 18) - 1),
                Arbitraries.integers().between(0, 45)).as((m, e) -> m << e);
        return Combinators.combine(u32(), bitrate, u32().list().ofMaxSize(20)).as(Remb::new);
    }

    private static Arbitrary<TransportCcFeedback> transportCc() {
        Arbitrary<int[]> statusesAndDeltas = Arbitraries.integers().between(0, 2).list().ofMaxSize(200)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        return Combinators.combine(u32(), u32(), Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers().between(-0x800000, 0x7FFFFF), Arbitraries.integers().between(0, 255),
                statusesAndDeltas, Arbitraries.randoms()).as((s, m, base, ref, fb, st, random) -> {
                    byte[] statuses = new byte[st.length];
                    List<Integer> deltas = new ArrayList<>();
                    for (int i = 0; i < st.length; i++) {
                        statuses[i] = (byte) st[i];
                        if (st[i] == TransportCcFeedback.SMALL_DELTA) {
                            deltas.add(random.nextInt(256));
                        } else if (st[i] == TransportCcFeedback.LARGE_DELTA) {
                            deltas.add(random.nextInt(65536) - 32768);
                        }
                    }
                    return new TransportCcFeedback(s, m, base, ref, fb, statuses,
                            deltas.stream().mapToInt(Integer::intValue).toArray());
                });
    }

    private static Arbitrary<UnknownRtcpPacket> unknowns() {
        return Combinators.combine(Arbitraries.of(RtcpPacket.APP, 207), Arbitraries.integers().between(0, 31),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(16).map(b -> java.util.Arrays.copyOf(b,
                        (b.length + 3) & ~3)))
                .as(UnknownRtcpPacket::new);
    }

    @Provide
    Arbitrary<RtcpPacket> anyPacket() {
        return Arbitraries.oneOf(senderReports(), receiverReports(), sdes(), byes(), nacks(), plis(), firs(), rembs(),
                transportCc(), unknowns());
    }

    @Provide
    Arbitrary<List<RtcpPacket>> compounds() {
        return anyPacket().list().ofMinSize(1).ofMaxSize(5);
    }

    private static List<RtcpPacket> roundTrip(List<RtcpPacket> packets) {
        ByteBuf buf = Unpooled.buffer();
        try {
            RtcpCompound.write(packets, buf);
            assertEquals(RtcpCompound.encodedLength(packets), buf.readableBytes());
            return RtcpCompound.parse(buf);
        } finally {
            buf.release();
        }
    }

    @Property
    void everyPacketTypeRoundTrips(@ForAll("anyPacket") RtcpPacket packet) {
        assertEquals(List.of(packet), roundTrip(List.of(packet)));
    }

    @Property
    void compoundsRoundTrip(@ForAll("compounds") List<RtcpPacket> packets) {
        assertEquals(packets, roundTrip(packets));
    }

    @Property(tries = 3000)
    void randomBytesOnlyThrowRtcpException(@ForAll @Size(max = 120) byte[] bytes, @ForAll boolean plausibleHeader,
            @ForAll @IntRange(min = 200, max = 206) int type) {
        if (plausibleHeader && bytes.length >= 4) {
            bytes[0] = (byte) (0x80 | (bytes[0] & 0x3F));
            bytes[1] = (byte) type;
            bytes[2] = 0;
            bytes[3] = (byte) (bytes.length / 4 - 1);
        }
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            RtcpCompound.parse(buf);
        } catch (RtcpException expected) {
            // the documented failure
        } finally {
            buf.release();
        }
    }

    @Property
    void truncatedOrCorruptedCompoundsOnlyThrowRtcpException(@ForAll("compounds") List<RtcpPacket> packets,
            @ForAll @IntRange(max = 4000) int cut, @ForAll @IntRange(max = 4000) int flip, @ForAll byte value) {
        ByteBuf buf = Unpooled.buffer();
        try {
            RtcpCompound.write(packets, buf);
            if (buf.readableBytes() > 0) {
                buf.setByte(flip % buf.readableBytes(), value);
            }
            ByteBuf prefix = buf.slice(0, Math.min(cut, buf.readableBytes()));
            try {
                RtcpCompound.parse(prefix);
            } catch (RtcpException expected) {
                // the documented failure
            }
        } finally {
            buf.release();
        }
    }

    @Property
    void nackCompressionRoundTripsAscendingLists(@ForAll @IntRange(max = 0xFFFF) int start,
            @ForAll @Size(max = 300) List<@IntRange(max = 3000) Integer> offsets) {
        int[] seqs = new TreeSet<>(offsets).stream().mapToInt(o -> (start + o) & 0xFFFF).toArray();
        List<GenericNack.Item> items = GenericNack.compress(seqs);
        assertArrayEquals(seqs, GenericNack.expand(items));
        // greedy packing: every item's PID is a listed number and no two items could have been merged
        for (int i = 1; i < items.size(); i++) {
            int gap = (items.get(i).packetId() - items.get(i - 1).packetId()) & 0xFFFF;
            assertEquals(true, gap > 16, "items " + (i - 1) + " and " + i + " are " + gap + " apart");
        }
        if (seqs.length > 0) {
            assertEquals(items, roundTripNack(GenericNack.of(1, 2, seqs)).items());
        }
    }

    private static GenericNack roundTripNack(GenericNack nack) {
        return (GenericNack) roundTrip(List.of(nack)).get(0);
    }
}
