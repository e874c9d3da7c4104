package io.streamkit.webrtc.srtp;

import java.util.Arrays;

/**
 * The highest index seen on one stream and a sliding bitmap of the {@value #SIZE} indices at and
 * below it (<a href="https://www.rfc-editor.org/rfc/rfc3711#section-3.3.2">RFC 3711 §3.3.2</a>),
 * plus the RTP index estimation of RFC 3711 §3.3.1 and Appendix A. Bit {@code i mod SIZE} of the
 * ring records whether index {@code i} was accepted. Not thread-safe.
 */
final class ReplayWindow {
    /** How many indices behind the highest one are still accepted once (RFC 3711 asks for 64+). */
    static final int SIZE = 128;
    /** {@link #check} result: the index may be accepted. */
    static final int FRESH = 0;
    /** {@link #check} result: the index was accepted before. */
    static final int REPLAYED = 1;
    /** {@link #check} result: the index is behind the window. */
    static final int TOO_OLD = 2;
    /** Largest 48-bit SRTP packet index. */
    static final long MAX_RTP_INDEX = (1L << 48) - 1;

    private final long[] bits = new long[SIZE / 64];
    private long highest = -1;

    /** @return the highest accepted index, or -1 before the first */
    long highest() {
        return highest;
    }

    /**
     * Estimates the 48-bit index of an RTP sequence number from the highest accepted index
     * (RFC 3711 Appendix A): the candidate among ROC - 1, ROC and ROC + 1 closest to it.
     *
     * @param seq the 16-bit RTP sequence number
     * @return the estimated index, negative when it would fall before index 0, or above
     *     {@link #MAX_RTP_INDEX} when the rollover counter would overflow
     */
    long estimateRtpIndex(int seq) {
        if (highest < 0) {
            return seq;
        }
        long roc = highest >>> 16;
        int last = (int) (highest & 0xffff);
        long v;
        if (last < 0x8000) {
            v = seq - last > 0x8000 ? roc - 1 : roc;
        } else {
            v = last - 0x8000 > seq ? roc + 1 : roc;
        }
        return (v << 16) | seq;
    }

    /**
     * @param index a non-negative packet index
     * @return {@link #FRESH}, {@link #REPLAYED} or {@link #TOO_OLD}
     */
    int check(long index) {
        if (index > highest) {
            return FRESH;
        }
        if (highest - index >= SIZE) {
            return TOO_OLD;
        }
        int bit = (int) (index & (SIZE - 1));
        return (bits[bit >>> 6] & (1L << bit)) != 0 ? REPLAYED : FRESH;
    }

    /** Records an accepted index ({@link #check} returned {@link #FRESH} for it). */
    void accept(long index) {
        if (index > highest) {
            long ahead = highest < 0 ? SIZE : index - highest;
            if (ahead >= SIZE) {
                Arrays.fill(bits, 0L);
            } else {
                for (long i = highest + 1; i < index; i++) {
                    int bit = (int) (i & (SIZE - 1));
                    bits[bit >>> 6] &= ~(1L << bit);
                }
            }
            highest = index;
        }
        int bit = (int) (index & (SIZE - 1));
        bits[bit >>> 6] |= 1L << bit;
    }
}
