package io.streamkit.webrtc.rtp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits keyframe requests (PLI/FIR) forwarded to a publisher to one per interval per media SSRC:
 * every subscriber that joins or loses packets may ask, but the publisher's encoder should produce
 * one keyframe for all of them. Remembers at most a bounded number of SSRCs (the least recently
 * requested are forgotten first). Thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5104#section-4.3.1.2">RFC 5104 §4.3.1.2</a>
 */
public final class KeyframeRequestThrottle {
    private final long intervalNanos;
    private final Map<Long, Long> lastForwarded;

    /**
     * @param minInterval the least time between two requests forwarded for one SSRC (e.g. 500 ms)
     * @param maxSsrcs how many SSRCs to remember, at least 1
     */
    public KeyframeRequestThrottle(Duration minInterval, int maxSsrcs) {
        if (minInterval.isNegative() || maxSsrcs < 1) {
            throw new IllegalArgumentException("interval " + minInterval + ", max SSRCs " + maxSsrcs);
        }
        this.intervalNanos = minInterval.toNanos();
        this.lastForwarded = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > maxSsrcs;
            }
        };
    }

    /**
     * Decides whether a keyframe request for {@code ssrc} goes to the publisher now, and if so
     * starts a new interval.
     *
     * @param ssrc the publisher's media SSRC
     * @param nowNanos the current {@link System#nanoTime()}
     * @return true to forward the request, false to drop it
     */
    public synchronized boolean tryAcquire(long ssrc, long nowNanos) {
        Long last = lastForwarded.get(ssrc);
        if (last != null && nowNanos - last < intervalNanos) {
            return false;
        }
        lastForwarded.put(ssrc, nowNanos);
        return true;
    }

    /**
     * Forgets an SSRC (its publisher left).
     *
     * @param ssrc the media SSRC
     */
    public synchronized void forget(long ssrc) {
        lastForwarded.remove(ssrc);
    }
}
