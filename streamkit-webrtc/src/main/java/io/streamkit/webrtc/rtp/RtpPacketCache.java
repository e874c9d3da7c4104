package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The packets a publisher sent recently, per SSRC, so that a subscriber's NACK can be answered with
 * a retransmission. Each SSRC has a ring of {@code capacity} slots indexed by sequence number; a
 * new packet evicts (and releases) the one {@code capacity} sequence numbers before it, and a
 * packet older than {@code maxAge} is no longer served.
 *
 * <p>Ownership: {@link #put(RtpPacket, long)} stores a <em>copy</em> of the packet, allocated from
 * the cache's allocator, because forwarding rewrites headers in place and SRTP encrypts in place,
 * so a retained slice of the received buffer would later hold another subscriber's bytes.
 * {@link #adopt(ByteBuf, long)} takes over a buffer the caller promises never to modify again (for
 * example a fresh copy made elsewhere) without copying. The cache releases what it evicts, what it
 * refuses and, on {@link #close()}, everything. {@link #get(long, int, long)} returns a retained
 * duplicate that the caller releases.
 *
 * <p>Memory is bounded by {@code capacity × maxSsrcs} packets. Thread-safe (the publisher's and
 * the subscribers' event loops may differ).
 */
public final class RtpPacketCache implements AutoCloseable {
    private final ByteBufAllocator alloc;
    private final int capacity;
    private final long maxAgeNanos;
    private final int maxSsrcs;
    private final Map<Long, Ring> rings = new HashMap<>();
    private boolean closed;
    private long refused;

    /**
     * @param alloc allocator of the copies
     * @param capacity slots per SSRC, a power of two from 1 to 32,768 (512 holds about a second of
     *        2.5 Mbit/s video)
     * @param maxAge how long a packet may be served after it was stored
     * @param maxSsrcs how many SSRCs the cache holds at most; packets of further SSRCs are refused
     */
    public RtpPacketCache(ByteBufAllocator alloc, int capacity, Duration maxAge, int maxSsrcs) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        if (capacity < 1 || capacity > 32_768 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a power of two in 1..32768");
        }
        if (maxAge.isNegative() || maxSsrcs < 1) {
            throw new IllegalArgumentException("max age " + maxAge + ", max SSRCs " + maxSsrcs);
        }
        this.capacity = capacity;
        this.maxAgeNanos = maxAge.toNanos();
        this.maxSsrcs = maxSsrcs;
    }

    private static final class Ring {
        final ByteBuf[] packets;
        final int[] sequenceNumbers;
        final long[] storedAt;
        int size;

        Ring(int capacity) {
            packets = new ByteBuf[capacity];
            sequenceNumbers = new int[capacity];
            storedAt = new long[capacity];
        }

        void clear() {
            for (int i = 0; i < packets.length; i++) {
                if (packets[i] != null) {
                    packets[i].release();
                    packets[i] = null;
                }
            }
            size = 0;
        }
    }

    /**
     * Stores a copy of a packet.
     *
     * @param packet the packet as received (after SRTP decryption); its buffer is not retained
     * @param nowNanos the current {@link System#nanoTime()}
     * @return whether the packet was stored (false: a duplicate, older than the packet holding its
     *         slot, an SSRC beyond the limit, or the cache is closed)
     */
    public boolean put(RtpPacket packet, long nowNanos) {
        synchronized (this) {
            if (!accepts(packet.ssrc(), packet.sequenceNumber(), nowNanos)) {
                refused++;
                return false;
            }
        }
        ByteBuf copy = alloc.buffer(packet.length());
        copy.writeBytes(packet.buffer(), packet.offset(), packet.length());
        return adopt(copy, nowNanos);
    }

    /**
     * Stores a buffer holding exactly one RTP packet (its readable bytes), taking ownership of it:
     * the cache releases it when evicted, when refused, or on close.
     *
     * @param packet the buffer, which nobody may modify any more
     * @param nowNanos the current {@link System#nanoTime()}
     * @return whether the packet was stored (when false, it was released)
     * @throws RtpException if the buffer is not an RTP packet (it is released)
     */
    public boolean adopt(ByteBuf packet, long nowNanos) {
        long ssrc;
        int seq;
        try {
            RtpPacket view = RtpPacket.parse(packet);
            ssrc = view.ssrc();
            seq = view.sequenceNumber();
        } catch (RuntimeException e) {
            packet.release();
            throw e;
        }
        synchronized (this) {
            if (!accepts(ssrc, seq, nowNanos)) {
                refused++;
                packet.release();
                return false;
            }
            Ring ring = rings.computeIfAbsent(ssrc, k -> new Ring(capacity));
            int slot = seq & (capacity - 1);
            if (ring.packets[slot] != null) {
                ring.packets[slot].release();
            } else {
                ring.size++;
            }
            ring.packets[slot] = packet;
            ring.sequenceNumbers[slot] = seq;
            ring.storedAt[slot] = nowNanos;
            return true;
        }
    }

    private boolean accepts(long ssrc, int seq, long nowNanos) {
        if (closed) {
            return false;
        }
        Ring ring = rings.get(ssrc);
        if (ring == null) {
            return rings.size() < maxSsrcs;
        }
        int slot = seq & (capacity - 1);
        if (ring.packets[slot] == null || nowNanos - ring.storedAt[slot] > maxAgeNanos) {
            return true;
        }
        // keep the newer of the two packets that share a slot; a duplicate changes nothing
        return (short) (seq - ring.sequenceNumbers[slot]) > 0;
    }

    /**
     * Looks a packet up for retransmission.
     *
     * @param ssrc the publisher's SSRC
     * @param sequenceNumber the sequence number asked for
     * @param nowNanos the current {@link System#nanoTime()}
     * @return a retained duplicate of the stored packet, which the caller releases, or {@code null}
     *         if it is not (or no longer) held
     */
    public synchronized ByteBuf get(long ssrc, int sequenceNumber, long nowNanos) {
        Ring ring = rings.get(ssrc);
        if (ring == null) {
            return null;
        }
        int seq = sequenceNumber & 0xFFFF;
        int slot = seq & (capacity - 1);
        ByteBuf packet = ring.packets[slot];
        if (packet == null || ring.sequenceNumbers[slot] != seq) {
            return null;
        }
        if (nowNanos - ring.storedAt[slot] > maxAgeNanos) {
            packet.release();
            ring.packets[slot] = null;
            ring.size--;
            return null;
        }
        return packet.retainedDuplicate();
    }

    /**
     * Releases every packet older than the maximum age.
     *
     * @param nowNanos the current {@link System#nanoTime()}
     * @return the number of packets released
     */
    public synchronized int evictExpired(long nowNanos) {
        int evicted = 0;
        for (Ring ring : rings.values()) {
            for (int i = 0; i < capacity; i++) {
                if (ring.packets[i] != null && nowNanos - ring.storedAt[i] > maxAgeNanos) {
                    ring.packets[i].release();
                    ring.packets[i] = null;
                    ring.size--;
                    evicted++;
                }
            }
        }
        return evicted;
    }

    /**
     * Drops an SSRC and releases its packets (its publisher left, or the stream restarted).
     *
     * @param ssrc the SSRC
     */
    public synchronized void remove(long ssrc) {
        Ring ring = rings.remove(ssrc);
        if (ring != null) {
            ring.clear();
        }
    }

    /** @return the number of packets held, over all SSRCs */
    public synchronized int size() {
        int n = 0;
        for (Ring ring : rings.values()) {
            n += ring.size;
        }
        return n;
    }

    /** @return how many packets were refused (duplicates, stale, too many SSRCs, closed) */
    public synchronized long refusedCount() {
        return refused;
    }

    /** Releases every packet; later puts are refused. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Ring ring : rings.values()) {
            ring.clear();
        }
        rings.clear();
    }
}
