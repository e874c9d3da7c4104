package io.streamkit.webrtc.sdp;

/**
 * The first {@code t=} line (<a href="https://www.rfc-editor.org/rfc/rfc8866#section-5.9">RFC 8866
 * section 5.9</a>); WebRTC always writes {@code t=0 0}.
 *
 * @param start start time (NTP seconds), 0 for unbounded
 * @param stop stop time (NTP seconds), 0 for unbounded
 */
public record Timing(long start, long stop) {

    /** {@code t=0 0}. */
    public static final Timing UNBOUNDED = new Timing(0, 0);

    /** Validates that both times are non-negative. */
    public Timing {
        if (start < 0 || stop < 0) {
            throw new IllegalArgumentException("timing values must be non-negative, got " + start + " " + stop);
        }
    }

    /** @return the value of the line, e.g. {@code 0 0} */
    @Override
    public String toString() {
        return start + " " + stop;
    }
}
