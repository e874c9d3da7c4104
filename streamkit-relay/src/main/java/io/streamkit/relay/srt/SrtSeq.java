package io.streamkit.relay.srt;

/**
 * Arithmetic on SRT's 31-bit packet sequence numbers and 26-bit message numbers, both of which
 * wrap around. Two numbers compare by their circular distance: {@code a} is before {@code b}
 * when going forward from {@code a} reaches {@code b} in less than half the number space.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-3.1">draft-sharabayko-srt, Data Packets</a>
 */
public final class SrtSeq {
    /** The largest sequence number, {@code 2^31 - 1}; the next one is 0. */
    public static final int MAX = 0x7FFFFFFF;
    /** Half the sequence number space: the largest distance {@link #diff} reports unambiguously. */
    public static final int HALF = 0x40000000;
    /** The largest message number, {@code 2^26 - 1}. */
    public static final int MSG_MAX = 0x03FFFFFF;
    private static final int MSG_HALF = 0x02000000;

    private SrtSeq() {
    }

    /**
     * @param seq a value to test
     * @return whether {@code seq} is a valid 31-bit sequence number
     */
    public static boolean isValid(int seq) {
        return (seq & ~MAX) == 0;
    }

    /**
     * @param seq a sequence number
     * @return the sequence number after {@code seq}, wrapping from {@link #MAX} to 0
     */
    public static int next(int seq) {
        return (seq + 1) & MAX;
    }

    /**
     * @param seq a sequence number
     * @return the sequence number before {@code seq}, wrapping from 0 to {@link #MAX}
     */
    public static int previous(int seq) {
        return (seq - 1) & MAX;
    }

    /**
     * @param seq a sequence number
     * @param delta how far to move, forward if positive, backward if negative
     * @return {@code seq + delta} modulo {@code 2^31}
     */
    public static int add(int seq, int delta) {
        return (seq + delta) & MAX;
    }

    /**
     * The signed circular distance from {@code b} to {@code a}, so that
     * {@code add(b, diff(a, b)) == a}.
     *
     * @param a a sequence number
     * @param b a sequence number
     * @return {@code a - b} in {@code [-2^30, 2^30)}
     */
    public static int diff(int a, int b) {
        int d = (a - b) & MAX;
        return d >= HALF ? d - (MAX + 1) : d;
    }

    /**
     * @param a a sequence number
     * @param b a sequence number
     * @return negative, zero or positive as {@code a} is before, equal to or after {@code b}
     */
    public static int compare(int a, int b) {
        return Integer.signum(diff(a, b));
    }

    /**
     * @param a a sequence number
     * @param b a sequence number
     * @return whether {@code a} comes before {@code b}
     */
    public static boolean isBefore(int a, int b) {
        return diff(a, b) < 0;
    }

    /**
     * @param a a sequence number
     * @param b a sequence number
     * @return whichever of the two comes later
     */
    public static int max(int a, int b) {
        return isBefore(a, b) ? b : a;
    }

    /**
     * @param msg a value to test
     * @return whether {@code msg} fits the 26-bit message number field
     */
    public static boolean isValidMessage(int msg) {
        return (msg & ~MSG_MAX) == 0;
    }

    /**
     * The next message number to send. Message number 0 is skipped when wrapping because libsrt
     * reserves it (control packets carry 0 there).
     *
     * @param msg a message number
     * @return the message number after {@code msg}
     */
    public static int nextMessage(int msg) {
        int next = (msg + 1) & MSG_MAX;
        return next == 0 ? 1 : next;
    }

    /**
     * @param a a message number
     * @param b a message number
     * @return the signed circular distance {@code a - b} in {@code [-2^25, 2^25)}
     */
    public static int messageDiff(int a, int b) {
        int d = (a - b) & MSG_MAX;
        return d >= MSG_HALF ? d - (MSG_MAX + 1) : d;
    }
}
