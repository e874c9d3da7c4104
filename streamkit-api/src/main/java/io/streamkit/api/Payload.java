package io.streamkit.api;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Reference-counted bytes of one {@link MediaPacket}.
 *
 * <p>Ownership rules: a new payload has a count of 1, owned by its creator. {@link #retain()}
 * adds a reference; {@link #release()} drops one, and the last release frees the memory
 * ({@link #deallocate()}), for example returning a pooled Netty buffer. Whoever holds the last
 * reference releases it; a receiver that only looks at a payload during a callback neither
 * retains nor releases it. Using a payload whose count reached 0 throws
 * {@link IllegalStateException}.
 *
 * <p>Transports that can send the underlying buffer without a copy read it through
 * {@link #unwrap()} (the relay's Netty payloads return their {@code ByteBuf}).
 */
public abstract class Payload {
    private static final AtomicIntegerFieldUpdater<Payload> REF_CNT = AtomicIntegerFieldUpdater.newUpdater(
            Payload.class, "refCnt");

    @SuppressWarnings("unused") // updated through REF_CNT
    private volatile int refCnt = 1;

    /** Creates a payload with a reference count of 1. */
    protected Payload() {
    }

    /**
     * Wraps a byte array without copying; the array must not change afterwards.
     *
     * @param bytes the bytes
     * @return a payload of count 1 whose deallocation does nothing
     */
    public static Payload wrap(byte[] bytes) {
        return wrap(ByteBuffer.wrap(bytes), null);
    }

    /**
     * Wraps a buffer without copying; the bytes between position and limit must not change
     * afterwards.
     *
     * @param buffer the bytes
     * @param onDeallocate run once when the last reference is released, may be {@code null}
     * @return a payload of count 1
     */
    public static Payload wrap(ByteBuffer buffer, Runnable onDeallocate) {
        return new BufferPayload(buffer.slice().asReadOnlyBuffer(), onDeallocate);
    }

    /** @return the number of bytes */
    public abstract int length();

    /**
     * @return a new read-only view of the bytes, position 0, limit {@link #length()}; valid while
     *         a reference is held
     */
    public abstract ByteBuffer nioBuffer();

    /**
     * @param index an index in {@code [0, length())}
     * @return the byte at {@code index}
     */
    public byte getByte(int index) {
        return nioBuffer().get(index);
    }

    /**
     * Copies bytes out.
     *
     * @param index the first byte to copy
     * @param dst where to copy to
     * @param dstIndex the first index in {@code dst}
     * @param length how many bytes
     */
    public void getBytes(int index, byte[] dst, int dstIndex, int length) {
        ByteBuffer b = nioBuffer();
        b.position(index);
        b.get(dst, dstIndex, length);
    }

    /** @return a copy of all bytes */
    public byte[] toByteArray() {
        byte[] out = new byte[length()];
        getBytes(0, out, 0, out.length);
        return out;
    }

    /**
     * @return the transport-specific buffer behind this payload (for example a Netty
     *         {@code ByteBuf}), or {@code null}; valid while a reference is held, never released
     *         by the caller
     */
    public Object unwrap() {
        return null;
    }

    /** Frees the memory; called exactly once, when the count reaches 0. */
    protected abstract void deallocate();

    // derived representations, guarded by this; few per payload (one per wire format in use)
    private Object[] derived;

    /**
     * Returns a representation derived from these bytes (for example the packet already framed
     * for one wire format), computing it once and sharing it among every caller with an equal
     * key: fan-out to many connections of the same protocol frames each packet once, not once per
     * connection. The value lives until the payload is freed, then {@code disposer} runs on it.
     * Callers must hold a reference to the payload.
     *
     * @param <T> the representation type
     * @param key identifies the representation (a record of the format parameters)
     * @param factory computes it from this payload
     * @param disposer frees it when the payload is freed, may be {@code null}
     * @return the shared representation; the caller does not own it (retain it to keep it beyond
     *         its reference to this payload)
     */
    @SuppressWarnings("unchecked") // values are stored under their key by this method only
    public final <T> T derive(Object key, java.util.function.Function<Payload, T> factory,
            java.util.function.Consumer<? super T> disposer) {
        synchronized (this) {
            if (refCnt <= 0) {
                throw new IllegalStateException("payload already released (refCnt 0)");
            }
            Object[] d = derived;
            if (d != null) {
                for (int i = 0; i < d.length; i += 3) {
                    if (d[i].equals(key)) {
                        return (T) d[i + 1];
                    }
                }
            }
            T value = factory.apply(this);
            int n = d == null ? 0 : d.length;
            Object[] next = d == null ? new Object[3] : java.util.Arrays.copyOf(d, n + 3);
            next[n] = key;
            next[n + 1] = value;
            next[n + 2] = disposer;
            derived = next;
            return value;
        }
    }

    @SuppressWarnings("unchecked") // disposers were stored with their values by derive
    private void disposeDerived() {
        Object[] d;
        synchronized (this) {
            d = derived;
            derived = null;
        }
        if (d != null) {
            for (int i = 0; i < d.length; i += 3) {
                java.util.function.Consumer<Object> disposer = (java.util.function.Consumer<Object>) d[i + 2];
                if (disposer != null) {
                    disposer.accept(d[i + 1]);
                }
            }
        }
    }

    /** @return the current reference count */
    public final int refCnt() {
        return refCnt;
    }

    /**
     * Adds a reference.
     *
     * @return this payload
     * @throws IllegalStateException when the count already reached 0
     */
    public final Payload retain() {
        return retain(1);
    }

    /**
     * Adds references.
     *
     * @param increment how many, &gt; 0
     * @return this payload
     * @throws IllegalStateException when the count already reached 0
     */
    public final Payload retain(int increment) {
        if (increment <= 0) {
            throw new IllegalArgumentException("increment must be > 0, was " + increment);
        }
        for (;;) {
            int current = refCnt;
            if (current <= 0) {
                throw new IllegalStateException("payload already released (refCnt 0)");
            }
            if (REF_CNT.compareAndSet(this, current, current + increment)) {
                return this;
            }
        }
    }

    /**
     * Drops a reference and frees the bytes when it was the last.
     *
     * @return {@code true} when this call freed the bytes
     * @throws IllegalStateException when the count already reached 0
     */
    public final boolean release() {
        for (;;) {
            int current = refCnt;
            if (current <= 0) {
                throw new IllegalStateException("payload released more often than retained");
            }
            if (REF_CNT.compareAndSet(this, current, current - 1)) {
                if (current == 1) {
                    disposeDerived();
                    deallocate();
                    return true;
                }
                return false;
            }
        }
    }

    private static final class BufferPayload extends Payload {
        private final ByteBuffer buffer;
        private final Runnable onDeallocate;

        BufferPayload(ByteBuffer buffer, Runnable onDeallocate) {
            this.buffer = buffer;
            this.onDeallocate = onDeallocate;
        }

        @Override
        public int length() {
            return buffer.capacity();
        }

        @Override
        public ByteBuffer nioBuffer() {
            return buffer.duplicate();
        }

        @Override
        public byte getByte(int index) {
            return buffer.get(index);
        }

        @Override
        protected void deallocate() {
            if (onDeallocate != null) {
                onDeallocate.run();
            }
        }
    }
}
