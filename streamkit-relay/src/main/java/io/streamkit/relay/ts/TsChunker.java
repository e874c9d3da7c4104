package io.streamkit.relay.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * Regroups a transport stream into chunks of exactly 7 packets (1316 bytes), the usual payload of
 * one SRT or UDP datagram. Usable as the {@link TsMuxer.Output} of a {@link TsMuxer}.
 *
 * <p>Bytes are copied into the current chunk, which goes downstream as soon as it is full;
 * {@link #flush()} sends a partial chunk (for example when the stream pauses or ends), and
 * {@link #close()} drops it. Not thread-safe.
 */
public final class TsChunker implements TsMuxer.Output, AutoCloseable {
    /** Packets per chunk. */
    public static final int PACKETS_PER_CHUNK = 7;
    /** Bytes per full chunk. */
    public static final int CHUNK_SIZE = PACKETS_PER_CHUNK * TsPackets.SIZE;

    private final ByteBufAllocator alloc;
    private final TsMuxer.Output downstream;
    private ByteBuf current;
    private boolean closed;

    /**
     * @param alloc allocates the chunks
     * @param downstream receives each chunk and takes over its reference
     */
    public TsChunker(ByteBufAllocator alloc, TsMuxer.Output downstream) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.downstream = Objects.requireNonNull(downstream, "downstream");
    }

    /**
     * Appends transport stream bytes, sending every chunk they fill.
     *
     * @param data the bytes; this chunker takes over and releases the reference
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public void write(ByteBuf data) {
        try {
            if (closed) {
                throw new IllegalStateException("TsChunker is closed");
            }
            while (data.isReadable()) {
                if (current == null) {
                    current = alloc.buffer(CHUNK_SIZE, CHUNK_SIZE);
                }
                data.readBytes(current, Math.min(data.readableBytes(), current.writableBytes()));
                if (!current.isWritable()) {
                    ByteBuf full = current;
                    current = null;
                    downstream.write(full);
                }
            }
        } finally {
            data.release();
        }
    }

    /** Sends the partial chunk, if any. */
    public void flush() {
        if (current != null && current.isReadable()) {
            ByteBuf partial = current;
            current = null;
            downstream.write(partial);
        }
    }

    /** @return bytes waiting for their chunk to fill */
    public int pending() {
        return current == null ? 0 : current.readableBytes();
    }

    /** Drops the partial chunk without sending it; idempotent. */
    @Override
    public void close() {
        closed = true;
        if (current != null) {
            current.release();
            current = null;
        }
    }
}
