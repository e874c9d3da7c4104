package io.streamkit.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the receivers of one {@link SfuForwardingHarness} run saw: a histogram of the one-way delay
 * (receive − send {@code nanoTime}, both in this JVM) in 1 µs buckets up to 100 ms, and counters.
 * Only packets sent inside the measurement window count. Thread-safe.
 */
final class ForwardingRecorder {
    private static final int BUCKETS = 100_000;

    private final AtomicLongArray histogram = new AtomicLongArray(BUCKETS + 1);
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong maxMicros = new AtomicLong();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    /** Opens the measurement window now. */
    void open() {
        windowEnd = Long.MAX_VALUE;
        windowStart = System.nanoTime();
    }

    /** Closes it now: packets sent later no longer count. */
    void close() {
        windowEnd = System.nanoTime();
    }

    private boolean inWindow(long sentNanos) {
        return sentNanos >= windowStart && sentNanos < windowEnd;
    }

    /** The publisher sent a packet stamped {@code sentNanos} (once per packet, not per receiver). */
    void sent(long sentNanos) {
        if (inWindow(sentNanos)) {
            sent.increment();
        }
    }

    /** A receiver got a packet stamped {@code sentNanos} at {@code receivedNanos}. */
    void received(long sentNanos, long receivedNanos) {
        if (!inWindow(sentNanos)) {
            return;
        }
        received.increment();
        long micros = Math.max(0, (receivedNanos - sentNanos) / 1000);
        histogram.incrementAndGet((int) Math.min(micros, BUCKETS));
        long max;
        while (micros > (max = maxMicros.get()) && !maxMicros.compareAndSet(max, micros)) {
            Thread.onSpinWait();
        }
    }

    /** A receiver could not read a packet (SRTP authentication, replay, malformed). */
    void error() {
        errors.increment();
    }

    long sentPackets() {
        return sent.sum();
    }

    long receivedPackets() {
        return received.sum();
    }

    long errors() {
        return errors.sum();
    }

    long maxMicros() {
        return maxMicros.get();
    }

    /**
     * @param q a quantile, 0 to 1
     * @return the delay at that quantile in µs (100,000 means "100 ms or more"), or -1 with no data
     */
    long quantileMicros(double q) {
        long total = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            total += histogram.get(i);
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += histogram.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return BUCKETS;
    }
}
