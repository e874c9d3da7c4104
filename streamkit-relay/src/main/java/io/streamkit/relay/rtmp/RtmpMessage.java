package io.streamkit.relay.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCounted;
import io.streamkit.api.CodecException;
import java.util.Objects;

/**
 * One complete RTMP message, as reassembled by {@link RtmpChunkDecoder} or to be split by {@link RtmpChunkEncoder}.
 *
 * <p>The message owns its {@code payload}; the {@link ReferenceCounted} methods delegate to it, so a Netty
 * pipeline that releases the message releases the payload. Whoever holds the last reference releases it.
 *
 * <p>The timestamp is an absolute time in milliseconds with the 32-bit unsigned semantics of the wire: it is
 * always in {@code 0..0xFFFFFFFF} and wraps around after about 49.7 days.
 *
 * <p>The static factories build protocol control and user control messages (chunk stream 2, message stream 0,
 * timestamp 0); the {@code read...} helpers parse the payloads of the ones received, without moving the reader
 * index, and throw {@link CodecException} on a payload that is too short or out of range.
 *
 * @see <a href="https://rtmp.veriskope.com/docs/spec/#54protocol-control-messages">RTMP 1.0, 5.4 Protocol
 *      Control Messages</a>
 * @see <a href="https://rtmp.veriskope.com/docs/spec/#7user-control-messages">RTMP 1.0, 7.1.7 User Control
 *      Messages</a>
 */
public final class RtmpMessage implements ReferenceCounted {

    /** Message type: Set Chunk Size (protocol control). */
    public static final int SET_CHUNK_SIZE = 1;
    /** Message type: Abort Message (protocol control). */
    public static final int ABORT = 2;
    /** Message type: Acknowledgement (protocol control). */
    public static final int ACK = 3;
    /** Message type: User Control Message. */
    public static final int USER_CONTROL = 4;
    /** Message type: Window Acknowledgement Size (protocol control). */
    public static final int WINDOW_ACK_SIZE = 5;
    /** Message type: Set Peer Bandwidth (protocol control). */
    public static final int SET_PEER_BANDWIDTH = 6;
    /** Message type: audio data (an FLV audio tag body). */
    public static final int AUDIO = 8;
    /** Message type: video data (an FLV video tag body). */
    public static final int VIDEO = 9;
    /** Message type: data message in AMF3 (for example {@code @setDataFrame}). */
    public static final int DATA_AMF3 = 15;
    /** Message type: shared object message in AMF3. */
    public static final int SHARED_OBJECT_AMF3 = 16;
    /** Message type: command message in AMF3. */
    public static final int COMMAND_AMF3 = 17;
    /** Message type: data message in AMF0 (for example {@code onMetaData}). */
    public static final int DATA_AMF0 = 18;
    /** Message type: shared object message in AMF0. */
    public static final int SHARED_OBJECT_AMF0 = 19;
    /** Message type: command message in AMF0 ({@code connect}, {@code publish}, ...). */
    public static final int COMMAND_AMF0 = 20;
    /** Message type: aggregate message (a sequence of FLV-tag-like sub-messages). */
    public static final int AGGREGATE = 22;

    /** Chunk stream id reserved for protocol control and user control messages. */
    public static final int CSID_PROTOCOL_CONTROL = 2;
    /** Conventional chunk stream id for command messages. */
    public static final int CSID_COMMAND = 3;
    /** Conventional chunk stream id for audio messages. */
    public static final int CSID_AUDIO = 4;
    /** Conventional chunk stream id for data messages (metadata). */
    public static final int CSID_DATA = 5;
    /** Conventional chunk stream id for video messages. */
    public static final int CSID_VIDEO = 6;
    /** Smallest chunk stream id usable for messages (0 and 1 mark the longer basic header forms). */
    public static final int MIN_CHUNK_STREAM_ID = 2;
    /** Largest chunk stream id the 3-byte basic header can carry. */
    public static final int MAX_CHUNK_STREAM_ID = 65599;

