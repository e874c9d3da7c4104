package io.streamkit.relay.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * One media segment, in the making (parts being added) or complete (with a duration and its
 * bytes). Guarded by the packager's lock; its buffers are released once, on eviction or close.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216#section-3">RFC 8216, section 3: Media Segments</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-pantos-hls-rfc8216bis#section-4.4.4.9">
 *      draft-pantos-hls-rfc8216bis, EXT-X-PART: Partial Segments</a>
 */
final class HlsSegment {
    final long msn;
    final int generation;
    final boolean discontinuity;
    final long startNanos;
    final WallClock clock;
    final List<HlsPart> parts = new ArrayList<>();
    /** The duration once complete, -1 before. */
    long durationNanos = -1;
    /** The whole segment once complete: the parts' bytes without a copy. */
    ByteBuf data;
    long bytes;
    int videoFrames;
    boolean released;

    HlsSegment(long msn, int generation, boolean discontinuity, long startNanos, WallClock clock) {
        this.msn = msn;
        this.generation = generation;
        this.discontinuity = discontinuity;
        this.startNanos = startNanos;
        this.clock = clock;
    }

    boolean isComplete() {
        return durationNanos >= 0;
    }

    /** @return the wall-clock time of the first sample, for {@code EXT-X-PROGRAM-DATE-TIME} */
    long programDateTimeMillis() {
        return clock.toWallMillis(startNanos);
    }

    void addPart(HlsPart part) {
        parts.add(part);
        bytes += part.data.readableBytes();
    }

    /** Completes the segment: its bytes become the parts' bytes, shared. */
    void complete(long endNanos, ByteBufAllocator alloc) {
        durationNanos = Math.max(1_000_000L, endNanos - startNanos);
        if (parts.size() == 1) {
            data = parts.get(0).data.retainedDuplicate();
        } else {
            CompositeByteBuf composite = alloc.compositeBuffer(parts.size());
            for (HlsPart p : parts) {
                composite.addComponent(true, p.data.retainedDuplicate());
            }
            data = composite;
        }
    }

    /** @return a new reference to the segment's bytes (the caller releases it), {@code null} when not available */
    ByteBuf retainedData() {
        return released || data == null ? null : data.retainedDuplicate();
    }

    /** Releases the bytes of the segment and its parts; idempotent. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        if (data != null) {
            data.release();
        }
        for (HlsPart p : parts) {
            p.data.release();
        }
    }

    /** One partial segment: whole fMP4 fragments (or TS packets) of consecutive samples. */
    record HlsPart(int index, long startNanos, long durationNanos, boolean independent, ByteBuf data) {
    }

    /**
     * Maps decode times to wall-clock times for one run of continuous timestamps: the offset is
     * the smallest (arrival time - decode time) seen until the first segment of the run is
     * complete, so that a burst of cached packets at start-up does not shift the clock.
     */
    static final class WallClock {
        private volatile long offsetMillis = Long.MAX_VALUE;
        private volatile boolean frozen;

        void observe(long wallMillis, long dtsNanos) {
            if (!frozen) {
                long offset = wallMillis - Math.floorDiv(dtsNanos, 1_000_000L);
                if (offset < offsetMillis) {
                    offsetMillis = offset;
                }
            }
        }

        void freeze() {
            frozen = true;
        }

        long toWallMillis(long dtsNanos) {
            long offset = offsetMillis;
            return (offset == Long.MAX_VALUE ? 0 : offset) + Math.floorDiv(dtsNanos, 1_000_000L);
        }
    }
}
