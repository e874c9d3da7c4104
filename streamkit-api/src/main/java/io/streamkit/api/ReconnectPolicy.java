package io.streamkit.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential back-off with jitter between connection attempts.
 *
 * @param initialDelay the delay after the first failure
 * @param maxDelay the largest delay
 * @param multiplier growth per failure, &gt;= 1
 * @param jitter the random fraction added or removed from each delay, in [0, 1]
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {

    /** 500 ms doubling up to 30 s, with 20 % jitter. */
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(Duration.ofMillis(500), Duration.ofSeconds(30),
            2.0, 0.2);

    /** Validates every field. */
    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, got " + initialDelay + ", "
                    + maxDelay);
        }
        if (!(multiplier >= 1.0) || !(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("need multiplier >= 1 and jitter in [0, 1], got " + multiplier + ", "
                    + jitter);
        }
    }

    /**
     * @param failures consecutive failures so far, &gt;= 1
     * @param random a uniform random number in [0, 1)
     * @return the delay before the next attempt
     */
    public Duration delay(int failures, double random) {
        double base = initialDelay.toNanos() * Math.pow(multiplier, Math.max(0, failures - 1));
        double capped = Math.min(base, maxDelay.toNanos());
        double jittered = capped * (1.0 + jitter * (2.0 * random - 1.0));
        return Duration.ofNanos((long) Math.max(0, jittered));
    }
}
