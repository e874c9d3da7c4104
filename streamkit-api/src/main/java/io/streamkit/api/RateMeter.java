package io.streamkit.api;

import java.util.function.LongSupplier;

/**
 * Bit-rate meter over sliding windows of one and ten seconds, in 100 ms buckets. Thread-safe;
 * {@link #record(long)} is cheap enough for every packet.
 */
public final class RateMeter {
    private static final long BUCKET_NANOS = 100_000_000L;
    private static final int BUCKETS = 100;
    private static final int SLOTS = BUCKETS + 1;

    private final LongSupplier nanoClock;
    private final long[] buckets = new long[SLOTS];
    private long currentBucket;

    /** @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} in production */
    public RateMeter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.currentBucket = Math.floorDiv(nanoClock.getAsLong(), BUCKET_NANOS);
    }

    /** Creates a meter on {@link System#nanoTime()}. */
    public RateMeter() {
        this(System::nanoTime);
    }

    /** @param bytes bytes that passed now */
    public synchronized void record(long bytes) {
        advance();
        buckets[Math.floorMod(currentBucket, SLOTS)] += bytes;
    }

    /** @return bits per second over the last second */
    public long bitrate1s() {
        return bitrate(10);
    }

    /** @return bits per second over the last ten seconds */
    public long bitrate10s() {
        return bitrate(BUCKETS);
    }

    private synchronized long bitrate(int bucketCount) {
        advance();
        long sum = 0;
        // the current bucket is partial: count the completed ones only
        for (int i = 1; i <= bucketCount; i++) {
            sum += buckets[Math.floorMod(currentBucket - i, SLOTS)];
        }
        return sum * 8 * 10 / bucketCount;
    }

    private void advance() {
        long now = Math.floorDiv(nanoClock.getAsLong(), BUCKET_NANOS);
        long steps = now - currentBucket;
        if (steps <= 0) {
            return;
        }
        for (long i = 1; i <= Math.min(steps, SLOTS); i++) {
            buckets[Math.floorMod(currentBucket + i, SLOTS)] = 0;
        }
        currentBucket = now;
    }
}
