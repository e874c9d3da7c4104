package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A generic NACK: the receiver lists the RTP sequence numbers it is missing, each item naming one
 * packet (PID) and a bitmask of the 16 following ones (BLP).
 *
 * @param senderSsrc the SSRC of the packet's sender
 * @param mediaSsrc the media source whose packets are missing
 * @param items one or more (PID, BLP) items
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1">RFC 4585 §6.2.1</a>
 */
public record GenericNack(long senderSsrc, long mediaSsrc, List<Item> items) implements RtcpPacket {
    /** The most items one packet may hold here (a 16-bit length allows a little more). */
    public static final int MAX_ITEMS = 16_000;

    /** Validates the SSRCs and the item count, and freezes the list. */
    public GenericNack {
        Rtcp.checkU32(senderSsrc, "sender ssrc");
        Rtcp.checkU32(mediaSsrc, "media ssrc");
        items = List.copyOf(items);
        if (items.isEmpty() || items.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("NACK with " + items.size() + " items, expected 1.." + MAX_ITEMS);
        }
    }

    /**
     * One NACK item.
     *
     * @param packetId the first lost sequence number (PID)
     * @param lostBitmask bit i set: sequence number PID + i + 1 is lost too (BLP)
     */
    public record Item(int packetId, int lostBitmask) {
        /** Validates the 16-bit ranges. */
        public Item {
            Rtcp.checkRange(packetId, 0, 0xFFFF, "NACK PID");
            Rtcp.checkRange(lostBitmask, 0, 0xFFFF, "NACK BLP");
        }
    }

    /**
     * @param senderSsrc the requester
     * @param mediaSsrc the media source
     * @param sequenceNumbers the missing sequence numbers, ideally in ascending (circular) order
     * @return the NACK with the sequence numbers compressed into items
     */
    public static GenericNack of(long senderSsrc, long mediaSsrc, int... sequenceNumbers) {
        return new GenericNack(senderSsrc, mediaSsrc, compress(sequenceNumbers));
    }

    /**
     * Compresses sequence numbers into items: each number that falls within the 16 after the
     * current item's PID (modulo 2^16) becomes a bit of its BLP, any other starts a new item.
     * Sequence numbers in ascending circular order give the fewest items and expand back to the same
     * list; duplicates are dropped.
     *
     * @param sequenceNumbers 16-bit sequence numbers
     * @return the items, in order
     * @throws IllegalArgumentException if a value is outside 0..65535
     */
    public static List<Item> compress(int... sequenceNumbers) {
        List<Item> out = new ArrayList<>();
        int pid = -1;
        int blp = 0;
        for (int seq : sequenceNumbers) {
            Rtcp.checkRange(seq, 0, 0xFFFF, "sequence number");
            if (pid >= 0) {
                int d = (seq - pid) & 0xFFFF;
                if (d == 0) {
                    continue;
                }
                if (d <= 16) {
                    blp |= 1 << (d - 1);
                    continue;
                }
                out.add(new Item(pid, blp));
            }
            pid = seq;
            blp = 0;
        }
        if (pid >= 0) {
            out.add(new Item(pid, blp));
        }
        return List.copyOf(out);
    }

    /**
     * Expands items into sequence numbers: per item its PID, then each bit set in its BLP.
     *
     * @param items NACK items
     * @return the sequence numbers, in item order
     */
    public static int[] expand(List<Item> items) {
        int n = 0;
        for (Item item : items) {
            n += 1 + Integer.bitCount(item.lostBitmask());
        }
        int[] out = new int[n];
        int k = 0;
        for (Item item : items) {
            out[k++] = item.packetId();
            for (int bit = 0; bit < 16; bit++) {
                if ((item.lostBitmask() & (1 << bit)) != 0) {
                    out[k++] = (item.packetId() + bit + 1) & 0xFFFF;
                }
            }
        }
        return out;
    }

    /** @return the missing sequence numbers this NACK lists */
    public int[] sequenceNumbers() {
        return expand(items);
    }

    static GenericNack read(ByteBuf buf, int index, int bodyLength) {
        int fci = bodyLength - 8;
        if (fci < 4) {
            throw Rtcp.error("NACK", "no feedback control information (" + bodyLength + "-byte body)");
        }
        int count = fci / 4;
        if (count > MAX_ITEMS) {
            throw Rtcp.error("NACK", count + " items, at most " + MAX_ITEMS + " accepted");
        }
        List<Item> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int p = index + 8 + 4 * i;
            items.add(new Item(buf.getUnsignedShort(p), buf.getUnsignedShort(p + 2)));
        }
        return new GenericNack(buf.getUnsignedInt(index), buf.getUnsignedInt(index + 4), items);
    }

    @Override
    public int packetType() {
        return RTPFB;
    }

    @Override
    public int encodedLength() {
        return 12 + 4 * items.size();
    }

    @Override
    public void writeTo(ByteBuf out) {
        Rtcp.writeHeader(out, FMT_NACK, RTPFB, encodedLength());
        out.writeInt((int) senderSsrc);
        out.writeInt((int) mediaSsrc);
        for (Item item : items) {
            out.writeShort(item.packetId());
            out.writeShort(item.lostBitmask());
        }
    }
}
