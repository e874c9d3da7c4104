package io.streamkit.relay.srt;

import java.util.ArrayList;
import java.util.List;

/**
 * Conversions between lists of lost sequence numbers and the ranges a NAK carries.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#appendix-A">draft-sharabayko-srt, Packet Sequence List Coding</a>
 */
public final class SrtLossList {

    private SrtLossList() {
    }

    /**
     * Compresses lost sequence numbers into ranges: runs of consecutive numbers (across the wrap)
     * become one range.
     *
     * @param lost sequence numbers in circular ascending order, without duplicates
     * @return the ranges, in the same order
     * @throws IllegalArgumentException if a value is not a sequence number or the order is not ascending
     */
    public static List<SrtSeqRange> compress(int[] lost) {
        List<SrtSeqRange> ranges = new ArrayList<>();
        int i = 0;
        while (i < lost.length) {
            int first = lost[i];
            int last = first;
            if (!SrtSeq.isValid(first)) {
                throw new IllegalArgumentException("not a sequence number: " + first);
            }
            i++;
            while (i < lost.length && lost[i] == SrtSeq.next(last)) {
                last = lost[i++];
            }
            if (i < lost.length && !SrtSeq.isBefore(last, lost[i])) {
                throw new IllegalArgumentException("lost sequence numbers not ascending at " + lost[i]);
            }
            ranges.add(new SrtSeqRange(first, last));
        }
        return List.copyOf(ranges);
    }

    /**
     * @param ranges loss ranges
     * @return the total number of sequence numbers they hold
     */
    public static long count(List<SrtSeqRange> ranges) {
        long total = 0;
        for (SrtSeqRange r : ranges) {
            total += r.size();
        }
        return total;
    }

    /**
     * Expands ranges into the sequence numbers they hold.
     *
     * @param ranges loss ranges, as decoded from a NAK
     * @param limit the most sequence numbers the caller accepts (a NAK from the network may span 2^30)
     * @return the sequence numbers in order
     * @throws IllegalArgumentException if the ranges hold more than {@code limit} numbers
     */
    public static int[] expand(List<SrtSeqRange> ranges, int limit) {
        long total = count(ranges);
        if (total > limit) {
            throw new IllegalArgumentException("loss list holds " + total + " sequence numbers, more than " + limit);
        }
        int[] out = new int[(int) total];
        int n = 0;
        for (SrtSeqRange r : ranges) {
            int seq = r.first();
            for (int k = r.size(); k > 0; k--) {
                out[n++] = seq;
                seq = SrtSeq.next(seq);
            }
        }
        return out;
    }
}
