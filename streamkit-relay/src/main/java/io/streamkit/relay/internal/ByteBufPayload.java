package io.streamkit.relay.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.streamkit.api.Payload;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link Payload} over the readable bytes of a Netty {@link ByteBuf}, and the way back from any
 * payload to a {@code ByteBuf}. Neither direction copies bytes.
 */
public final class ByteBufPayload extends Payload {
    private final ByteBuf buf;

    private ByteBufPayload(ByteBuf buf) {
        this.buf = buf;
    }

    /**
     * Wraps a buffer, taking over one reference to it: the last {@link #release()} of the payload
     * releases the buffer once. The readable bytes must not change afterwards.
     *
     * @param buf the bytes (reader index to writer index)
     * @return a payload of count 1
     */
    public static ByteBufPayload of(ByteBuf buf) {
        return new ByteBufPayload(Objects.requireNonNull(buf, "buf"));
    }

    /**
     * Returns a buffer over the bytes of a payload that the caller must release; it keeps the bytes
     * alive on its own, so the payload may be released before it.
     *
     * <p>For a payload backed by a {@code ByteBuf} (see {@link Payload#unwrap()}) this is a
     * retained slice of it. Any other payload is wrapped without copying in a buffer that holds one
     * reference to the payload and drops it when the buffer is deallocated.
     *
     * @param payload a payload the caller holds a reference to
     * @return a buffer of {@code payload.length()} readable bytes, reference count 1
     */
    public static ByteBuf toByteBuf(Payload payload) {
        if (payload.unwrap() instanceof ByteBuf b) {
            return b.retainedSlice();
        }
        return new PayloadHoldingByteBuf(payload);
    }

    @Override
    public int length() {
        return buf.readableBytes();
    }

    @Override
    public ByteBuffer nioBuffer() {
        return buf.nioBuffer(buf.readerIndex(), buf.readableBytes()).slice().asReadOnlyBuffer();
    }

    @Override
    public byte getByte(int index) {
        Objects.checkIndex(index, buf.readableBytes());
        return buf.getByte(buf.readerIndex() + index);
    }

    @Override
    public void getBytes(int index, byte[] dst, int dstIndex, int length) {
        Objects.checkFromIndexSize(index, length, buf.readableBytes());
        buf.getBytes(buf.readerIndex() + index, dst, dstIndex, length);
    }

    /** @return the wrapped buffer; valid while a reference to this payload is held, not to be released */
    @Override
    public ByteBuf unwrap() {
        return buf;
    }

    @Override
    protected void deallocate() {
        buf.release();
    }

    @Override
    public String toString() {
        return "ByteBufPayload[" + buf.readableBytes() + " bytes]";
    }

    /**
     * Wraps a foreign payload's bytes and holds a payload reference for as long as the buffer
     * lives (a composite of one component, because composites are the public Netty buffers whose
     * deallocation can be hooked).
     */
    private static final class PayloadHoldingByteBuf extends CompositeByteBuf {
        private final Payload payload;

        PayloadHoldingByteBuf(Payload payload) {
            super(UnpooledByteBufAllocator.DEFAULT, false, 2);
            this.payload = payload.retain();
            addComponent(true, Unpooled.wrappedBuffer(payload.nioBuffer()));
        }

        @Override
        protected void deallocate() {
            try {
                super.deallocate();
            } finally {
                payload.release();
            }
        }
    }
}
