package io.streamkit.relay.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A heap allocator that remembers every buffer it hands out, so a test can assert that all were released and
 * that no allocation was larger than expected (leak detection only logs; this fails the test).
 */
final class TrackingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> buffers = new ArrayList<>();
    private int largestCapacity;

    TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        largestCapacity = Math.max(largestCapacity, initialCapacity);
        ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        buffers.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        CompositeByteBuf buf = new CompositeByteBuf(this, false, maxNumComponents);
        buffers.add(buf);
        return buf;
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return compositeHeapBuffer(maxNumComponents);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** @return the largest initial capacity requested so far (buffers grow later, but that needs data) */
    int largestCapacity() {
        return largestCapacity;
    }

    /** Fails if any buffer handed out still has a reference. */
    void assertAllReleased() {
        long live = buffers.stream().filter(b -> b.refCnt() > 0).count();
        assertEquals(0, live, "buffers still referenced out of " + buffers.size());
    }
}
