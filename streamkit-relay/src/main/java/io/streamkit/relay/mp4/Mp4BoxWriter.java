package io.streamkit.relay.mp4;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes ISO BMFF boxes into a {@link ByteBuf}: {@link #start(String)} and
 * {@link #startFull(String, int, int)} open a box with a placeholder size, {@link #end()} closes
 * the innermost open box and back-patches its 32-bit size. Boxes nest to any depth; fields are
 * big-endian as everywhere in ISO/IEC 14496-12.
 *
 * <p>The writer appends at the buffer's writer index and does not own the buffer: the caller
 * allocates and releases it. Not thread-safe.
 */
public final class Mp4BoxWriter {
    private static final int MAX_DEPTH = 32;

    private final ByteBuf buf;
    private final int[] starts = new int[MAX_DEPTH];
    private int depth;

    /** @param buf the buffer to append to */
    public Mp4BoxWriter(ByteBuf buf) {
        this.buf = Objects.requireNonNull(buf, "buf");
    }

    /** @return the buffer written to */
    public ByteBuf buffer() {
        return buf;
    }

    /** @return the number of boxes opened and not yet ended */
    public int depth() {
        return depth;
    }

    /**
     * Opens a box.
     *
     * @param type the four-character box type
     * @return this writer
     */
    public Mp4BoxWriter start(String type) {
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("boxes nested deeper than " + MAX_DEPTH);
        }
        starts[depth++] = buf.writerIndex();
        buf.writeInt(0);
        return fourCc(type);
    }

    /**
     * Opens a full box (a box with version and flags).
     *
     * @param type the four-character box type
     * @param version the version, 0 to 255
     * @param flags the 24-bit flags
     * @return this writer
     */
    public Mp4BoxWriter startFull(String type, int version, int flags) {
        start(type);
        buf.writeInt((version << 24) | (flags & 0xFFFFFF));
        return this;
    }

    /**
     * Closes the innermost open box, writing its size.
     *
     * @return this writer
     * @throws IllegalStateException when no box is open
     */
    public Mp4BoxWriter end() {
        if (depth == 0) {
            throw new IllegalStateException("no box is open");
        }
        int start = starts[--depth];
        buf.setInt(start, buf.writerIndex() - start);
        return this;
    }

    /**
     * @param value a byte
     * @return this writer
     */
    public Mp4BoxWriter u8(int value) {
        buf.writeByte(value);
        return this;
    }

    /**
     * @param value a 16-bit value
     * @return this writer
     */
    public Mp4BoxWriter u16(int value) {
        buf.writeShort(value);
        return this;
    }

    /**
     * @param value a 24-bit value
     * @return this writer
     */
    public Mp4BoxWriter u24(int value) {
        buf.writeMedium(value);
        return this;
    }

    /**
     * @param value a 32-bit value (the low 32 bits)
     * @return this writer
     */
    public Mp4BoxWriter u32(long value) {
        buf.writeInt((int) value);
        return this;
    }

    /**
     * @param value a 64-bit value
     * @return this writer
     */
    public Mp4BoxWriter u64(long value) {
        buf.writeLong(value);
        return this;
    }

    /**
     * @param count how many zero bytes
     * @return this writer
     */
    public Mp4BoxWriter zeros(int count) {
        buf.writeZero(count);
        return this;
    }

    /**
     * @param bytes bytes to append
     * @return this writer
     */
    public Mp4BoxWriter bytes(byte[] bytes) {
        buf.writeBytes(bytes);
        return this;
    }

    /**
     * @param type a four-character code, written as four ISO-8859-1 bytes
     * @return this writer
     */
    public Mp4BoxWriter fourCc(String type) {
        if (type.length() != 4) {
            throw new IllegalArgumentException("a four-character code has 4 characters: '" + type + "'");
        }
        buf.writeCharSequence(type, StandardCharsets.ISO_8859_1);
        return this;
    }

    /**
     * Writes the unity transformation matrix of {@code mvhd} and {@code tkhd}.
     *
     * @return this writer
     */
    public Mp4BoxWriter unityMatrix() {
        int[] matrix = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};
        for (int m : matrix) {
            buf.writeInt(m);
        }
        return this;
    }

    /** @return the current write position, for {@link #patchU32(int, long)} */
    public int position() {
        return buf.writerIndex();
    }

    /**
     * Overwrites a 32-bit field written earlier (for example a {@code trun} data offset).
     *
     * @param position the field's position, from {@link #position()}
     * @param value the value
     * @return this writer
     */
    public Mp4BoxWriter patchU32(int position, long value) {
        buf.setInt(position, (int) value);
        return this;
    }
}
