package io.streamkit.webrtc.rtp;

/**
 * Extends 16-bit RTP sequence numbers to 64 bits: each value is placed within ±32,768 of the
 * highest one seen so far, so wraps (65535 → 0) count up and reordered or late packets map to the
 * value they had. The first sequence number maps to itself; a packet reordered before a wrap that
 * precedes the first one maps to a negative value. Not thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#appendix-A.1">RFC 3550 Appendix A.1</a>
 */
public final class SequenceUnwrapper {
    private boolean started;
    private long highest;

    /** Creates an unwrapper that has seen nothing. */
    public SequenceUnwrapper() {
    }

    /**
     * Extends a sequence number and, if it is the new highest, remembers it.
     *
     * @param sequenceNumber a 16-bit sequence number (higher bits are ignored)
     * @return the extended sequence number
     */
    public long unwrap(int sequenceNumber) {
        long extended = peek(sequenceNumber);
        if (!started || extended > highest) {
            highest = extended;
            started = true;
        }
        return extended;
    }

    /**
     * Extends a sequence number without remembering it.
     *
     * @param sequenceNumber a 16-bit sequence number (higher bits are ignored)
     * @return the extended sequence number {@link #unwrap(int)} would return
     */
    public long peek(int sequenceNumber) {
        int seq = sequenceNumber & 0xFFFF;
        if (!started) {
            return seq;
        }
        int delta = (short) (seq - (int) (highest & 0xFFFF));
        return highest + delta;
    }

    /** @return whether a sequence number was seen since creation or {@link #reset()} */
    public boolean started() {
        return started;
    }

    /**
     * @return the highest extended sequence number seen
     * @throws IllegalStateException if nothing was seen yet
     */
    public long highest() {
        if (!started) {
            throw new IllegalStateException("no sequence number seen yet");
        }
        return highest;
    }

    /** Forgets everything: the next sequence number maps to itself. */
    public void reset() {
        started = false;
        highest = 0;
    }
}
