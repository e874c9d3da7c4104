package io.streamkit.webrtc.srtp;

import io.netty.buffer.ByteBuf;

/**
 * Gives the ciphers a byte array holding a packet: the buffer's own array when it has one (heap
 * buffers, worked on in place), otherwise a reused copy that is written back afterwards (direct
 * and composite buffers). Not thread-safe.
 */
final class WorkBuffer {
    private byte[] copy = new byte[2048];
    private boolean copied;
    /** The array holding the packet after {@link #open}. */
    byte[] array;
    /** Where the packet starts in {@link #array}. */
    int offset;

    /**
     * @param packet the packet, whose capacity already covers {@code start + capacity}
     * @param start its first byte
     * @param length its current length
     * @param capacity the bytes the ciphers may write from {@code start}
     */
    void open(ByteBuf packet, int start, int length, int capacity) {
        if (packet.hasArray()) {
            copied = false;
            array = packet.array();
            offset = packet.arrayOffset() + start;
            return;
        }
        if (copy.length < capacity) {
            copy = new byte[Math.max(capacity, Math.min(2 * copy.length, PacketCipher.MAX_PACKET))];
        }
        packet.getBytes(start, copy, 0, length);
        copied = true;
        array = copy;
        offset = 0;
    }

    /** Writes {@code [from, to)} (relative to the packet start) back when working on a copy. */
    void close(ByteBuf packet, int start, int from, int to) {
        if (copied) {
            packet.setBytes(start + from, copy, from, to - from);
        }
        array = null;
    }
}