    /** Set Peer Bandwidth limit type: the peer should limit its output to the window size. */
    public static final int LIMIT_HARD = 0;
    /** Set Peer Bandwidth limit type: limit to this window or the one already in effect, whichever is smaller. */
    public static final int LIMIT_SOFT = 1;
    /** Set Peer Bandwidth limit type: hard if the previous limit was hard, otherwise ignore. */
    public static final int LIMIT_DYNAMIC = 2;

    /** User control event: the server tells the client a stream became functional (data: stream id). */
    public static final int EVENT_STREAM_BEGIN = 0;
    /** User control event: the playback of a stream is over (data: stream id). */
    public static final int EVENT_STREAM_EOF = 1;
    /** User control event: no more data on the stream for now (data: stream id). */
    public static final int EVENT_STREAM_DRY = 2;
    /** User control event: the client's buffer length (data: stream id, buffer length in ms). */
    public static final int EVENT_SET_BUFFER_LENGTH = 3;
    /** User control event: the stream is a recorded stream (data: stream id). */
    public static final int EVENT_STREAM_IS_RECORDED = 4;
    /** User control event: ping request (data: a timestamp in ms). */
    public static final int EVENT_PING_REQUEST = 6;
    /** User control event: ping response, echoing the request's timestamp. */
    public static final int EVENT_PING_RESPONSE = 7;

    /** The largest payload the 3-byte message length field can describe. */
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFFFF;

    private static final long UINT32_MASK = 0xFFFFFFFFL;

    private final int chunkStreamId;
    private final int typeId;
    private final int messageStreamId;
    private final long timestamp;
    private final ByteBuf payload;

    /**
     * Creates a message that takes ownership of {@code payload}.
     *
     * @param chunkStreamId the chunk stream it travels on, {@value #MIN_CHUNK_STREAM_ID}..{@value #MAX_CHUNK_STREAM_ID}
     * @param typeId the message type id, 0..255 (see the constants of this class)
     * @param messageStreamId the message stream id (0 for the connection, otherwise a stream from {@code createStream});
     *            treated as 32 unsigned bits on the wire
     * @param timestamp the absolute timestamp in ms; only the low 32 bits are kept
     * @param payload the message body, readable bytes only; ownership passes to the message
     * @throws IllegalArgumentException if the chunk stream id or type id is out of range
     */
    public RtmpMessage(int chunkStreamId, int typeId, int messageStreamId, long timestamp, ByteBuf payload) {
        if (chunkStreamId < MIN_CHUNK_STREAM_ID || chunkStreamId > MAX_CHUNK_STREAM_ID) {
            throw new IllegalArgumentException("chunk stream id " + chunkStreamId + " is outside "
                    + MIN_CHUNK_STREAM_ID + ".." + MAX_CHUNK_STREAM_ID);
        }
        if (typeId < 0 || typeId > 255) {
            throw new IllegalArgumentException("message type id " + typeId + " is outside 0..255");
        }
        this.chunkStreamId = chunkStreamId;
        this.typeId = typeId;
        this.messageStreamId = messageStreamId;
        this.timestamp = timestamp & UINT32_MASK;
        this.payload = Objects.requireNonNull(payload, "payload");
    }

    /** @return the chunk stream id, {@value #MIN_CHUNK_STREAM_ID}..{@value #MAX_CHUNK_STREAM_ID} */
    public int chunkStreamId() {
        return chunkStreamId;
    }

    /** @return the message type id, 0..255 */
    public int typeId() {
        return typeId;
    }

    /** @return the message stream id (32 bits, 0 for connection-level messages) */
    public int messageStreamId() {
        return messageStreamId;
    }

    /** @return the absolute timestamp in ms, 0..0xFFFFFFFF */
    public long timestamp() {
        return timestamp;
    }

    /** @return the message body; owned by this message, so retain it to keep it beyond the message's release */
    public ByteBuf payload() {
        return payload;
    }

    /** @return the number of readable payload bytes */
    public int length() {
        return payload.readableBytes();
    }

    /**
     * Returns a message with the same header and the given payload; this message is left untouched.
     *
     * @param newPayload the body of the new message, whose ownership passes to it
     * @return the new message
     */
    public RtmpMessage replace(ByteBuf newPayload) {
        return new RtmpMessage(chunkStreamId, typeId, messageStreamId, timestamp, newPayload);
    }

