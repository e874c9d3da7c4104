package io.streamkit.relay.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.api.CodecException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/** Round trips and robustness of {@link Amf0}. */
class Amf0PropertiesTest {

    @Property(tries = 300)
    void roundTripsArbitraryValues(@ForAll("commands") List<Object> values) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf0.encodeAll(buf, values);
            List<Object> decoded = Amf0.decodeAll(buf);
            assertFalse(buf.isReadable());
            assertAmfEquals(values, decoded, "$");
        } finally {
            buf.release();
        }
    }

    @Property(tries = 2000)
    void decodingRandomBytesThrowsOnlyCodecException(@ForAll @Size(max = 200) byte[] bytes) {
        decodeExpectingOnlyCodecException(bytes);
    }

    @Property(tries = 1000)
    void decodingCorruptedEncodingsThrowsOnlyCodecException(@ForAll("commands") List<Object> values,
            @ForAll @Size(min = 1, max = 8) List<Integer> corruptions) {
        ByteBuf buf = Unpooled.buffer();
        byte[] bytes;
        try {
            Amf0.encodeAll(buf, values);
            bytes = ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
        if (bytes.length == 0) {
            return;
        }
        for (int c : corruptions) {
            int index = Math.floorMod(c, bytes.length);
            bytes[index] = (byte) (c >>> 8);
        }
        int truncateTo = Math.floorMod(corruptions.get(0) >>> 16, bytes.length + 1);
        decodeExpectingOnlyCodecException(bytes);
        decodeExpectingOnlyCodecException(Arrays.copyOf(bytes, truncateTo));
    }

    private static void decodeExpectingOnlyCodecException(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                try {
                    Amf0.decodeAll(buf);
                } catch (CodecException expected) {
                    assertFalse(expected.getMessage() == null || expected.getMessage().isEmpty());
                }
            });
        } finally {
            buf.release();
        }
    }

    @Provide
    Arbitrary<List<Object>> commands() {
        return value(3).list().ofMaxSize(5);
    }

    private static Arbitrary<Object> value(int depth) {
        Arbitrary<Object> leaf = Arbitraries.frequencyOf(
                Tuple.of(4, numbers()),
                Tuple.of(4, strings()),
                Tuple.of(1, longStrings()),
                Tuple.of(2, Arbitraries.of(true, false).map(b -> (Object) b)),
                Tuple.of(1, Arbitraries.just(Amf0.UNDEFINED).map(u -> (Object) u)),
                Tuple.of(1, Combinators.combine(doubles(), Arbitraries.shorts())
                        .as((ms, tz) -> (Object) new AmfDate(ms, tz))),
                Tuple.of(1, strings().map(s -> (Object) new AmfXml(s))))
                .injectNull(0.1);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> inner = value(depth - 1);
        Arbitrary<Map<String, Object>> maps = Arbitraries.maps(strings(), inner).ofMaxSize(4);
        return Arbitraries.frequencyOf(
                Tuple.of(6, leaf),
                Tuple.of(1, inner.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l))),
                Tuple.of(1, maps.map(m -> (Object) new AmfObject(m))),
                Tuple.of(1, maps.map(m -> (Object) new AmfEcmaArray(m))));
    }

    private static Arbitrary<Object> numbers() {
        return doubles().map(d -> (Object) d);
    }

    private static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, Double.MAX_VALUE),
                Arbitraries.integers().map(
                        i -> (double) i));
    }

    private static Arbitrary<String> strings() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('\u0001', '\u007f')
                .withCharRange('\u00a0', '\u07ff').withCharRange('\u4e00', '\u4eff').ofMaxLength(20);
        return Arbitraries.oneOf(plain, plain.map(s -> s + "\uD83D\uDE00" + s), Arbitraries.just(""));
    }

    private static Arbitrary<Object> longStrings() {
        // characters of 2 UTF-8 bytes: some fit a short string by length but not by bytes
        return Arbitraries.integers().between(32_000, 34_000).map(n -> (Object) "\u00e9".repeat(n));
    }

    /** Compares values and their AMF types (an {@link AmfObject} never equals an {@link AmfEcmaArray}). */
    static void assertAmfEquals(Object expected, Object actual, String path) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, path);
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), path);
        if (expected instanceof List<?> e) {
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size(), path);
            for (int i = 0; i < e.size(); i++) {
                assertAmfEquals(e.get(i), a.get(i), path + "[" + i + "]");
            }
        } else if (expected instanceof Map<?, ?> e) {
            Map<?, ?> a = (Map<?, ?>) actual;
            assertEquals(e.keySet(), a.keySet(), path);
            Iterator<?> order = a.keySet().iterator();
            for (Map.Entry<?, ?> entry : e.entrySet()) {
                assertEquals(entry.getKey(), order.next(), path + " key order");
                assertAmfEquals(entry.getValue(), a.get(entry.getKey()), path + "." + entry.getKey());
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }
}
