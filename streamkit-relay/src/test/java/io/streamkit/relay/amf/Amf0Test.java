package io.streamkit.relay.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.api.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Known-answer and edge-case tests of {@link Amf0}. */
class Amf0Test {

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static <T> T withBuf(byte[] bytes, Function<ByteBuf, T> f) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return f.apply(buf);
        } finally {
            buf.release();
        }
    }

    static byte[] encodeAll(Object... values) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf0.encodeAll(buf, values);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static String ascii(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void encodesConnectCommandAsTheSpecSays() {
        AmfObject commandObject = new AmfObject().with("app", "live").with("tcUrl", "rtmp://127.0.0.1/live");
        byte[] expected = hex("02 0007" + ascii("connect")
                + "00 3ff0000000000000"
                + "03"
                + "0003" + ascii("app") + "02 0004" + ascii("live")
                + "0005" + ascii("tcUrl") + "02 0015" + ascii("rtmp://127.0.0.1/live")
                + "0000 09");
        byte[] actual = encodeAll("connect", 1, commandObject);
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(actual));

        List<Object> decoded = withBuf(actual, Amf0::decodeAll);
        assertEquals(List.of("connect", 1.0, commandObject), decoded);
        assertInstanceOf(AmfObject.class, decoded.get(2));
    }

    @Test
    void encodesScalarsAndSpecialValues() {
        assertEquals("05", HexFormat.of().formatHex(encodeAll((Object) null)));
        assertEquals("06", HexFormat.of().formatHex(encodeAll(Amf0.UNDEFINED)));
        assertEquals("0101", HexFormat.of().formatHex(encodeAll(true)));
        assertEquals("00fff0000000000000", HexFormat.of().formatHex(encodeAll(Double.NEGATIVE_INFINITY)));
        assertEquals("0b 4059000000000000 0000".replace(" ", ""), HexFormat.of().formatHex(encodeAll(new AmfDate(
                100, (short) 0))));
        assertEquals("0f00000003" + ascii("<a>"), HexFormat.of().formatHex(encodeAll(new AmfXml("<a>"))));
        assertEquals("0a0000000205" + "0101", HexFormat.of().formatHex(encodeAll(Arrays.asList(null, true))));
        assertEquals("0a0000000205" + "0101", HexFormat.of().formatHex(encodeAll((Object) new Object[]{null,
                true})));
        assertEquals("08000000010001" + ascii("a") + "0101000009", HexFormat.of().formatHex(
                encodeAll(new AmfEcmaArray().with("a", true))));
    }

    @Test
    void picksLongStringByUtf8Length() {
        String twoByteChars = "\u00e9".repeat(40_000); // 40000 chars, 80000 UTF-8 bytes
        byte[] bytes = encodeAll(twoByteChars);
        assertEquals(0x0C, bytes[0]);
        assertEquals(80_000, ((bytes[1] & 0xFF) << 24) | ((bytes[2] & 0xFF) << 16) | ((bytes[3] & 0xFF) << 8)
                | (bytes[4] & 0xFF));
        assertEquals(twoByteChars, withBuf(bytes, Amf0::decode));

        byte[] shortOne = encodeAll("x".repeat(0xFFFF));
        assertEquals(0x02, shortOne[0]);
    }

    @Test
    void rejectsUnencodableValues() {
        ByteBuf buf = Unpooled.buffer();
        try {
            assertThrows(IllegalArgumentException.class, () -> Amf0.encode(buf, new Object()));
            assertThrows(IllegalArgumentException.class, () -> Amf0.encode(buf, new byte[1]));
            assertThrows(IllegalArgumentException.class, () -> Amf0.encode(buf, Map.of(1, 2)));
            AmfObject cyclic = new AmfObject();
            cyclic.put("self", cyclic);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Amf0.encode(buf, cyclic));
            assertTrue(e.getMessage().contains("deeper than 32"), e.getMessage());
        } finally {
            buf.release();
        }
    }

    @Test
    void resolvesReferencesAndRejectsBadOnes() {
        // [ {a: 1}, ref 0 ]: a strict array is object 0, the inner object is object 1
        byte[] bytes = hex("0a00000002 03 0001" + ascii("a") + "00 3ff0000000000000 000009 07 0001");
        List<?> list = (List<?>) withBuf(bytes, Amf0::decode);
        assertSame(list.get(0), list.get(1));

        CodecException outOfRange = assertThrows(CodecException.class, () -> withBuf(hex("07 0000"),
                Amf0::decode));
        assertEquals("AMF0 reference 0 out of range (0 objects) at offset 3", outOfRange.getMessage());

        // a reference to the array being decoded (a cycle) is refused
        CodecException cycle = assertThrows(CodecException.class, () -> withBuf(hex("0a00000001 07 0000"),
                Amf0::decode));
        assertTrue(cycle.getMessage().contains("still being decoded"), cycle.getMessage());
    }

    @Test
    void reportsSpecificErrors() {
        CodecException tooLong = assertThrows(CodecException.class,
                () -> withBuf(hex("02 1388 000102030405060708090a0b"),
                        Amf0::decode));
        assertEquals("AMF0 string of 5000 bytes exceeds the 12 readable bytes at offset 3", tooLong.getMessage());

        CodecException unknown = assertThrows(CodecException.class, () -> withBuf(hex(
                "00 0000000000000000 1f"), Amf0::decodeAll));
        assertEquals("unknown AMF0 type marker 0x1f at offset 9", unknown.getMessage());

        CodecException truncated = assertThrows(CodecException.class, () -> withBuf(hex("00 3ff0"),
                Amf0::decode));
        assertTrue(truncated.getMessage().startsWith("AMF data truncated at offset"), truncated.getMessage());

        CodecException hugeArray = assertThrows(CodecException.class, () -> withBuf(hex("0a ffffffff 05"),
                Amf0::decode));
        assertEquals("AMF0 strict array of 4294967295 elements exceeds the 1 readable bytes at offset 5", hugeArray
                .getMessage());

        byte[] deep = new byte[34 * 5];
        for (int i = 0; i < 34; i++) {
            deep[i * 5] = 0x0A;
            deep[i * 5 + 4] = 1;
        }
        CodecException tooDeep = assertThrows(CodecException.class, () -> withBuf(deep, Amf0::decode));
        assertTrue(tooDeep.getMessage().startsWith("AMF nesting deeper than 32"), tooDeep.getMessage());
    }

    @Test
    void decodesTypedObjectsAndUnsupportedMarker() {
        byte[] typed = hex("10 0003" + ascii("Foo") + "0001" + ascii("x") + "0101 000009 0d");
        List<Object> values = withBuf(typed, Amf0::decodeAll);
        assertEquals(new AmfObject().with("x", true), values.get(0));
        assertSame(Amf0.UNDEFINED, values.get(1));
    }

    @Test
    void decodesAmf3Integers() {
        assertEquals(0x7F, withBuf(hex("11 04 7f"), Amf0::decode));
        assertEquals(0x80, withBuf(hex("11 04 8100"), Amf0::decode));
        assertEquals(0x3FFF, withBuf(hex("11 04 ff7f"), Amf0::decode));
        assertEquals(0x0FFFFFFF, withBuf(hex("11 04 bfffffff"), Amf0::decode));
        assertEquals(-1, withBuf(hex("11 04 ffffffff"), Amf0::decode));
        assertEquals(-0x10000000, withBuf(hex("11 04 c0808000"), Amf0::decode));
    }

    @Test
    void decodesAmf3ScalarsAndStrings() {
        List<Object> values = withBuf(hex("1100 1101 1102 1103 11 05 4000000000000000 11 06 0b" + ascii("hello")
                + "11 08 01 4059000000000000"), Amf0::decodeAll);
        assertSame(Amf0.UNDEFINED, values.get(0));
        assertNull(values.get(1));
        assertEquals(false, values.get(2));
        assertEquals(true, values.get(3));
        assertEquals(2.0, values.get(4));
        assertEquals("hello", values.get(5));
        assertEquals(new AmfDate(100, (short) 0), values.get(6));
    }

    @Test
    void decodesAmf3DynamicObjectWithStringReferences() {
        // dynamic anonymous object {a: 1, foo: <string reference 1 = "foo">}
        byte[] bytes = hex("11 0a 0b 01 03" + ascii("a") + "04 01 07" + ascii("foo") + "06 02 01");
        Object value = withBuf(bytes, Amf0::decode);
        assertEquals(new AmfObject().with("a", 1).with("foo", "foo"), value);
        assertFalse(value instanceof AmfEcmaArray);
    }

    @Test
    void decodesAmf3SealedObjectsWithTraitReferences() {
        // [ {x: 1} sealed, {x: 2} with traits reference 0 ]
        // traits 0x13: inline object, inline traits, not dynamic, 1 sealed member; class "Pt"
        byte[] bytes = hex("11 09 05 01 0a 13 05" + ascii("Pt") + "03" + ascii("x") + "04 01 0a 01 04 02");
        Object value = withBuf(bytes, Amf0::decode);
        assertEquals(List.of(new AmfObject().with("x", 1), new AmfObject().with("x", 2)), value);
    }

    @Test
    void decodesAmf3ArraysAndByteArrays() {
        assertEquals(List.of(1, 2), withBuf(hex("11 09 05 01 04 01 04 02"), Amf0::decode));
        Object mixed = withBuf(hex("11 09 03 03" + ascii("k") + "06 03" + ascii("v") + "01 04 07"),
                Amf0::decode);
        assertInstanceOf(AmfEcmaArray.class, mixed);
        assertEquals(new AmfEcmaArray().with("k", "v").with("0", 7), mixed);
        assertEquals("0102", HexFormat.of().formatHex((byte[]) withBuf(hex("11 0c 05 0102"), Amf0::decode)));
        assertEquals(new AmfXml("<x/>"), withBuf(hex("11 0b 09" + ascii("<x/>")), Amf0::decode));
    }

    @Test
    void rejectsBadAmf3() {
        CodecException ext = assertThrows(CodecException.class, () -> withBuf(hex("11 0a 07 01"), Amf0::decode));
        assertTrue(ext.getMessage().contains("externalizable"), ext.getMessage());
        CodecException ref = assertThrows(CodecException.class, () -> withBuf(hex("11 06 04"), Amf0::decode));
        assertEquals("AMF3 string reference 2 out of range (0 strings) at offset 3", ref.getMessage());
        CodecException marker = assertThrows(CodecException.class, () -> withBuf(hex("11 0d 01"), Amf0::decode));
        assertEquals("unsupported AMF3 type marker 0x0d at offset 1", marker.getMessage());
        CodecException big = assertThrows(CodecException.class, () -> withBuf(hex("11 09 ffffffff 01"),
                Amf0::decode));
        assertTrue(big.getMessage().startsWith("AMF3 array of"), big.getMessage());
    }
}