    /** @return the payload's reference count */
    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    /** Retains the payload; returns this message. */
    @Override
    public RtmpMessage retain() {
        payload.retain();
        return this;
    }

    /** Retains the payload {@code increment} times; returns this message. */
    @Override
    public RtmpMessage retain(int increment) {
        payload.retain(increment);
        return this;
    }

    /** Records the payload's access point for leak detection; returns this message. */
    @Override
    public RtmpMessage touch() {
        payload.touch();
        return this;
    }

    /** Records the payload's access point, with a hint, for leak detection; returns this message. */
    @Override
    public RtmpMessage touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    /** Releases the payload; returns whether it was deallocated. */
    @Override
    public boolean release() {
        return payload.release();
    }

    /** Releases the payload {@code decrement} times; returns whether it was deallocated. */
    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }

    /** @return the header fields and the payload length, for logs */
    @Override
    public String toString() {
        return "RtmpMessage[csid=" + chunkStreamId + ", type=" + typeId + ", msid=" + messageStreamId + ", ts="
                + timestamp + ", length=" + (payload.refCnt() > 0 ? payload.readableBytes() : -1) + "]";
    }

    // ---- protocol control message factories ----

    /**
     * Builds a Set Chunk Size message.
     *
     * @param alloc where the payload is allocated
     * @param chunkSize the new maximum chunk size, 1..0x7FFFFFFF
     * @return the message; the caller owns it
     * @throws IllegalArgumentException if {@code chunkSize} is not positive
     */
    public static RtmpMessage setChunkSize(ByteBufAllocator alloc, int chunkSize) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is not positive");
        }
        return control(alloc, SET_CHUNK_SIZE, 4, chunkSize);
    }

    /**
     * Builds an Abort Message, telling the peer to discard the partial message of a chunk stream.
     *
     * @param alloc where the payload is allocated
     * @param chunkStreamId the chunk stream whose partial message is dropped
     * @return the message; the caller owns it
     */
    public static RtmpMessage abort(ByteBufAllocator alloc, int chunkStreamId) {
        return control(alloc, ABORT, 4, chunkStreamId);
    }

    /**
     * Builds an Acknowledgement message.
     *
     * @param alloc where the payload is allocated
     * @param sequenceNumber the number of bytes received so far; only the low 32 bits are sent
     * @return the message; the caller owns it
     */
    public static RtmpMessage acknowledgement(ByteBufAllocator alloc, long sequenceNumber) {
        return control(alloc, ACK, 4, (int) sequenceNumber);
    }

    /**
     * Builds a Window Acknowledgement Size message.
     *
     * @param alloc where the payload is allocated
     * @param windowSize the number of bytes after which the peer must acknowledge, 0..0xFFFFFFFF
     * @return the message; the caller owns it
     * @throws IllegalArgumentException if {@code windowSize} does not fit 32 unsigned bits
     */
    public static RtmpMessage windowAckSize(ByteBufAllocator alloc, long windowSize) {
        checkUint32("window size", windowSize);
        return control(alloc, WINDOW_ACK_SIZE, 4, (int) windowSize);
    }

    /**
     * Builds a Set Peer Bandwidth message.
     *
     * @param alloc where the payload is allocated
     * @param windowSize the peer's output window in bytes, 0..0xFFFFFFFF
     * @param limitType {@link #LIMIT_HARD}, {@link #LIMIT_SOFT} or {@link #LIMIT_DYNAMIC}
     * @return the message; the caller owns it
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static RtmpMessage setPeerBandwidth(ByteBufAllocator alloc, long windowSize, int limitType) {
        checkUint32("window size", windowSize);
        if (limitType < LIMIT_HARD || limitType > LIMIT_DYNAMIC) {
            throw new IllegalArgumentException("limit type " + limitType + " is not 0, 1 or 2");
        }
        RtmpMessage m = control(alloc, SET_PEER_BANDWIDTH, 5, (int) windowSize);
        m.payload.writeByte(limitType);
        return m;
    }

    // ---- user control message factories ----

    /**
     * Builds a User Control Stream Begin event.
     *
     * @param alloc where the payload is allocated
     * @param streamId the message stream that became functional
     * @return the message; the caller owns it
     */
    public static RtmpMessage streamBegin(ByteBufAllocator alloc, int streamId) {
        return userControl(alloc, EVENT_STREAM_BEGIN, streamId);
    }

    /**
     * Builds a User Control Stream EOF event.
     *
     * @param alloc where the payload is allocated
     * @param streamId the message stream whose playback ended
     * @return the message; the caller owns it
     */
    public static RtmpMessage streamEof(ByteBufAllocator alloc, int streamId) {
        return userControl(alloc, EVENT_STREAM_EOF, streamId);
    }

    /**
     * Builds a User Control Stream Dry event.
     *
     * @param alloc where the payload is allocated
     * @param streamId the message stream that has no more data for now
     * @return the message; the caller owns it
     */
    public static RtmpMessage streamDry(ByteBufAllocator alloc, int streamId) {
        return userControl(alloc, EVENT_STREAM_DRY, streamId);
    }

    /**
     * Builds a User Control Stream Is Recorded event.
     *
     * @param alloc where the payload is allocated
     * @param streamId the recorded message stream
     * @return the message; the caller owns it
     */
    public static RtmpMessage streamIsRecorded(ByteBufAllocator alloc, int streamId) {
        return userControl(alloc, EVENT_STREAM_IS_RECORDED, streamId);
    }

    /**
     * Builds a User Control Set Buffer Length event (sent by clients).
     *
     * @param alloc where the payload is allocated
     * @param streamId the message stream the buffer belongs to
     * @param bufferMillis the buffer length in ms
     * @return the message; the caller owns it
     */
    public static RtmpMessage setBufferLength(ByteBufAllocator alloc, int streamId, int bufferMillis) {
        RtmpMessage m = userControl(alloc, EVENT_SET_BUFFER_LENGTH, streamId, 10);
        m.payload.writeInt(bufferMillis);
        return m;
    }

    /**
     * Builds a User Control Ping Request event.
     *
     * @param alloc where the payload is allocated
     * @param timestamp the sender's local time in ms; only the low 32 bits are sent
     * @return the message; the caller owns it
     */
    public static RtmpMessage pingRequest(ByteBufAllocator alloc, long timestamp) {
        return userControl(alloc, EVENT_PING_REQUEST, (int) timestamp);
    }

    /**
     * Builds a User Control Ping Response event.
     *
     * @param alloc where the payload is allocated
     * @param timestamp the timestamp of the ping request being answered
     * @return the message; the caller owns it
     */
    public static RtmpMessage pingResponse(ByteBufAllocator alloc, long timestamp) {
        return userControl(alloc, EVENT_PING_RESPONSE, (int) timestamp);
    }

    // ---- payload parsers ----

    /**
     * Parses the payload of a Set Chunk Size message.
     *
     * @param payload the message payload (not consumed)
     * @return the new chunk size, 1..0x7FFFFFFF
     * @throws CodecException if the payload is shorter than 4 bytes or the size is 0 or has its top bit set
     */
    public static int readSetChunkSize(ByteBuf payload) {
        checkLength(payload, 4, "Set Chunk Size");
        int size = payload.getInt(payload.readerIndex());
        if (size <= 0) {
            throw new CodecException("invalid RTMP chunk size " + (size & UINT32_MASK) + " (must be 1..2147483647)");
        }
        return size;
    }

    /**
     * Parses the payload of an Abort Message.
     *
     * @param payload the message payload (not consumed)
     * @return the chunk stream id whose partial message is to be dropped
     * @throws CodecException if the payload is shorter than 4 bytes
     */
    public static int readAbort(ByteBuf payload) {
        checkLength(payload, 4, "Abort");
        return payload.getInt(payload.readerIndex());
    }

    /**
     * Parses the payload of an Acknowledgement message.
     *
     * @param payload the message payload (not consumed)
     * @return the sequence number, 0..0xFFFFFFFF
     * @throws CodecException if the payload is shorter than 4 bytes
     */
    public static long readAcknowledgement(ByteBuf payload) {
        checkLength(payload, 4, "Acknowledgement");
        return payload.getUnsignedInt(payload.readerIndex());
    }

    /**
     * Parses the payload of a Window Acknowledgement Size message.
     *
     * @param payload the message payload (not consumed)
     * @return the window size in bytes, 0..0xFFFFFFFF
     * @throws CodecException if the payload is shorter than 4 bytes
     */
    public static long readWindowAckSize(ByteBuf payload) {
        checkLength(payload, 4, "Window Acknowledgement Size");
        return payload.getUnsignedInt(payload.readerIndex());
    }

    /**
     * Parses the window size of a Set Peer Bandwidth message.
     *
     * @param payload the message payload (not consumed)
     * @return the window size in bytes, 0..0xFFFFFFFF
     * @throws CodecException if the payload is shorter than 5 bytes
     */
    public static long readPeerBandwidthWindow(ByteBuf payload) {
        checkLength(payload, 5, "Set Peer Bandwidth");
        return payload.getUnsignedInt(payload.readerIndex());
    }

    /**
     * Parses the limit type of a Set Peer Bandwidth message.
     *
     * @param payload the message payload (not consumed)
     * @return {@link #LIMIT_HARD}, {@link #LIMIT_SOFT} or {@link #LIMIT_DYNAMIC} (other values are returned as
     *         sent; the spec defines no others)
     * @throws CodecException if the payload is shorter than 5 bytes
     */
    public static int readPeerBandwidthLimitType(ByteBuf payload) {
        checkLength(payload, 5, "Set Peer Bandwidth");
        return payload.getUnsignedByte(payload.readerIndex() + 4);
    }

    /**
     * Parses the event type of a User Control message.
     *
     * @param payload the message payload (not consumed)
     * @return the event type, for example {@link #EVENT_PING_REQUEST}
     * @throws CodecException if the payload is shorter than 2 bytes
     */
    public static int readUserControlEventType(ByteBuf payload) {
        checkLength(payload, 2, "User Control");
        return payload.getUnsignedShort(payload.readerIndex());
    }

    /**
     * Parses the first 4-byte field of a User Control event: the stream id of the stream events and
     * {@link #EVENT_SET_BUFFER_LENGTH}, the timestamp of {@link #EVENT_PING_REQUEST} and
     * {@link #EVENT_PING_RESPONSE}.
     *
     * @param payload the message payload (not consumed)
     * @return the value as 32 unsigned bits
     * @throws CodecException if the payload is shorter than 6 bytes
     */
    public static long readUserControlValue(ByteBuf payload) {
        checkLength(payload, 6, "User Control");
        return payload.getUnsignedInt(payload.readerIndex() + 2);
    }

    /**
     * Parses the buffer length of a User Control {@link #EVENT_SET_BUFFER_LENGTH} event.
     *
     * @param payload the message payload (not consumed)
     * @return the buffer length in ms
     * @throws CodecException if the payload is shorter than 10 bytes
     */
    public static int readBufferLength(ByteBuf payload) {
        checkLength(payload, 10, "Set Buffer Length");
        return payload.getInt(payload.readerIndex() + 6);
    }

    // ---- internals ----

    private static RtmpMessage userControl(ByteBufAllocator alloc, int event, int value) {
        return userControl(alloc, event, value, 6);
    }

    private static RtmpMessage userControl(ByteBufAllocator alloc, int event, int value, int capacity) {
        ByteBuf buf = alloc.buffer(capacity, capacity);
        buf.writeShort(event).writeInt(value);
        return new RtmpMessage(CSID_PROTOCOL_CONTROL, USER_CONTROL, 0, 0, buf);
    }

    private static RtmpMessage control(ByteBufAllocator alloc, int type, int capacity, int value) {
        ByteBuf buf = alloc.buffer(capacity, capacity);
        buf.writeInt(value);
        return new RtmpMessage(CSID_PROTOCOL_CONTROL, type, 0, 0, buf);
    }

    private static void checkUint32(String what, long value) {
        if (value < 0 || value > UINT32_MASK) {
            throw new IllegalArgumentException(what + " " + value + " does not fit 32 unsigned bits");
        }
    }

    private static void checkLength(ByteBuf payload, int needed, String what) {
        if (payload.readableBytes() < needed) {
            throw new CodecException("RTMP " + what + " message of " + payload.readableBytes()
                    + " bytes is shorter than " + needed);
        }
    }
}
