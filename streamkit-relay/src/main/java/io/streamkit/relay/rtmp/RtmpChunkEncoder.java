package io.streamkit.relay.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.streamkit.api.CodecException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits {@link RtmpMessage}s into chunks of the outgoing chunk size, without copying their payloads.
 *
 * <p>Each message becomes one {@link CompositeByteBuf} whose components alternate between chunk headers (slices of
 * one small header buffer) and retained slices of the message payload.
 *
 * <p>Header compression per chunk stream: type 0 for the first message of a chunk stream, when the message stream
 * id changes, or when the timestamp goes backwards (a forward step of 2^31 ms or more, modulo 2^32, counts as
 * backwards); type 1 when the length or type id changes; type 3 when the delta, length and type repeat the
 * previous message's and that delta came from a type 1 or 2 header; type 2 otherwise. Continuation chunks are
 * type 3. Timestamps or deltas of 0xFFFFFF and more go into the extended timestamp field, which is repeated on
 * every type 3 chunk that follows, as FFmpeg and Flash do and expect.
 *
 * <p>The outgoing chunk size starts at 128. Encoding a Set Chunk Size message switches to the new size after that
 * message has been written; {@link #setChunkSize(int)} switches explicitly. A message that cannot be encoded (a
 * payload longer than 0xFFFFFF bytes, an invalid Set Chunk Size) fails the write with an {@link EncoderException}
 * whose cause is a {@link CodecException}.
 *
 * <p>Not sharable; call its methods on the channel's event loop.
 *
 * @see <a href="https://rtmp.veriskope.com/docs/spec/#53chunking">RTMP 1.0, 5.3 Chunking</a>
 */
public class RtmpChunkEncoder extends MessageToMessageEncoder<RtmpMessage> {

