package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A source description (SDES): per SSRC, a list of items such as the CNAME.
 *
 * @param chunks up to 31 chunks
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.5">RFC 3550 §6.5</a>
 */
public record SourceDescription(List<Chunk> chunks) implements RtcpPacket {
    /** Item type of the canonical name. */
    public static final int CNAME = 1;
    /** Item type of the user name. */
    public static final int NAME = 2;
    /** Item type of the private extension item. */
    public static final int PRIV = 8;

    /** Validates the chunk count and freezes the list. */
    public SourceDescription {
        chunks = List.copyOf(chunks);
        Rtcp.checkCount(chunks.size(), "SDES chunks");
    }

    /**
     * One SSRC and its items.
     *
     * @param ssrc the source described
     * @param items its items (type 1..255, value up to 255 UTF-8 bytes)
     */
    public record Chunk(long ssrc, List<Item> items) {
        /** Validates the SSRC and freezes the list. */
        public Chunk {
            Rtcp.checkU32(ssrc, "ssrc");
            items = List.copyOf(items);
        }

        int encodedLength() {
            int n = 4;
            for (Item item : items) {
                n += 2 + item.bytes().length;
            }
            return Rtcp.pad4(n + 1); // at least one terminating zero
        }
    }

    /**
     * One SDES item.
     *
     * @param type item type, 1..255 ({@link #CNAME}, ...)
     * @param value the text, at most 255 bytes in UTF-8
     */
    public record Item(int type, String value) {
        /** Validates the type and the encoded length. */
        public Item {
            Rtcp.checkRange(type, 1, 255, "SDES item type");
            Rtcp.text(value, "SDES item");
        }

        byte[] bytes() {
            return value.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * @param ssrc the source
     * @param cname its canonical name
     * @return an SDES with one chunk holding only the CNAME
     */
    public static SourceDescription cname(long ssrc, String cname) {
        return new SourceDescription(List.of(new Chunk(ssrc, List.of(new Item(CNAME, cname)))));
    }

    /**
     * @param ssrc a source
     * @return the CNAME given for it in this packet, or {@code null}
     */
    public String cnameOf(long ssrc) {
        for (Chunk chunk : chunks) {
            if (chunk.ssrc() == ssrc) {
                for (Item item : chunk.items()) {
                    if (item.type() == CNAME) {
                        return item.value();
                    }
                }
            }
        }
        return null;
    }

    static SourceDescription read(ByteBuf buf, int index, int count, int bodyLength) {
        int end = index + bodyLength;
        int p = index;
        List<Chunk> chunks = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            if (p + 4 > end) {
                throw Rtcp.error("SDES", "chunk " + c + " of " + count + " has no room for its SSRC");
            }
            long ssrc = buf.getUnsignedInt(p);
            p += 4;
            List<Item> items = new ArrayList<>();
            while (true) {
                if (p >= end) {
                    throw Rtcp.error("SDES", "chunk " + c + " (ssrc " + ssrc + ") ends without its null item");
                }
                int type = buf.getUnsignedByte(p);
                if (type == 0) {
                    // the terminating null octets run to the next 32-bit boundary
                    p = index + Rtcp.pad4(p - index + 1);
                    if (p > end) {
                        throw Rtcp.error("SDES", "chunk " + c + " padding runs past the packet");
                    }
                    break;
                }
                if (p + 2 > end) {
                    throw Rtcp.error("SDES", "item type " + type + " has no length byte");
                }
                int len = buf.getUnsignedByte(p + 1);
                if (p + 2 + len > end) {
                    throw Rtcp.error("SDES", "item type " + type + " of " + len + " bytes runs past the packet");
                }
                items.add(new Item(type, Rtcp.utf8(buf, p + 2, len, "SDES", "item type " + type)));
                p += 2 + len;
            }
            chunks.add(new Chunk(ssrc, items));
        }
        return new SourceDescription(chunks);
    }

    @Override
    public int packetType() {
        return SDES;
    }

    @Override
    public int encodedLength() {
        int n = Rtcp.HEADER_LENGTH;
        for (Chunk chunk : chunks) {
            n += chunk.encodedLength();
        }
        return n;
    }

    @Override
    public void writeTo(ByteBuf out) {
        Rtcp.writeHeader(out, chunks.size(), SDES, encodedLength());
        for (Chunk chunk : chunks) {
            int start = out.writerIndex();
            out.writeInt((int) chunk.ssrc());
            for (Item item : chunk.items()) {
                byte[] bytes = item.bytes();
                out.writeByte(item.type());
                out.writeByte(bytes.length);
                out.writeBytes(bytes);
            }
            out.writeZero(chunk.encodedLength() - (out.writerIndex() - start));
        }
    }
}
