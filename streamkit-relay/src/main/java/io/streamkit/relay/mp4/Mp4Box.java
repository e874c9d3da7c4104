package io.streamkit.relay.mp4;

import io.streamkit.api.CodecException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One parsed ISO BMFF box, as produced by {@link Mp4BoxReader}: its type, where it is, its size,
 * its child boxes (for container boxes) and the bytes of its body that are not children (all of
 * it for leaf boxes; the fixed fields before the children for boxes such as {@code stsd} or
 * {@code avc1}). Immutable.
 */
public final class Mp4Box {
    private final String type;
    private final long offset;
    private final long size;
    private final int headerSize;
    private final List<Mp4Box> children;
    private final byte[] payload;

    Mp4Box(String type, long offset, long size, int headerSize, List<Mp4Box> children, byte[] payload) {
        this.type = type;
        this.offset = offset;
        this.size = size;
        this.headerSize = headerSize;
        this.children = List.copyOf(children);
        this.payload = payload;
    }

    /** @return the four-character type */
    public String type() {
        return type;
    }

    /** @return the offset of the box's first byte from the start of the parsed input */
    public long offset() {
        return offset;
    }

    /** @return the whole box size in bytes, header included */
    public long size() {
        return size;
    }

    /** @return the header size: 8, 16 with a 64-bit size, plus 16 for {@code uuid} boxes */
    public int headerSize() {
        return headerSize;
    }

    /** @return the offset of the first body byte from the start of the parsed input */
    public long bodyOffset() {
        return offset + headerSize;
    }

    /** @return the child boxes in order; empty for leaf boxes */
    public List<Mp4Box> children() {
        return children;
    }

    /** @return a read-only view of the body bytes that are not child boxes */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** @return a copy of the body bytes that are not child boxes */
    public byte[] payloadBytes() {
        return payload.clone();
    }

    /** @return the number of body bytes that are not child boxes */
    public int payloadLength() {
        return payload.length;
    }

    /**
     * @param childType a box type
     * @return the children of that type, in order
     */
    public List<Mp4Box> children(String childType) {
        List<Mp4Box> out = new ArrayList<>();
        for (Mp4Box c : children) {
            if (c.type.equals(childType)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Follows a path of child types, taking the first match at each step.
     *
     * @param path child types separated by {@code /}, for example {@code "mdia/minf/stbl"}
     * @return the box at the end of the path
     * @throws CodecException when a box on the path is missing
     */
    public Mp4Box find(String path) {
        Mp4Box box = this;
        for (String step : path.split("/")) {
            Mp4Box next = null;
            for (Mp4Box c : box.children) {
                if (c.type.equals(step)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                throw new CodecException("box '" + box.type + "' at offset " + box.offset + " has no '" + step
                        + "' child (looking for " + path + ")");
            }
            box = next;
        }
        return box;
    }

    /**
     * @param path as for {@link #find(String)}
     * @return whether the path exists
     */
    public boolean has(String path) {
        Mp4Box box = this;
        for (String step : path.split("/")) {
            Mp4Box next = null;
            for (Mp4Box c : box.children) {
                if (c.type.equals(step)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                return false;
            }
            box = next;
        }
        return true;
    }

    /**
     * @return the version of a full box (the first payload byte)
     * @throws CodecException when the payload is empty
     */
    public int version() {
        if (payload.length < 4) {
            throw new CodecException("box '" + type + "' at offset " + offset + " is too short for a full box");
        }
        return payload[0] & 0xFF;
    }

    /**
     * @return the 24-bit flags of a full box
     * @throws CodecException when the payload is shorter than 4 bytes
     */
    public int flags() {
        version();
        return ((payload[1] & 0xFF) << 16) | ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mp4Box b && b.type.equals(type) && b.offset == offset && b.size == size
                && b.headerSize == headerSize && b.children.equals(children) && java.util.Arrays.equals(b.payload,
                        payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, offset, size);
    }

    @Override
    public String toString() {
        return "Mp4Box['" + type + "' @" + offset + ", " + size + " bytes" + (children.isEmpty()
                ? ""
                : ", " + children.size() + " children") + "]";
    }
}
