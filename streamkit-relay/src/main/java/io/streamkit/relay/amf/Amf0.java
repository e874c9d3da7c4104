package io.streamkit.relay.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.streamkit.api.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes AMF0 values, the format of RTMP command messages and FLV script data.
 *
 * <p>Java mapping:
 * <table>
 * <caption>AMF0 types and their Java values</caption>
 * <tr><th>AMF0</th><th>Java</th></tr>
 * <tr><td>Number {@code 0x00}</td><td>{@link Double} (the encoder accepts any {@link Number})</td></tr>
 * <tr><td>Boolean {@code 0x01}</td><td>{@link Boolean}</td></tr>
 * <tr><td>String {@code 0x02}, Long String {@code 0x0C}</td><td>{@link String} (the encoder picks
 * the long form when the UTF-8 form exceeds 65535 bytes)</td></tr>
 * <tr><td>Object {@code 0x03}, Typed Object {@code 0x10} (decode only, class name dropped)</td>
 * <td>{@link AmfObject}; the encoder accepts any {@link Map} with {@link String} keys</td></tr>
 * <tr><td>Null {@code 0x05}</td><td>{@code null}</td></tr>
 * <tr><td>Undefined {@code 0x06}, Unsupported {@code 0x0D} (decode only)</td><td>{@link #UNDEFINED}</td></tr>
 * <tr><td>Reference {@code 0x07}</td><td>the object it refers to (decode only)</td></tr>
 * <tr><td>ECMA array {@code 0x08}</td><td>{@link AmfEcmaArray}</td></tr>
 * <tr><td>Strict array {@code 0x0A}</td><td>{@link List} (the encoder also accepts {@code Object[]})</td></tr>
 * <tr><td>Date {@code 0x0B}</td><td>{@link AmfDate}</td></tr>
 * <tr><td>XML document {@code 0x0F}</td><td>{@link AmfXml}</td></tr>
 * <tr><td>AVM+ {@code 0x11}</td><td>one AMF3 value, decode only: undefined, null, booleans, integers
 * ({@link Integer}), doubles, strings, dates, XML, arrays ({@link List} when dense only, otherwise
 * {@link AmfEcmaArray} with the dense members under the keys {@code "0"}, {@code "1"}, ...),
 * objects ({@link AmfObject}, class name dropped) and byte arrays ({@code byte[]})</td></tr>
 * </table>
 *
 * <p>Decoding never trusts the wire: any malformed, truncated or hostile input (nesting deeper than
 * {@value #MAX_DEPTH}, counts larger than the remaining bytes, dangling references) ends in a
 * {@link CodecException} whose message says what and where; no other exception escapes and no
 * allocation is sized by an unchecked wire value. Reference tables live for one
 * {@link #decode(ByteBuf)} or {@link #decodeAll(ByteBuf)} call; a reference to an object that is
 * still being decoded is rejected, so decoded values never contain cycles.
 */
public final class Amf0 {
    /** The AMF undefined value. */
    public static final Undefined UNDEFINED = Undefined.INSTANCE;

    /** The deepest nesting of objects and arrays that the decoder and the encoder accept. */
    public static final int MAX_DEPTH = 32;

    static final int NUMBER = 0x00;
    static final int BOOLEAN = 0x01;
    static final int STRING = 0x02;
    static final int OBJECT = 0x03;
    static final int NULL = 0x05;
    static final int UNDEFINED_MARKER = 0x06;
    static final int REFERENCE = 0x07;
    static final int ECMA_ARRAY = 0x08;
    static final int OBJECT_END = 0x09;
    static final int STRICT_ARRAY = 0x0A;
    static final int DATE = 0x0B;
    static final int LONG_STRING = 0x0C;
    static final int UNSUPPORTED = 0x0D;
    static final int XML_DOCUMENT = 0x0F;
    static final int TYPED_OBJECT = 0x10;
    static final int AVMPLUS = 0x11;

    /** The AMF undefined value; its only instance is {@link Amf0#UNDEFINED}. */
    public enum Undefined {
        /** The undefined value. */
        INSTANCE;

        @Override
        public String toString() {
            return "undefined";
        }
    }

    private Amf0() {
    }

    /**
     * Appends one value. When it throws, {@code out} may hold part of the value: write into a
     * buffer you can discard.
     *
     * @param out where to write
     * @param value a value of the Java mapping described on this class
     * @throws IllegalArgumentException when the value (or a nested one) has no AMF0 form, a key
     *         is longer than 65535 UTF-8 bytes, or nesting exceeds {@value #MAX_DEPTH}
     */
    public static void encode(ByteBuf out, Object value) {
        encode(out, value, 0);
    }

    /**
     * Appends values one after the other, as in an RTMP command message.
     *
     * @param out where to write
     * @param values the values
     * @throws IllegalArgumentException as {@link #encode(ByteBuf, Object)}
     */
    public static void encodeAll(ByteBuf out, Object... values) {
        encodeAll(out, Arrays.asList(values));
    }

    /**
     * Appends values one after the other, as in an RTMP command message.
     *
     * @param out where to write
     * @param values the values
     * @throws IllegalArgumentException as {@link #encode(ByteBuf, Object)}
     */
    public static void encodeAll(ByteBuf out, List<?> values) {
        for (Object value : values) {
            encode(out, value, 0);
        }
    }

    /**
     * Reads one value from the reader index on.
     *
     * @param in the bytes; its reader index advances past the value (on failure it is left
     *        somewhere inside the bad value)
     * @return the value
     * @throws CodecException when the bytes are not a well-formed AMF0 value
     */
    public static Object decode(ByteBuf in) {
        return new AmfReader(in).readValueTranslated();
    }

    /**
     * Reads values until no readable bytes remain, sharing one reference table.
     *
     * @param in the bytes; its reader index advances to the writer index on success
     * @return the values, in order (may contain {@code null}s)
     * @throws CodecException when the bytes are not a sequence of well-formed AMF0 values
     */
    public static List<Object> decodeAll(ByteBuf in) {
        AmfReader reader = new AmfReader(in);
        List<Object> values = new ArrayList<>();
        while (in.isReadable()) {
            values.add(reader.readValueTranslated());
        }
        return values;
    }

    private static void encode(ByteBuf out, Object value, int depth) {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value == UNDEFINED) {
            out.writeByte(UNDEFINED_MARKER);
        } else if (value instanceof Number n) {
            out.writeByte(NUMBER);
            out.writeDouble(n.doubleValue());
        } else if (value instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeByte(b ? 1 : 0);
        } else if (value instanceof CharSequence cs) {
            writeString(out, cs.toString());
        } else if (value instanceof AmfEcmaArray array) {
            checkDepth(depth);
            out.writeByte(ECMA_ARRAY);
            out.writeInt(array.size());
            writeProperties(out, array, depth);
        } else if (value instanceof Map<?, ?> map) {
            checkDepth(depth);
            out.writeByte(OBJECT);
            writeProperties(out, map, depth);
        } else if (value instanceof List<?> list) {
            checkDepth(depth);
            out.writeByte(STRICT_ARRAY);
            out.writeInt(list.size());
            for (Object element : list) {
                encode(out, element, depth + 1);
            }
        } else if (value instanceof Object[] array) {
            encode(out, Arrays.asList(array), depth);
        } else if (value instanceof AmfDate date) {
            out.writeByte(DATE);
            out.writeDouble(date.epochMillis());
            out.writeShort(date.timeZone());
        } else if (value instanceof AmfXml xml) {
            byte[] utf8 = xml.xml().getBytes(StandardCharsets.UTF_8);
            out.writeByte(XML_DOCUMENT);
            out.writeInt(utf8.length);
            out.writeBytes(utf8);
        } else {
            throw new IllegalArgumentException("no AMF0 encoding for " + value.getClass().getName());
        }
    }

    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("AMF nesting deeper than " + MAX_DEPTH + " (or a cycle)");
        }
    }

    private static void writeString(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > 0xFFFF) {
            out.writeByte(LONG_STRING);
            out.writeInt(length);
        } else {
            out.writeByte(STRING);
            out.writeShort(length);
        }
        out.writeCharSequence(s, StandardCharsets.UTF_8);
    }

    private static void writeProperties(ByteBuf out, Map<?, ?> map, int depth) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("AMF0 object keys must be strings, got "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
            }
            int length = ByteBufUtil.utf8Bytes(key);
            if (length > 0xFFFF) {
                throw new IllegalArgumentException("AMF0 object key of " + length + " UTF-8 bytes exceeds 65535");
            }
            out.writeShort(length);
            out.writeCharSequence(key, StandardCharsets.UTF_8);
            encode(out, e.getValue(), depth + 1);
        }
        out.writeShort(0);
        out.writeByte(OBJECT_END);
    }
}