    private static final Logger log = LoggerFactory.getLogger(RtmpChunkEncoder.class);
    private static final long UINT32_MASK = 0xFFFFFFFFL;
    private static final int EXTENDED_MARKER = 0xFFFFFF;
    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};

    private final IntObjectMap<ChunkStream> streams = new IntObjectHashMap<>();
    private int chunkSize = RtmpChunkDecoder.DEFAULT_CHUNK_SIZE;

    /** Creates an encoder with the default outgoing chunk size of 128 bytes. */
    public RtmpChunkEncoder() {
        super(RtmpMessage.class);
    }

    /** @return the outgoing chunk size in effect */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Changes the outgoing chunk size for the messages encoded from now on. Only call this after a Set Chunk Size
     * message with the same value has been written (encoding one does this automatically).
     *
     * @param chunkSize the new chunk size, 1..0x7FFFFFFF
     * @throws IllegalArgumentException if {@code chunkSize} is not positive
     */
    public void setChunkSize(int chunkSize) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is not positive");
        }
        this.chunkSize = chunkSize;
    }

    /** Chunks one message into a composite buffer; see the class comment. */
    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage msg, List<Object> out) {
        ByteBuf payload = msg.payload();
        int length = payload.readableBytes();
        if (length > RtmpMessage.MAX_PAYLOAD_LENGTH) {
            throw new CodecException("RTMP message of " + length + " bytes exceeds the limit of "
                    + RtmpMessage.MAX_PAYLOAD_LENGTH);
        }
        int newChunkSize = msg.typeId() == RtmpMessage.SET_CHUNK_SIZE ? RtmpMessage.readSetChunkSize(payload) : 0;

        int csid = msg.chunkStreamId();
        long timestamp = msg.timestamp();
        ChunkStream prev = streams.get(csid);
        int fmt;
        long delta = 0;
        if (prev == null) {
            fmt = 0;
        } else {
            delta = (timestamp - prev.timestamp) & UINT32_MASK;
            if (msg.messageStreamId() != prev.messageStreamId || delta >= 0x80000000L) {
                fmt = 0;
            } else if (length != prev.length || msg.typeId() != prev.typeId) {
                fmt = 1;
            } else if (prev.deltaFromHeader && delta == prev.delta) {
                fmt = 3;
            } else {
                fmt = 2;
            }
        }
        long field = fmt == 0 ? timestamp : delta;
        boolean extended = fmt == 3 ? prev.extended : field >= EXTENDED_MARKER;
        long extendedValue = fmt == 3 ? prev.extendedValue : field;

        int chunks = length == 0 ? 1 : (length - 1) / chunkSize + 1;
        int basicLength = csid < 64 ? 1 : csid < 320 ? 2 : 3;
        int extLength = extended ? 4 : 0;
        int firstLength = basicLength + MESSAGE_HEADER_LENGTH[fmt] + extLength;
        int nextLength = basicLength + extLength;
        int headersLength = firstLength + (chunks - 1) * nextLength;

        ByteBuf headers = ctx.alloc().buffer(headersLength, headersLength);
        CompositeByteBuf result = ctx.alloc().compositeBuffer(chunks * 2);
        try {
            writeBasicHeader(headers, fmt, csid);
            if (fmt <= 2) {
                headers.writeMedium(extended ? EXTENDED_MARKER : (int) field);
            }
            if (fmt <= 1) {
                headers.writeMedium(length);
                headers.writeByte(msg.typeId());
            }
            if (fmt == 0) {
                headers.writeIntLE(msg.messageStreamId());
            }
            if (extended) {
                headers.writeInt((int) extendedValue);
            }
            int offset = payload.readerIndex();
            int remaining = length;
            int headerStart = 0;
            int headerLength = firstLength;
            for (int i = 0; i < chunks; i++) {
                if (i > 0) {
                    writeBasicHeader(headers, 3, csid);
                    if (extended) {
                        headers.writeInt((int) extendedValue);
                    }
                }
                result.addComponent(true, headers.retainedSlice(headerStart, headerLength));
                int n = Math.min(remaining, chunkSize);
                if (n > 0) {
                    result.addComponent(true, payload.retainedSlice(offset, n));
                }
                offset += n;
                remaining -= n;
                headerStart += headerLength;
                headerLength = nextLength;
            }
        } catch (RuntimeException e) {
            result.release();
            throw e;
        } finally {
            headers.release();
        }
        out.add(result);

        ChunkStream state = prev;
        if (state == null) {
            state = new ChunkStream();
            streams.put(csid, state);
        }
        state.timestamp = timestamp;
        state.messageStreamId = msg.messageStreamId();
        state.length = length;
        state.typeId = msg.typeId();
        if (fmt != 3) {
            state.delta = field;
            state.deltaFromHeader = fmt != 0;
            state.extended = extended;
            state.extendedValue = field;
        }
        if (newChunkSize > 0) {
            chunkSize = newChunkSize;
            log.debug("outgoing chunk size set to {}", newChunkSize);
        }
    }

    /**
     * Chunks a message into one contiguous buffer that depends on no previous header: a type 0
     * header, then type 3 continuation chunks (with the extended timestamp repeated when used).
     * Such a buffer can be written, unchanged and shared, to every connection whose outgoing
     * chunk size is {@code chunkSize}, on a chunk stream id that connection's encoder never uses.
     * The message is not released.
     *
     * @param alloc the allocator
     * @param msg the message
     * @param chunkSize the connection's outgoing chunk size
     * @return the chunked bytes
     */
    public static ByteBuf encodeSelfContained(ByteBufAllocator alloc, RtmpMessage msg, int chunkSize) {
        ByteBuf payload = msg.payload();
        int length = payload.readableBytes();
        if (length > RtmpMessage.MAX_PAYLOAD_LENGTH) {
            throw new CodecException("RTMP message of " + length + " bytes exceeds the limit of "
                    + RtmpMessage.MAX_PAYLOAD_LENGTH);
        }
        int csid = msg.chunkStreamId();
        long timestamp = msg.timestamp() & UINT32_MASK;
        boolean extended = timestamp >= EXTENDED_MARKER;
        int chunks = length == 0 ? 1 : (length - 1) / chunkSize + 1;
        int basicLength = csid < 64 ? 1 : csid < 320 ? 2 : 3;
        int extLength = extended ? 4 : 0;
        int total = basicLength + 11 + extLength + (chunks - 1) * (basicLength + extLength) + length;
        ByteBuf out = alloc.directBuffer(total, total);
        writeBasicHeader(out, 0, csid);
        out.writeMedium(extended ? EXTENDED_MARKER : (int) timestamp);
        out.writeMedium(length);
        out.writeByte(msg.typeId());
        out.writeIntLE(msg.messageStreamId());
        if (extended) {
            out.writeInt((int) timestamp);
        }
        int offset = payload.readerIndex();
        for (int i = 0; i < chunks; i++) {
            if (i > 0) {
                writeBasicHeader(out, 3, csid);
                if (extended) {
                    out.writeInt((int) timestamp);
                }
            }
            int n = Math.min(chunkSize, length - i * chunkSize);
            if (n > 0) {
                out.writeBytes(payload, offset + i * chunkSize, n);
            }
        }
        return out;
    }

    private static void writeBasicHeader(ByteBuf buf, int fmt, int csid) {
        if (csid < 64) {
            buf.writeByte(fmt << 6 | csid);
        } else if (csid < 320) {
            buf.writeByte(fmt << 6);
            buf.writeByte(csid - 64);
        } else {
            buf.writeByte(fmt << 6 | 1);
            buf.writeShortLE(csid - 64);
        }
    }

    /** What the peer's decoder remembers about one chunk stream after the last message sent on it. */
    private static final class ChunkStream {
        long timestamp;
        int messageStreamId;
        int length;
        int typeId;
        long delta;
        /** Whether {@link #delta} was set by a type 1 or 2 header (after type 0, peers disagree on the delta). */
        boolean deltaFromHeader;
        boolean extended;
        long extendedValue;
    }
}
