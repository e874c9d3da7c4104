package io.streamkit.relay.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.CodecException;
import io.streamkit.relay.amf.Amf0;
import io.streamkit.relay.amf.AmfObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An RTMP command message (AMF0 type 20, or AMF3 type 17 whose body is AMF0 after one format
 * byte): a name, a transaction id and the remaining values (the command object first).
 *
 * @param name the command name, for example {@code connect}
 * @param transactionId the transaction id, 0 when the command expects no answer
 * @param args the values after the transaction id
 * @see <a href="https://rtmp.veriskope.com/docs/spec/#7211-command-message-20-17">RTMP 1.0, 7.1.1 Command Message</a>
 */
public record RtmpCommand(String name, double transactionId, List<Object> args) {

    /**
     * Parses a command message.
     *
     * @param message a message of type 17 or 20; not released
     * @return the command
     * @throws CodecException when the body does not parse or lacks a name
     */
    public static RtmpCommand parse(RtmpMessage message) {
        ByteBuf body = message.payload().duplicate();
        if (message.typeId() == RtmpMessage.COMMAND_AMF3 && body.isReadable()
                && body.getByte(body.readerIndex()) == 0) {
            body.skipBytes(1);
        }
        List<Object> values = Amf0.decodeAll(body);
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new CodecException("RTMP command without a name: " + values);
        }
        double tx = values.size() > 1 && values.get(1) instanceof Number n ? n.doubleValue() : 0;
        List<Object> rest = values.size() > 2 ? new ArrayList<>(values.subList(2, values.size())) : List.of();
        return new RtmpCommand(name, tx, rest);
    }

    /**
     * @param index index into {@link #args()}
     * @return the argument as a string, or {@code null} when absent or not a string
     */
    public String stringArg(int index) {
        return index < args.size() && args.get(index) instanceof String s ? s : null;
    }

    /**
     * @param index index into {@link #args()}
     * @return the argument as an object, or an empty one
     */
    public AmfObject objectArg(int index) {
        return index < args.size() && args.get(index) instanceof AmfObject o ? o : new AmfObject();
    }

    /**
     * @param index index into {@link #args()}
     * @param fallback value when absent
     * @return the argument as a number
     */
    public double numberArg(int index, double fallback) {
        return index < args.size() && args.get(index) instanceof Number n ? n.doubleValue() : fallback;
    }

    /**
     * Encodes a command message on the command chunk stream.
     *
     * @param alloc the allocator
     * @param messageStreamId the message stream (0 for connection-level commands)
     * @param values the name, the transaction id and the values
     * @return the message
     */
    public static RtmpMessage encode(ByteBufAllocator alloc, int messageStreamId, Object... values) {
        ByteBuf body = alloc.buffer();
        try {
            Amf0.encodeAll(body, values);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        return new RtmpMessage(RtmpMessage.CSID_COMMAND, RtmpMessage.COMMAND_AMF0, messageStreamId, 0, body);
    }

    /**
     * Builds an {@code onStatus} info object.
     *
     * @param level {@code status} or {@code error}
     * @param code for example {@code NetStream.Publish.Start}
     * @param description human readable
     * @return the object
     */
    public static AmfObject status(String level, String code, String description) {
        AmfObject o = new AmfObject();
        o.put("level", level);
        o.put("code", code);
        o.put("description", description);
        return o;
    }

    /**
     * @param alloc the allocator
     * @param messageStreamId the stream
     * @param level {@code status} or {@code error}
     * @param code the status code
     * @param description human readable
     * @return an {@code onStatus} command message
     */
    public static RtmpMessage onStatus(ByteBufAllocator alloc, int messageStreamId, String level, String code,
            String description) {
        return encode(alloc, messageStreamId, "onStatus", 0.0, null, status(level, code, description));
    }
}
