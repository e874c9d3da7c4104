package io.streamkit.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A delay histogram for load harnesses: 1 µs buckets up to 100 ms, then 1 ms buckets up to 60 s
 * (longer delays count as 60 s), the exact maximum beside. Thread-safe; recording allocates
 * nothing.
 */
final class LatencyHistogram {
    private static final long FINE_LIMIT_MICROS = 100_000;
    private static final long COARSE_LIMIT_MICROS = 60_000_000;
    private static final int BUCKETS = (int) (FINE_LIMIT_MICROS + (COARSE_LIMIT_MICROS - FINE_LIMIT_MICROS) / 1000);

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);
    private final AtomicLong max = new AtomicLong();

    /** @param micros a delay in µs (negative counts as 0) */
    void record(long micros) {
        long m = Math.max(0, micros);
        counts.incrementAndGet(bucket(m));
        long seen;
        while (m > (seen = max.get()) && !max.compareAndSet(seen, m)) {
            Thread.onSpinWait();
        }
    }

    private static int bucket(long micros) {
        if (micros < FINE_LIMIT_MICROS) {
            return (int) micros;
        }
        return (int) Math.min(BUCKETS, FINE_LIMIT_MICROS + (micros - FINE_LIMIT_MICROS) / 1000);
    }

    private static long lowerBound(int bucket) {
        return bucket < FINE_LIMIT_MICROS ? bucket : FINE_LIMIT_MICROS + (bucket - FINE_LIMIT_MICROS) * 1000;
    }

    /** @return how many delays were recorded */
    long count() {
        long total = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** @return the largest delay recorded in µs, 0 with none */
    long maxMicros() {
        return max.get();
    }

    /**
     * @param q a quantile, 0 to 1
     * @return the delay at that quantile in µs (the lower bound of its bucket), or -1 with no data
     */
    long quantileMicros(double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be 0 to 1, got " + q);
        }
        long total = count();
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return lowerBound(i);
            }
        }
        return lowerBound(BUCKETS);
    }
}
