package io.streamkit.relay.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.streamkit.api.CodecException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles the RTMP chunk stream into {@link RtmpMessage}s.
 *
 * <p>Handles the 1-, 2- and 3-byte basic headers (chunk stream ids 2..65599), the four message header formats,
 * timestamp deltas accumulated per chunk stream (32-bit wrap-around), and extended timestamps, including the
 * copy that FFmpeg, librtmp and Flash repeat on type 3 continuation chunks. A type 3 header that starts a new
 * message reuses the previous delta; as in FFmpeg and SRS, the "delta" after a type 0 header is that header's
 * timestamp field.
 *
 * <p>An incoming Set Chunk Size message is applied by the decoder itself and still passed on; an Abort Message
 * drops the partial message of the chunk stream it names and is passed on too.
 *
 * <p>Payload bytes are copied exactly once, from the inbound buffers into the message body: a body of up to 64 KiB
 * is one buffer allocated at its exact length; a longer one is a {@link CompositeByteBuf} of 64 KiB segments
 * allocated as the data arrives, so a peer only costs the memory it actually sends. Lengths read from the wire
 * are checked against the limit before anything is allocated.
 *
 * <p>Errors: malformed input raises {@link CodecException}, which {@link ByteToMessageDecoder} delivers to
 * {@code exceptionCaught} wrapped in a {@link DecoderException}. The decoder then discards all further input
 * and releases its partial messages; the session is expected to close the connection. Partial messages are also
 * released when the handler is removed or the channel becomes inactive.
 *
 * <p>Not sharable; all methods are meant to be called on the channel's event loop.
 *
 * @see <a href="https://rtmp.veriskope.com/docs/spec/#53chunking">RTMP 1.0, 5.3 Chunking</a>
 */
public class RtmpChunkDecoder extends ByteToMessageDecoder {

    /** Default limit on the length of one message: 8 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 8 * 1024 * 1024;
    /** Default limit on the number of chunk streams tracked at once: 64. */
    public static final int DEFAULT_MAX_CHUNK_STREAMS = 64;
    /** The chunk size in effect until the peer sends Set Chunk Size: 128 bytes. */
    public static final int DEFAULT_CHUNK_SIZE = 128;

