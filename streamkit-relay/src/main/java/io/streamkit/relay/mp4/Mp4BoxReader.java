package io.streamkit.relay.mp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.api.CodecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses ISO BMFF box trees (ISO/IEC 14496-12 4.2): 32-bit sizes, 64-bit {@code largesize},
 * size 0 ("to the end of the file") for the last top-level box, and {@code uuid} user types.
 * Known container boxes ({@code moov}, {@code trak}, {@code moof}, {@code traf}, {@code stbl},
 * ...) are parsed into children, as are the sample descriptions in {@code stsd}, the entries of
 * {@code dref} and the boxes inside the visual and audio sample entries ({@code avc1},
 * {@code hvc1}, {@code mp4a}, {@code Opus}) after their fixed fields; every other box keeps its
 * body as raw payload.
 *
 * <p>Malformed input (a size smaller than its header or larger than what its parent holds,
 * children that do not fill their parent, nesting deeper than {@value #MAX_DEPTH} levels) throws a
 * {@link CodecException} naming the box and its offset, never another exception. Nothing is
 * allocated beyond the input's own size.
 */
public final class Mp4BoxReader {
    /** Nesting levels parsed at most; deeper input is rejected. */
    public static final int MAX_DEPTH = 16;

    /** Container boxes and the bytes of fixed fields before their first child. */
    private static final Map<String, Integer> PRELUDES = Map.ofEntries(Map.entry("moov", 0), Map.entry("trak", 0),
            Map.entry("mdia", 0), Map.entry("minf", 0), Map.entry("dinf", 0), Map.entry("stbl", 0), Map.entry(
                    "mvex", 0),
            Map.entry("moof", 0), Map.entry("traf", 0), Map.entry("edts", 0), Map.entry("mfra",
                    0),
            Map.entry("sinf", 0), Map.entry("schi", 0), Map.entry("stsd", 8), Map.entry("dref",
                    8),
            Map.entry("avc1", 78), Map.entry("avc3", 78), Map.entry("hvc1", 78), Map
                    .entry("hev1", 78),
            Map.entry("encv", 78), Map.entry("mp4a", 28), Map
                    .entry("Opus", 28),
            Map.entry("enca", 28));

    /**
     * The header of one box, read without its body (see {@link #readHeader(FileChannel, long)}).
     *
     * @param type the four-character type
     * @param offset the position of the box's first byte
     * @param size the whole box size, header included
     * @param headerSize the header size
     */
    public record Header(String type, long offset, long size, int headerSize) {
        /** @return the position just after the box */
        public long end() {
            return offset + size;
        }

        /** @return the position of the first body byte */
        public long bodyOffset() {
            return offset + headerSize;
        }
    }

    private Mp4BoxReader() {
    }

    /**
     * Parses a sequence of top-level boxes.
     *
     * @param bytes the input
     * @return the boxes in order
     * @throws CodecException when the input is not a well-formed box sequence
     */
    public static List<Mp4Box> parse(byte[] bytes) {
        return parse(Unpooled.wrappedBuffer(bytes));
    }

    /**
     * Parses a sequence of top-level boxes from the readable bytes of a buffer; offsets in the
     * result count from the reader index. The buffer is neither modified nor released.
     *
     * @param buf the input
     * @return the boxes in order
     * @throws CodecException when the input is not a well-formed box sequence
     */
    public static List<Mp4Box> parse(ByteBuf buf) {
        return parseSequence(buf, buf.readerIndex(), buf.readerIndex(), buf.writerIndex(), 0, null);
    }

    /**
     * Parses exactly one box that fills the readable bytes of a buffer (for example a
     * {@code moof} read from a file); offsets in the result count from {@code baseOffset}.
     *
     * @param buf the input, neither modified nor released
     * @param baseOffset the offset to report for the buffer's reader index
     * @return the box
     * @throws CodecException when the input is not exactly one well-formed box
     */
    public static Mp4Box parseOne(ByteBuf buf, long baseOffset) {
        List<Mp4Box> boxes = parse(buf);
        if (boxes.size() != 1) {
            throw new CodecException("expected one box at offset " + baseOffset + ", found " + boxes.size());
        }
        return rebase(boxes.get(0), baseOffset);
    }

    private static Mp4Box rebase(Mp4Box box, long base) {
        if (base == 0) {
            return box;
        }
        List<Mp4Box> children = new ArrayList<>(box.children().size());
        for (Mp4Box c : box.children()) {
            children.add(rebase(c, base));
        }
        return new Mp4Box(box.type(), box.offset() + base, box.size(), box.headerSize(), children, box
                .payloadBytes());
    }

    private static List<Mp4Box> parseSequence(ByteBuf buf, int origin, int from, int to, int depth, String parent) {
        if (depth >= MAX_DEPTH) {
            throw new CodecException("boxes nested deeper than " + MAX_DEPTH + " levels at offset " + (from
                    - origin) + " (inside '" + parent + "')");
        }
        List<Mp4Box> boxes = new ArrayList<>();
        int pos = from;
        while (pos < to) {
            int remaining = to - pos;
            long offset = pos - origin;
            String where = parent == null ? "at top level" : "inside '" + parent + "'";
            if (remaining < 8) {
                throw new CodecException(remaining + " trailing bytes at offset " + offset + " " + where
                        + " are too few for a box header");
            }
            long size = buf.getUnsignedInt(pos);
            String type = buf.toString(pos + 4, 4, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                if (remaining < 16) {
                    throw new CodecException("box '" + type + "' at offset " + offset + " " + where
                            + " is truncated in its 64-bit size");
                }
                size = buf.getLong(pos + 8);
                header = 16;
            } else if (size == 0) {
                if (parent != null) {
                    throw new CodecException("box '" + type + "' at offset " + offset + " " + where
                            + " has size 0, which only a top-level box may have");
                }
                size = remaining;
            }
            if (type.equals("uuid")) {
                header += 16;
            }
            if (size < header) {
                throw new CodecException("box '" + type + "' at offset " + offset + " " + where + " declares "
                        + Long.toUnsignedString(size) + " bytes, less than its " + header + "-byte header");
            }
            if (size > remaining) {
                throw new CodecException("box '" + type + "' at offset " + offset + " " + where + " declares " + size
                        + " bytes but only " + remaining + " remain");
            }
            int end = pos + (int) size;
            Integer prelude = PRELUDES.get(type);
            List<Mp4Box> children = List.of();
            byte[] payload;
            int bodyStart = pos + header;
            if (prelude != null) {
                if (end - bodyStart < prelude) {
                    throw new CodecException("box '" + type + "' at offset " + offset + " " + where + " has "
                            + (end - bodyStart) + " body bytes, fewer than its " + prelude + " bytes of fields");
                }
                payload = new byte[prelude];
                buf.getBytes(bodyStart, payload);
                children = parseSequence(buf, origin, bodyStart + prelude, end, depth + 1, type);
            } else {
                payload = new byte[end - bodyStart];
                buf.getBytes(bodyStart, payload);
            }
            boxes.add(new Mp4Box(type, offset, size, header, children, payload));
            pos = end;
        }
        return boxes;
    }

    /**
     * Reads the header of the box at a position of a file without reading its body.
     *
     * @param channel the file
     * @param position where the box starts
     * @return the header, or {@code null} when fewer bytes than a box header remain
     * @throws CodecException when the size field is smaller than the header
     * @throws UncheckedIOException when reading fails
     */
    public static Header readHeader(FileChannel channel, long position) {
        try {
            long fileSize = channel.size();
            if (fileSize - position < 8) {
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate(16);
            b.limit((int) Math.min(16, fileSize - position));
            while (b.hasRemaining()) {
                if (channel.read(b, position + b.position()) < 0) {
                    break;
                }
            }
            b.flip();
            if (b.remaining() < 8) {
                return null;
            }
            long size = b.getInt(0) & 0xFFFFFFFFL;
            byte[] t = new byte[4];
            b.get(4, t);
            String type = new String(t, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                if (b.remaining() < 16) {
                    return null;
                }
                size = b.getLong(8);
                header = 16;
            } else if (size == 0) {
                size = fileSize - position;
            }
            if (type.equals("uuid")) {
                header += 16;
            }
            if (size < header) {
                throw new CodecException("box '" + type + "' at offset " + position + " declares " + Long
                        .toUnsignedString(size) + " bytes, less than its " + header + "-byte header");
            }
            return new Header(type, position, size, header);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a box header at offset " + position, e);
        }
    }

    /**
     * Lists the top-level boxes of a file by their headers, stopping before a box that extends
     * past the end of the file (a truncated last box) or trailing bytes too few for a header.
     *
     * @param channel the file
     * @return the complete top-level boxes in order
     * @throws CodecException when a size field is smaller than its header
     * @throws UncheckedIOException when reading fails
     */
    public static List<Header> topLevel(FileChannel channel) {
        try {
            long fileSize = channel.size();
            List<Header> out = new ArrayList<>();
            long pos = 0;
            while (pos < fileSize) {
                Header h = readHeader(channel, pos);
                if (h == null || h.end() > fileSize || h.end() < pos) {
                    break;
                }
                out.add(h);
                pos = h.end();
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of a file", e);
        }
    }
}
