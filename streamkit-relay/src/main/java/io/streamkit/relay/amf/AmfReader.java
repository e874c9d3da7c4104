package io.streamkit.relay.amf;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The AMF0 decoder (with AMF3 behind the AVM+ marker) behind {@link Amf0}: one instance per
 * decode call, holding the reference tables and the nesting depth.
 */
final class AmfReader {
    /** Stands in the reference tables for an object whose members are still being read. */
    private static final Object IN_PROGRESS = new Object();

    private final ByteBuf in;
    private final int base;
    private final List<Object> references = new ArrayList<>();
    private int depth;

    AmfReader(ByteBuf in) {
        this.in = in;
        this.base = in.readerIndex();
    }

    Object readValueTranslated() {
        try {
            return readValue();
        } catch (IndexOutOfBoundsException e) {
            throw new CodecException("AMF data truncated at offset " + offset(), e);
        }
    }

    private int offset() {
        return in.readerIndex() - base;
    }

    private Object readValue() {
        int at = offset();
        int marker = in.readUnsignedByte();
        switch (marker) {
            case Amf0.NUMBER :
                return in.readDouble();
            case Amf0.BOOLEAN :
                return in.readUnsignedByte() != 0;
            case Amf0.STRING :
                return readUtf8(in.readUnsignedShort(), "AMF0 string");
            case Amf0.LONG_STRING :
                return readUtf8(in.readUnsignedInt(), "AMF0 long string");
            case Amf0.OBJECT :
                return readProperties(new AmfObject());
            case Amf0.TYPED_OBJECT :
                readUtf8(in.readUnsignedShort(), "AMF0 typed object class name");
                return readProperties(new AmfObject());
            case Amf0.ECMA_ARRAY :
                in.readUnsignedInt(); // count hint; the end marker is authoritative
                return readProperties(new AmfEcmaArray());
            case Amf0.NULL :
                return null;
            case Amf0.UNDEFINED_MARKER :
            case Amf0.UNSUPPORTED :
                return Amf0.UNDEFINED;
            case Amf0.REFERENCE :
                return resolve(references, in.readUnsignedShort(), "AMF0");
            case Amf0.STRICT_ARRAY :
                return readStrictArray();
            case Amf0.DATE :
                return new AmfDate(in.readDouble(), in.readShort());
            case Amf0.XML_DOCUMENT :
                return new AmfXml(readUtf8(in.readUnsignedInt(), "AMF0 XML document"));
            case Amf0.AVMPLUS :
                return new Amf3().readValue();
            default :
                throw new CodecException(String.format("unknown AMF0 type marker 0x%02x at offset %d", marker, at));
        }
    }

    private String readUtf8(long length, String what) {
        if (length > in.readableBytes()) {
            throw new CodecException(what + " of " + length + " bytes exceeds the " + in.readableBytes()
                    + " readable bytes at offset " + offset());
        }
        String s = in.toString(in.readerIndex(), (int) length, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return s;
    }

    private void enter() {
        if (++depth > Amf0.MAX_DEPTH) {
            throw new CodecException("AMF nesting deeper than " + Amf0.MAX_DEPTH + " at offset " + offset());
        }
    }

    private AmfObject readProperties(AmfObject target) {
        enter();
        int index = references.size();
        references.add(IN_PROGRESS);
        for (;;) {
            String key = readUtf8(in.readUnsignedShort(), "AMF0 property name");
            if (key.isEmpty() && in.getUnsignedByte(in.readerIndex()) == Amf0.OBJECT_END) {
                in.skipBytes(1);
                break;
            }
            target.put(key, readValue());
        }
        references.set(index, target);
        depth--;
        return target;
    }

    private List<Object> readStrictArray() {
        enter();
        long count = in.readUnsignedInt();
        if (count > in.readableBytes()) {
            throw new CodecException("AMF0 strict array of " + count + " elements exceeds the " + in.readableBytes()
                    + " readable bytes at offset " + offset());
        }
        int index = references.size();
        references.add(IN_PROGRESS);
        List<Object> list = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            list.add(readValue());
        }
        references.set(index, list);
        depth--;
        return list;
    }

    private Object resolve(List<Object> table, int index, String kind) {
        if (index >= table.size()) {
            throw new CodecException(kind + " reference " + index + " out of range (" + table.size()
                    + " objects) at offset " + offset());
        }
        Object target = table.get(index);
        if (target == IN_PROGRESS) {
            throw new CodecException(
                    kind + " reference " + index + " points to an object still being decoded at offset "
                            + offset());
        }
        return target;
    }

    /** Reads one AMF3 value, with fresh AMF3 reference tables. */
    private final class Amf3 {
        private static final int UNDEFINED = 0x00;
        private static final int NULL = 0x01;
        private static final int FALSE = 0x02;
        private static final int TRUE = 0x03;
        private static final int INTEGER = 0x04;
        private static final int DOUBLE = 0x05;
        private static final int STRING = 0x06;
        private static final int XML_DOC = 0x07;
        private static final int DATE = 0x08;
        private static final int ARRAY = 0x09;
        private static final int OBJECT = 0x0A;
        private static final int XML = 0x0B;
        private static final int BYTE_ARRAY = 0x0C;

        private final List<String> strings = new ArrayList<>();
        private final List<Object> objects = new ArrayList<>();
        private final List<Traits> traits = new ArrayList<>();

