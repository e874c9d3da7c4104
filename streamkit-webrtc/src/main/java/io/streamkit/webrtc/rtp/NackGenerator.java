package io.streamkit.webrtc.rtp;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Decides which packets of one publisher's SSRC to NACK: gaps in the incoming sequence numbers
 * become missing entries; an entry is first asked for after a short delay (to let reordered packets
 * arrive), then again every retry interval, at most a given number of times. An entry is dropped
 * when its packet arrives (late or retransmitted: pass the original sequence number of an RTX
 * packet), when it is older than the maximum age, or when it lies more than the maximum distance
 * behind the newest packet. The list is bounded: when a gap would overflow it, the oldest entries
 * go and {@link #pollKeyframeRequest()} reports that a keyframe is the better repair.
 *
 * <p>Time is passed in ({@link System#nanoTime()}), so tests drive it. Not thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1">RFC 4585 §6.2.1</a>
 */
public final class NackGenerator {

    /**
     * Tuning of the generator.
     *
     * @param initialDelay wait before the first NACK of a missing packet (reordering tolerance)
     * @param retryInterval wait between NACKs of the same packet (about one round-trip time)
     * @param maxRetries how many NACKs one packet gets at most
     * @param maxAge how long after it went missing a packet is still asked for
     * @param maxMissing most missing packets tracked at once
     * @param maxDistance a missing packet more than this many sequence numbers behind the newest is
     *        given up
     */
    public record Config(Duration initialDelay, Duration retryInterval, int maxRetries, Duration maxAge,
            int maxMissing, int maxDistance) {
        /** Validates the values. */
        public Config {
            Objects.requireNonNull(initialDelay, "initialDelay");
            Objects.requireNonNull(retryInterval, "retryInterval");
            Objects.requireNonNull(maxAge, "maxAge");
            if (initialDelay.isNegative() || retryInterval.isNegative() || maxAge.isNegative() || maxRetries < 1
                    || maxMissing < 1 || maxDistance < 1 || maxDistance > 32_767) {
                throw new IllegalArgumentException("invalid NACK configuration " + initialDelay + ", "
                        + retryInterval + ", " + maxRetries + ", " + maxAge + ", " + maxMissing + ", " + maxDistance);
            }
        }

        /**
         * @return 10 ms initial delay, 100 ms between retries, 10 retries, 1 s maximum age, 1,000
         *         missing packets, 10,000 sequence numbers
         */
        public static Config defaults() {
            return new Config(Duration.ofMillis(10), Duration.ofMillis(100), 10, Duration.ofSeconds(1), 1000, 10_000);
        }
    }

    private static final class Missing {
        final long since;
        long due;
        int sent;

        Missing(long since, long due) {
            this.since = since;
            this.due = due;
        }
    }

    private final Config config;
    private final long initialDelayNanos;
    private final long maxAgeNanos;
    private long retryNanos;
    private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
    private final TreeMap<Long, Missing> missing = new TreeMap<>();
    private boolean keyframeRequest;
    private long recovered;
    private long abandoned;

    /** @param config the tuning */
    public NackGenerator(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        this.initialDelayNanos = config.initialDelay().toNanos();
        this.maxAgeNanos = config.maxAge().toNanos();
        this.retryNanos = config.retryInterval().toNanos();
    }

    /**
     * Updates the retry interval, typically to the measured round-trip time.
     *
     * @param interval the new interval
     */
    public void setRetryInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("negative retry interval " + interval);
        }
        this.retryNanos = interval.toNanos();
    }

    /**
     * Records a received packet.
     *
     * @param sequenceNumber its 16-bit sequence number (the original one for an RTX packet)
     * @param nowNanos arrival {@link System#nanoTime()}
     */
    public void onPacket(int sequenceNumber, long nowNanos) {
        if (!unwrapper.started()) {
            unwrapper.unwrap(sequenceNumber);
            return;
        }
        long previous = unwrapper.highest();
        long extended = unwrapper.unwrap(sequenceNumber);
        if (extended <= previous) {
            if (missing.remove(extended) != null) {
                recovered++;
            }
            return;
        }
        long gap = extended - previous - 1;
        if (gap == 0) {
            return;
        }
        long from = previous + 1;
        if (gap > config.maxDistance() || gap > config.maxMissing()) {
            abandoned += missing.size() + gap;
            missing.clear();
            keyframeRequest = true;
            return;
        }
        for (long s = from; s < extended; s++) {
            missing.put(s, new Missing(nowNanos, nowNanos + initialDelayNanos));
        }
        while (missing.size() > config.maxMissing()) {
            missing.pollFirstEntry();
            abandoned++;
            keyframeRequest = true;
        }
    }

    /**
     * Returns the sequence numbers to NACK now and schedules their next retry.
     *
     * @param nowNanos the current {@link System#nanoTime()}
     * @return 16-bit sequence numbers in ascending order (feed them to {@link GenericNack#of}), possibly empty
     */
    public int[] due(long nowNanos) {
        expire(nowNanos);
        int n = 0;
        for (Missing m : missing.values()) {
            if (nowNanos - m.due >= 0) {
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        Iterator<Map.Entry<Long, Missing>> it = missing.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Missing> e = it.next();
            Missing m = e.getValue();
            if (nowNanos - m.due >= 0) {
                out[k++] = (int) (e.getKey() & 0xFFFF);
                m.sent++;
                m.due = nowNanos + retryNanos;
                if (m.sent >= config.maxRetries()) {
                    it.remove();
                    abandoned++;
                }
            }
        }
        return out;
    }

    private void expire(long nowNanos) {
        if (!unwrapper.started()) {
            return;
        }
        long oldestKept = unwrapper.highest() - config.maxDistance();
        Iterator<Map.Entry<Long, Missing>> it = missing.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Missing> e = it.next();
            if (e.getKey() < oldestKept || nowNanos - e.getValue().since > maxAgeNanos) {
                it.remove();
                abandoned++;
            }
        }
    }

    /** @return whether losses were given up for lack of room since the last call; clears the flag */
    public boolean pollKeyframeRequest() {
        boolean result = keyframeRequest;
        keyframeRequest = false;
        return result;
    }

    /** @return the number of packets currently missing */
    public int missingCount() {
        return missing.size();
    }

    /** @return missing packets that arrived later */
    public long recoveredCount() {
        return recovered;
    }

    /** @return missing packets given up (too old, too far, too many, retries exhausted) */
    public long abandonedCount() {
        return abandoned;
    }
}
