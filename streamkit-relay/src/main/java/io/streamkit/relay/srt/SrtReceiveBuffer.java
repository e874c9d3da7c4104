package io.streamkit.relay.srt;

import java.util.ArrayList;
import java.util.List;

/**
 * The receiver's packet buffer of one connection: holds data packets by sequence number within a
 * window of {@link #CAPACITY} packets, tracks the acknowledgement point and the losses, and hands
 * packets out in sequence order once their TSBPD play time has come, skipping missing packets
 * whose successors are due (too-late drop). Not thread-safe: confined to the connection's event
 * loop. Not API.
 */
final class SrtReceiveBuffer {
    /** The window in packets (a power of two that divides {@code 2^31}). */
    static final int CAPACITY = 8192;
    private static final int MASK = CAPACITY - 1;
    private static final byte EMPTY = 0;
    private static final byte HAVE = 1;
    /** A packet the sender asked to drop: skipped and counted as dropped. */
    private static final byte DROPPED = 2;
    /** A packet that arrived but could not be decrypted: skipped, counted elsewhere. */
    private static final byte SKIPPED = 3;

    /** Maps a packet timestamp to its play time in the clock of {@link #poll}. */
    interface PlayClock {
        /**
         * @param timestamp a packet timestamp
         * @return when the packet is due
         */
        long playTime(int timestamp);
    }

    /** What {@link #insert} did with a packet. */
    enum Result {
        /** Stored. */
        ACCEPTED,
        /** Already held (or already skipped); released. */
        DUPLICATE,
        /** Before the delivery point (delivered or dropped already); released. */
        BELATED,
        /** Beyond the window; released. */
        OUT_OF_WINDOW
    }

    private final SrtDataPacket[] slots = new SrtDataPacket[CAPACITY];
    private final byte[] state = new byte[CAPACITY];
    private int head;
    private int end;
    private int ackPointer;
    private SrtSeqRange newLoss;
    private long dropped;

    /** @param initialSequence the first sequence number the peer sends */
    SrtReceiveBuffer(int initialSequence) {
        head = initialSequence;
        end = initialSequence;
        ackPointer = initialSequence;
    }

    /**
     * Stores a packet, or marks its sequence number as skipped when {@code packet} is null.
     *
     * @param seq the packet's sequence number
     * @param packet the packet (ownership passes to this buffer whatever the result), or null
     * @return what happened
     */
    Result insert(int seq, SrtDataPacket packet) {
        int offset = SrtSeq.diff(seq, head);
        Result result;
        if (offset < 0) {
            result = Result.BELATED;
        } else if (offset >= CAPACITY) {
            result = Result.OUT_OF_WINDOW;
        } else if (state[seq & MASK] != EMPTY) {
            result = Result.DUPLICATE;
        } else {
            int idx = seq & MASK;
            slots[idx] = packet;
            state[idx] = packet == null ? SKIPPED : HAVE;
            extendEnd(seq);
            return Result.ACCEPTED;
        }
        if (packet != null) {
            packet.release();
        }
        return result;
    }

    /**
     * @param seq a sequence number
     * @return whether a packet with that number would be stored now
     */
    boolean accepts(int seq) {
        int offset = SrtSeq.diff(seq, head);
        return offset >= 0 && offset < CAPACITY && state[seq & MASK] == EMPTY;
    }

    private void extendEnd(int seq) {
        if (SrtSeq.diff(seq, end) > 0) {
            newLoss = new SrtSeqRange(end, SrtSeq.previous(seq));
        }
        if (!SrtSeq.isBefore(seq, end)) {
            end = SrtSeq.next(seq);
        }
    }

    /** @return the gap the last accepted packet revealed, once, or null */
    SrtSeqRange takeNewLoss() {
        SrtSeqRange r = newLoss;
        newLoss = null;
        return r;
    }