        Object readValue() {
            int at = offset();
            int marker = in.readUnsignedByte();
            switch (marker) {
                case UNDEFINED :
                    return Amf0.UNDEFINED;
                case NULL :
                    return null;
                case FALSE :
                    return Boolean.FALSE;
                case TRUE :
                    return Boolean.TRUE;
                case INTEGER :
                    return (readU29() << 3) >> 3;
                case DOUBLE :
                    return in.readDouble();
                case STRING :
                    return readString();
                case XML_DOC :
                case XML :
                    return readXml();
                case DATE :
                    return readDate();
                case ARRAY :
                    return readArray();
                case OBJECT :
                    return readObject();
                case BYTE_ARRAY :
                    return readByteArray();
                default :
                    throw new CodecException(String.format("unsupported AMF3 type marker 0x%02x at offset %d", marker,
                            at));
            }
        }

        /** @return an unsigned 29-bit integer in 1 to 4 bytes */
        int readU29() {
            int value = 0;
            for (int i = 0; i < 3; i++) {
                int b = in.readUnsignedByte();
                value = (value << 7) | (b & 0x7F);
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            return (value << 8) | in.readUnsignedByte();
        }

        String readString() {
            int header = readU29();
            if ((header & 1) == 0) {
                int index = header >> 1;
                if (index >= strings.size()) {
                    throw new CodecException("AMF3 string reference " + index + " out of range (" + strings.size()
                            + " strings) at offset " + offset());
                }
                return strings.get(index);
            }
            String s = readUtf8(header >> 1, "AMF3 string");
            if (!s.isEmpty()) {
                strings.add(s);
            }
            return s;
        }

        Object readXml() {
            int header = readU29();
            if ((header & 1) == 0) {
                return resolve(objects, header >> 1, "AMF3 object");
            }
            AmfXml xml = new AmfXml(readUtf8(header >> 1, "AMF3 XML"));
            objects.add(xml);
            return xml;
        }

        Object readDate() {
            int header = readU29();
            if ((header & 1) == 0) {
                return resolve(objects, header >> 1, "AMF3 object");
            }
            AmfDate date = new AmfDate(in.readDouble(), (short) 0);
            objects.add(date);
            return date;
        }

        Object readByteArray() {
            int header = readU29();
            if ((header & 1) == 0) {
                return resolve(objects, header >> 1, "AMF3 object");
            }
            int length = header >> 1;
            if (length > in.readableBytes()) {
                throw new CodecException("AMF3 byte array of " + length + " bytes exceeds the " + in.readableBytes()
                        + " readable bytes at offset " + offset());
            }
            byte[] bytes = new byte[length];
            in.readBytes(bytes);
            objects.add(bytes);
            return bytes;
        }

        Object readArray() {
            int header = readU29();
            if ((header & 1) == 0) {
                return resolve(objects, header >> 1, "AMF3 object");
            }
            enter();
            int denseCount = header >> 1;
            int index = objects.size();
            objects.add(IN_PROGRESS);
            AmfEcmaArray associative = new AmfEcmaArray();
            for (;;) {
                String key = readString();
                if (key.isEmpty()) {
                    break;
                }
                associative.put(key, readValue());
            }
            if (denseCount > in.readableBytes()) {
                throw new CodecException("AMF3 array of " + denseCount + " elements exceeds the " + in.readableBytes()
                        + " readable bytes at offset " + offset());
            }
            Object result;
            if (associative.isEmpty()) {
                List<Object> list = new ArrayList<>(denseCount);
                for (int i = 0; i < denseCount; i++) {
                    list.add(readValue());
                }
                result = list;
            } else {
                for (int i = 0; i < denseCount; i++) {
                    associative.put(Integer.toString(i), readValue());
                }
                result = associative;
            }
            objects.set(index, result);
            depth--;
            return result;
        }

        Object readObject() {
            int header = readU29();
            if ((header & 1) == 0) {
                return resolve(objects, header >> 1, "AMF3 object");
            }
            Traits t;
            if ((header & 2) == 0) {
                int index = header >> 2;
                if (index >= traits.size()) {
                    throw new CodecException("AMF3 traits reference " + index + " out of range (" + traits.size()
                            + " traits) at offset " + offset());
                }
                t = traits.get(index);
            } else {
                if ((header & 4) != 0) {
                    throw new CodecException("AMF3 externalizable objects are not supported (offset " + offset() + ")");
                }
                boolean dynamic = (header & 8) != 0;
                int sealedCount = header >> 4;
                readString(); // class name
                if (sealedCount > in.readableBytes()) {
                    throw new CodecException("AMF3 traits of " + sealedCount + " members exceed the "
                            + in.readableBytes() + " readable bytes at offset " + offset());
                }
                List<String> names = new ArrayList<>(sealedCount);
                for (int i = 0; i < sealedCount; i++) {
                    names.add(readString());
                }
                t = new Traits(dynamic, names);
                traits.add(t);
            }
            enter();
            int index = objects.size();
            objects.add(IN_PROGRESS);
            AmfObject object = new AmfObject();
            for (String name : t.sealed()) {
                object.put(name, readValue());
            }
            if (t.dynamic()) {
                for (;;) {
                    String key = readString();
                    if (key.isEmpty()) {
                        break;
                    }
                    object.put(key, readValue());
                }
            }
            objects.set(index, object);
            depth--;
            return object;
        }
    }

    private record Traits(boolean dynamic, List<String> sealed) {
    }
}
