package io.streamkit.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * A pooled allocator that remembers every buffer it hands out, so a test can assert that all of
 * them were released (deterministically, on top of Netty's paranoid leak detection).
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        allocated.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        allocated.add(buf);
        return buf;
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    int allocatedCount() {
        return allocated.size();
    }

    long unreleasedCount() {
        return allocated.stream().filter(b -> b.refCnt() > 0).count();
    }

    void assertAllReleased() {
        assertEquals(0, unreleasedCount(), "buffers still referenced out of " + allocated.size());
    }
}
