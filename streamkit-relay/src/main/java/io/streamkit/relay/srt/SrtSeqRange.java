package io.streamkit.relay.srt;

/**
 * An inclusive range of sequence numbers, possibly across the wrap from {@link SrtSeq#MAX} to 0.
 *
 * @param first the first sequence number
 * @param last the last sequence number, not before {@code first}
 */
public record SrtSeqRange(int first, int last) {

    /** Validates that both ends are sequence numbers and that {@code last} is not before {@code first}. */
    public SrtSeqRange {
        if (!SrtSeq.isValid(first) || !SrtSeq.isValid(last)) {
            throw new IllegalArgumentException(
                    "range " + first + ".." + last + " is not made of 31-bit sequence numbers");
        }
        if (SrtSeq.isBefore(last, first)) {
            throw new IllegalArgumentException("range end " + last + " is before its start " + first);
        }
    }

    /**
     * @param seq a sequence number
     * @return the range holding only {@code seq}
     */
    public static SrtSeqRange of(int seq) {
        return new SrtSeqRange(seq, seq);
    }

    /** @return the number of sequence numbers in the range, at least 1 */
    public int size() {
        return SrtSeq.diff(last, first) + 1;
    }

    /** @return whether the range holds a single sequence number */
    public boolean isSingle() {
        return first == last;
    }

    /**
     * @param seq a sequence number
     * @return whether the range holds {@code seq}
     */
    public boolean contains(int seq) {
        return !SrtSeq.isBefore(seq, first) && !SrtSeq.isBefore(last, seq);
    }
}
