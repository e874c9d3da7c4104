package io.streamkit.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RtpProperties {

    /** Everything a generated packet holds, to compare with what parsing reads back. */
    record Spec(boolean marker, int payloadType, int sequenceNumber, long timestamp, long ssrc, long[] csrcs,
            Map<Integer, byte[]> extensions, boolean twoByte, byte[] payload, int padding) {

        ByteBuf build() {
            RtpPacket.Builder b = RtpPacket.builder().marker(marker).payloadType(payloadType)
                    .sequenceNumber(sequenceNumber).timestamp(timestamp).ssrc(ssrc).csrcs(csrcs)
                    .twoByteExtensions(twoByte).payload(payload).padding(padding);
            extensions.forEach(b::extension);
            ByteBuf buf = Unpooled.buffer(b.encodedLength());
            b.writeTo(buf);
            assertEquals(b.encodedLength(), buf.readableBytes());
            return buf;
        }
    }

    @Provide
    Arbitrary<Spec> packets() {
        Arbitrary<long[]> csrcs = Arbitraries.longs().between(0, 0xFFFFFFFFL).array(long[].class).ofMaxSize(15);
        Arbitrary<Boolean> twoByte = Arbitraries.of(true, false);
        Arbitrary<Map<Integer, byte[]>> extensions = twoByte.flatMap(tb -> {
            Arbitrary<Integer> ids = tb
                    ? Arbitraries.integers().between(1, 255)
                    : Arbitraries.integers().between(1, 14);
            Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMinSize(tb ? 0 : 1)
                    .ofMaxSize(tb ? 40 : 16);
            return Arbitraries.maps(ids, data).ofMaxSize(6).map(LinkedHashMap::new);
        });
        Arbitrary<Spec> partial = Combinators
                .combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 127),
                        Arbitraries.integers().between(0, 0xFFFF), Arbitraries.longs().between(0, 0xFFFFFFFFL),
                        Arbitraries.longs().between(0, 0xFFFFFFFFL), csrcs, Arbitraries.of(true, false))
                .as((m, pt, seq, ts, ssrc, c, tb) -> new Spec(m, pt, seq, ts, ssrc, c, Map.of(), tb, new byte[0], 0));
        return Combinators.combine(partial, extensions, Arbitraries.bytes().array(byte[].class).ofMaxSize(1300),
                Arbitraries.integers().between(0, 255))
                .as((s, ext, payload, padding) -> new Spec(s.marker(), s.payloadType(), s.sequenceNumber(),
                        s.timestamp(), s.ssrc(), s.csrcs(), ext, s.twoByte() && !ext.isEmpty(), payload, padding));
    }

    @Property
    void writtenPacketsParseBackToTheSameFields(@ForAll("packets") Spec spec) {
        ByteBuf buf = spec.build();
        try {
            RtpPacket p = RtpPacket.parse(buf);
            assertEquals(spec.marker(), p.marker());
            assertEquals(spec.payloadType(), p.payloadType());
            assertEquals(spec.sequenceNumber(), p.sequenceNumber());
            assertEquals(spec.timestamp(), p.timestamp());
            assertEquals(spec.ssrc(), p.ssrc());
            assertEquals(spec.csrcs().length, p.csrcCount());
            for (int i = 0; i < spec.csrcs().length; i++) {
                assertEquals(spec.csrcs()[i], p.csrc(i));
            }
            assertEquals(spec.padding(), p.paddingLength());
            assertArrayEquals(spec.payload(), ByteBufUtil.getBytes(p.payload()));
            Map<Integer, byte[]> seen = new LinkedHashMap<>();
            p.forEachExtension((id, b, index, length) -> seen.put(id, ByteBufUtil.getBytes(b, index, length)));
            assertEquals(spec.extensions().keySet(), seen.keySet());
            for (Map.Entry<Integer, byte[]> e : spec.extensions().entrySet()) {
                assertArrayEquals(e.getValue(), seen.get(e.getKey()));
                assertArrayEquals(e.getValue(), ByteBufUtil.getBytes(p.extension(e.getKey())));
            }
            assertEquals(buf.readableBytes(), p.length());
        } finally {
            buf.release();
        }
    }

    @Property
    void inPlaceSettersChangeOnlyTheirField(@ForAll("packets") Spec spec, @ForAll @IntRange(max = 127) int pt,
            @ForAll @IntRange(max = 0xFFFF) int seq, @ForAll long ts, @ForAll long ssrc, @ForAll boolean marker) {
        ByteBuf buf = spec.build();
        try {
            RtpPacket p = RtpPacket.parse(buf);
            p.setPayloadType(pt);
            p.setSequenceNumber(seq);
            p.setTimestamp(ts);
            p.setSsrc(ssrc);
            p.setMarker(marker);
            RtpPacket q = RtpPacket.parse(buf);
            assertEquals(pt, q.payloadType());
            assertEquals(seq, q.sequenceNumber());
            assertEquals(ts & 0xFFFFFFFFL, q.timestamp());
            assertEquals(ssrc & 0xFFFFFFFFL, q.ssrc());
            assertEquals(marker, q.marker());
            assertArrayEquals(spec.payload(), ByteBufUtil.getBytes(q.payload()));
        } finally {
            buf.release();
        }
    }

    @Property
    void copyWithExtensionsKeepsExactlyTheMappedElements(@ForAll("packets") Spec spec,
            @ForAll @IntRange(min = 0, max = 2) int keepEvery) {
        ByteBuf buf = spec.build();
        ByteBuf copy = null;
        try {
            RtpPacket p = RtpPacket.parse(buf);
            // drop ids divisible by 3 when keepEvery is 0; otherwise shift every id up by keepEvery (wrapping at 255)
            java.util.function.IntUnaryOperator map = id -> keepEvery == 0
                    ? (id % 3 == 0 ? 0 : id)
                    : ((id + keepEvery - 1) % 255) + 1;
            copy = p.copyWithExtensions(UnpooledByteBufAllocator.DEFAULT, map);
            RtpPacket q = RtpPacket.parse(copy);
            Map<Integer, byte[]> expected = new LinkedHashMap<>();
            spec.extensions().forEach((id, data) -> {
                int to = map.applyAsInt(id);
                if (to != 0) {
                    expected.put(to, data);
                }
            });
            List<Integer> ids = new ArrayList<>();
            q.forEachExtension((id, b, index, length) -> ids.add(id));
            assertEquals(new ArrayList<>(expected.keySet()), ids);
            expected.forEach((id, data) -> assertArrayEquals(data, ByteBufUtil.getBytes(q.extension(id))));
            if (expected.isEmpty()) {
                assertNull(q.extension(1));
                assertEquals(RtpPacket.ExtensionForm.NONE, q.extensionForm());
            }
            assertEquals(p.sequenceNumber(), q.sequenceNumber());
            assertArrayEquals(spec.payload(), ByteBufUtil.getBytes(q.payload()));
            assertEquals(spec.padding(), q.paddingLength());
        } finally {
            buf.release();
            if (copy != null) {
                copy.release();
            }
        }
    }

    @Property(tries = 2000)
    void randomBytesOnlyThrowRtpException(@ForAll @Size(max = 80) byte[] bytes, @ForAll boolean forceVersion2) {
        if (forceVersion2 && bytes.length > 0) {
            bytes[0] = (byte) (0x80 | (bytes[0] & 0x3F));
        }
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            exercise(buf);
        } catch (RtpException expected) {
            // the documented failure
        } finally {
            buf.release();
        }
    }

    @Property
    void truncatedPacketsOnlyThrowRtpException(@ForAll("packets") Spec spec,
            @ForAll @IntRange(min = 0, max = 2000) int cut) {
        ByteBuf buf = spec.build();
        try {
            ByteBuf prefix = buf.slice(0, Math.min(cut, buf.readableBytes()));
            try {
                exercise(prefix);
            } catch (RtpException expected) {
                // the documented failure
            }
        } finally {
            buf.release();
        }
    }

    /** Parses and reads every field and extension reader, so that any lazy failure shows up. */
    private static void exercise(ByteBuf buf) {
        RtpPacket p = RtpPacket.parse(buf);
        p.marker();
        p.payloadType();
        p.sequenceNumber();
        p.timestamp();
        p.ssrc();
        for (int i = 0; i < p.csrcCount(); i++) {
            p.csrc(i);
        }
        p.payload();
        p.forEachExtension((id, b, index, length) -> b.getBytes(index, new byte[length]));
        for (int id = 1; id <= 15; id++) {
            RtpHeaderExtensions.audioLevel(p, id);
            RtpHeaderExtensions.transportSequenceNumber(p, id);
            RtpHeaderExtensions.absSendTime(p, id);
            RtpHeaderExtensions.mid(p, id);
        }
        p.rewriteExtensionIds(id -> Math.min(id, RtpPacket.MAX_ONE_BYTE_ID));
        ByteBuf copy = p.copyWithExtensions(UnpooledByteBufAllocator.DEFAULT, id -> id);
        try {
            RtpPacket.parse(copy);
        } finally {
            copy.release();
        }
    }
}