    private static final Logger log = LoggerFactory.getLogger(RtmpChunkDecoder.class);
    private static final int SEGMENT_SIZE = 64 * 1024;
    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};
    private static final long UINT32_MASK = 0xFFFFFFFFL;
    private static final int EXTENDED_MARKER = 0xFFFFFF;

    private final int maxMessageLength;
    private final int maxChunkStreams;
    private final IntObjectMap<ChunkStream> streams = new IntObjectHashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private long bytesReceived;
    /** The chunk stream whose chunk payload is being read, or null between chunks. */
    private ChunkStream current;
    /** Payload bytes of the current chunk still to read. */
    private int chunkRemaining;
    private boolean failed;
    private boolean warnedMissingExtended;

    /** Creates a decoder with {@link #DEFAULT_MAX_MESSAGE_LENGTH} and {@link #DEFAULT_MAX_CHUNK_STREAMS}. */
    public RtmpChunkDecoder() {
        this(DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_MAX_CHUNK_STREAMS);
    }

    /**
     * Creates a decoder with explicit limits.
     *
     * @param maxMessageLength the longest message accepted, in bytes, 1..0xFFFFFF (longer ones are a
     *            {@link CodecException})
     * @param maxChunkStreams how many distinct chunk streams a peer may use, 1..65598
     * @throws IllegalArgumentException if a limit is out of range
     */
    public RtmpChunkDecoder(int maxMessageLength, int maxChunkStreams) {
        if (maxMessageLength < 1 || maxMessageLength > RtmpMessage.MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("maxMessageLength " + maxMessageLength + " is outside 1..16777215");
        }
        if (maxChunkStreams < 1 || maxChunkStreams > RtmpMessage.MAX_CHUNK_STREAM_ID - 1) {
            throw new IllegalArgumentException("maxChunkStreams " + maxChunkStreams + " is outside 1..65598");
        }
        this.maxMessageLength = maxMessageLength;
        this.maxChunkStreams = maxChunkStreams;
    }

    /**
     * Total bytes of chunk stream consumed since this decoder was added, for the session's Acknowledgement
     * messages (the session sends {@code bytesReceived() & 0xFFFFFFFF} each time a window has passed).
     *
     * @return the number of bytes consumed
     */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** @return the incoming chunk size currently in effect */
    public int chunkSize() {
        return chunkSize;
    }

    /** Decodes as many chunks as {@code in} holds; see the class comment for the errors it throws. */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        try {
            decodeChunks(ctx.alloc(), in, out);
        } catch (RuntimeException e) {
            failed = true;
            releasePartials();
            bytesReceived += in.readerIndex() - start;
            in.skipBytes(in.readableBytes());
            throw e;
        }
        bytesReceived += in.readerIndex() - start;
    }

    private void decodeChunks(ByteBufAllocator alloc, ByteBuf in, List<Object> out) {
        for (;;) {
            if (current != null) {
                int n = Math.min(chunkRemaining, in.readableBytes());
                if (n == 0) {
                    return;
                }
                current.append(alloc, in, n);
                chunkRemaining -= n;
                if (chunkRemaining > 0) {
                    return;
                }
                ChunkStream cs = current;
                current = null;
                if (cs.received == cs.length) {
                    emit(cs, out);
                }
            } else if (!readChunkHeader(in, out)) {
                return;
            }
        }
    }

    /** Reads one complete chunk header, or nothing if it has not fully arrived; returns whether it read one. */
    private boolean readChunkHeader(ByteBuf in, List<Object> out) {
        int r = in.readerIndex();
        int end = in.writerIndex();
        if (r >= end) {
            return false;
        }
        int b0 = in.getUnsignedByte(r);
        int fmt = b0 >>> 6;
        int csid = b0 & 0x3F;
        int pos = r + 1;
        if (csid == 0) {
            if (end < pos + 1) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(pos);
            pos += 1;
        } else if (csid == 1) {
            if (end < pos + 2) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(pos) + (in.getUnsignedByte(pos + 1) << 8);
            pos += 2;
        }
        int headerLength = MESSAGE_HEADER_LENGTH[fmt];
        if (end < pos + headerLength) {
            return false;
        }
        ChunkStream cs = streams.get(csid);
        if (cs == null) {
            // librtmp opens a chunk stream with a type 1 header for pings; anything shorter is unusable.
            if (fmt >= 2) {
                throw new CodecException("RTMP chunk stream " + csid + " begins with a type " + fmt + " header");
            }
            if (streams.size() >= maxChunkStreams) {
                throw new CodecException("RTMP peer uses more than " + maxChunkStreams + " chunk streams");
            }
        }
        boolean continuation = cs != null && cs.inProgress;
        if (continuation && fmt != 3) {
            throw new CodecException("RTMP chunk stream " + csid + " has a type " + fmt
                    + " header while a message of " + cs.length + " bytes is incomplete");
        }
        long field = 0;
        int length = 0;
        int typeId = 0;
        int messageStreamId = 0;
        if (fmt <= 2) {
            field = in.getUnsignedMedium(pos);
        }
        if (fmt <= 1) {
            length = in.getUnsignedMedium(pos + 3);
            typeId = in.getUnsignedByte(pos + 6);
            if (length > maxMessageLength) {
                throw new CodecException(
                        "RTMP message of " + length + " bytes exceeds the limit of " + maxMessageLength);
            }
        }
        if (fmt == 0) {
            messageStreamId = in.getIntLE(pos + 7);
        }
        pos += headerLength;

        boolean extended = fmt <= 2 ? field == EXTENDED_MARKER : cs.extended;
        if (extended) {
            if (end < pos + 4) {
                return false;
            }
            long value = in.getUnsignedInt(pos);
            if (!continuation) {
                field = value;
                pos += 4;
            } else if (value == cs.extendedValue) {
                pos += 4; // the repeated extended timestamp of a continuation chunk
            } else if (!warnedMissingExtended) {
                // Some old encoders omit it on continuation chunks; what follows is payload (SRS does the same).
                warnedMissingExtended = true;
                log.debug("chunk stream {}: continuation chunk without its extended timestamp", csid);
            }
        }
        in.readerIndex(pos);

        if (cs == null) {
            cs = new ChunkStream(csid);
            streams.put(csid, cs);
        }
        if (!continuation) {
            switch (fmt) {
                case 0 -> {
                    cs.timestamp = field;
                    cs.delta = field;
                    cs.length = length;
                    cs.typeId = typeId;
                    cs.messageStreamId = messageStreamId;
                }
                case 1 -> {
                    cs.delta = field;
                    cs.timestamp = (cs.timestamp + field) & UINT32_MASK;
                    cs.length = length;
                    cs.typeId = typeId;
                }
                case 2 -> {
                    cs.delta = field;
                    cs.timestamp = (cs.timestamp + field) & UINT32_MASK;
                }
                default -> {
                    if (extended) {
                        cs.delta = field;
                    }
                    cs.timestamp = (cs.timestamp + cs.delta) & UINT32_MASK;
                }
            }
            if (fmt <= 2) {
                cs.extended = extended;
            }
            if (extended) {
                cs.extendedValue = field;
            }
            cs.start();
            if (cs.length == 0) {
                emit(cs, out);
                return true;
            }
        }
        current = cs;
        chunkRemaining = Math.min(chunkSize, cs.length - cs.received);
        return true;
    }

    private void emit(ChunkStream cs, List<Object> out) {
        RtmpMessage message = new RtmpMessage(cs.id, cs.typeId, cs.messageStreamId, cs.timestamp, cs.takeBody());
        try {
            if (cs.typeId == RtmpMessage.SET_CHUNK_SIZE) {
                chunkSize = RtmpMessage.readSetChunkSize(message.payload());
                log.debug("incoming chunk size set to {}", chunkSize);
            } else if (cs.typeId == RtmpMessage.ABORT) {
                ChunkStream aborted = streams.get(RtmpMessage.readAbort(message.payload()));
                if (aborted != null) {
                    aborted.discard();
                }
            }
        } catch (RuntimeException e) {
            message.release();
            throw e;
        }
        out.add(message);
    }

    private void releasePartials() {
        current = null;
        chunkRemaining = 0;
        for (ChunkStream cs : streams.values()) {
            cs.discard();
        }
    }

    /** Decodes what is left, passes the event on, then releases any partial messages. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            releasePartials();
        }
    }

    /** Releases any partial messages. */
    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePartials();
    }

    /** The header state of one chunk stream and the message being reassembled on it. */
    private static final class ChunkStream {
        final int id;
        long timestamp;
        long delta;
        int length;
        int typeId;
        int messageStreamId;
        /** Whether the last type 0/1/2 header used an extended timestamp (so type 3 chunks carry one too). */
        boolean extended;
        long extendedValue;

        boolean inProgress;
        int received;
        /** The body of a message of up to SEGMENT_SIZE bytes. */
        ByteBuf body;
        /** The body of a longer message: full segments. */
        CompositeByteBuf composite;
        /** The segment of a longer message being filled. */
        ByteBuf segment;

        ChunkStream(int id) {
            this.id = id;
        }

        void start() {
            received = 0;
            inProgress = length > 0;
        }

        void append(ByteBufAllocator alloc, ByteBuf in, int n) {
            if (length <= SEGMENT_SIZE) {
                if (body == null) {
                    body = alloc.buffer(length, length);
                }
                body.writeBytes(in, n);
                received += n;
                return;
            }
            while (n > 0) {
                if (segment == null) {
                    int capacity = Math.min(SEGMENT_SIZE, length - received);
                    segment = alloc.buffer(capacity, capacity);
                }
                int k = Math.min(n, segment.writableBytes());
                segment.writeBytes(in, k);
                n -= k;
                received += k;
                if (!segment.isWritable()) {
                    if (composite == null) {
                        composite = alloc.compositeBuffer((length + SEGMENT_SIZE - 1) / SEGMENT_SIZE);
                    }
                    composite.addComponent(true, segment);
                    segment = null;
                }
            }
        }

        /** Hands over the complete body and resets for the next message. */
        ByteBuf takeBody() {
            ByteBuf result = composite != null ? composite : body != null ? body : Unpooled.EMPTY_BUFFER;
            composite = null;
            body = null;
            inProgress = false;
            return result;
        }

        void discard() {
            if (body != null) {
                body.release();
                body = null;
            }
            if (composite != null) {
                composite.release();
                composite = null;
            }
            if (segment != null) {
                segment.release();
                segment = null;
            }
            inProgress = false;
            received = 0;
        }
    }
}