    /**
     * Marks missing packets the sender will not retransmit as dropped; packets held are kept.
     *
     * @param first the first sequence number
     * @param last the last sequence number
     */
    void dropRange(int first, int last) {
        int count = SrtSeq.diff(last, first) + 1;
        if (count <= 0 || count > CAPACITY) {
            return;
        }
        int seq = first;
        for (int i = 0; i < count; i++, seq = SrtSeq.next(seq)) {
            int offset = SrtSeq.diff(seq, head);
            if (offset < 0 || offset >= CAPACITY) {
                continue;
            }
            int idx = seq & MASK;
            if (state[idx] == EMPTY) {
                state[idx] = DROPPED;
                if (!SrtSeq.isBefore(seq, end)) {
                    end = SrtSeq.next(seq);
                }
            }
        }
    }

    /** @return the sequence number up to which (exclusive) every packet has arrived or was skipped */
    int ackSequence() {
        if (SrtSeq.isBefore(ackPointer, head)) {
            ackPointer = head;
        }
        while (ackPointer != end && state[ackPointer & MASK] != EMPTY) {
            ackPointer = SrtSeq.next(ackPointer);
        }
        return ackPointer;
    }

    /**
     * @param maxRanges the most ranges to report
     * @return the missing sequence numbers after the acknowledgement point, as ranges
     */
    List<SrtSeqRange> lossList(int maxRanges) {
        List<SrtSeqRange> out = new ArrayList<>();
        int seq = ackSequence();
        while (seq != end && out.size() < maxRanges) {
            if (state[seq & MASK] != EMPTY) {
                seq = SrtSeq.next(seq);
                continue;
            }
            int first = seq;
            while (SrtSeq.next(seq) != end && state[SrtSeq.next(seq) & MASK] == EMPTY) {
                seq = SrtSeq.next(seq);
            }
            out.add(new SrtSeqRange(first, seq));
            seq = SrtSeq.next(seq);
        }
        return out;
    }

    /**
     * The next packet in sequence order if it is due. A missing packet is skipped (and counted
     * as dropped) when a later packet is due.
     *
     * @param now the current time
     * @param clock the play time of each packet
     * @return a packet whose ownership passes to the caller, or null
     */
    SrtDataPacket poll(long now, PlayClock clock) {
        while (head != end) {
            int idx = head & MASK;
            byte s = state[idx];
            if (s == HAVE) {
                SrtDataPacket p = slots[idx];
                if (clock.playTime(p.timestamp()) > now) {
                    return null;
                }
                slots[idx] = null;
                state[idx] = EMPTY;
                head = SrtSeq.next(head);
                return p;
            }
            if (s != EMPTY) {
                if (s == DROPPED) {
                    dropped++;
                }
                state[idx] = EMPTY;
                head = SrtSeq.next(head);
                continue;
            }
            int next = firstHeldAfter(head);
            if (next < 0 || clock.playTime(slots[next & MASK].timestamp()) > now) {
                return null;
            }
            while (head != next) {
                int i = head & MASK;
                if (state[i] != SKIPPED) {
                    dropped++;
                }
                state[i] = EMPTY;
                head = SrtSeq.next(head);
            }
        }
        return null;
    }

    private int firstHeldAfter(int seq) {
        for (int s = seq; s != end; s = SrtSeq.next(s)) {
            if (state[s & MASK] == HAVE) {
                return s;
            }
        }
        return -1;
    }

    /** @return the packets dropped so far: skipped because later ones were due, or on request */
    long dropped() {
        return dropped;
    }

    /** @return the sequence number to be delivered next */
    int head() {
        return head;
    }

    /** @return how many sequence numbers the buffer spans (held, missing or skipped) */
    int occupancy() {
        return SrtSeq.diff(end, head);
    }

    /** Releases every packet held. */
    void releaseAll() {
        for (int i = 0; i < CAPACITY; i++) {
            if (slots[i] != null) {
                slots[i].release();
                slots[i] = null;
            }
            state[i] = EMPTY;
        }
        head = end;
    }
}
