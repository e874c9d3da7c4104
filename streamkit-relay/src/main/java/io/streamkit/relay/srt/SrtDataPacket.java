package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import java.util.Objects;

/**
 * An SRT data packet. Its reference count is the payload's: releasing the packet releases the
 * payload.
 *
 * @param sequenceNumber the 31-bit packet sequence number
 * @param position the packet position flag (PP)
 * @param inOrder the order flag (O): whether the message must be delivered in order
 * @param encryption the key-based encryption flag (KK): {@link SrtKeyFlag#NONE}, {@link SrtKeyFlag#EVEN} or {@link SrtKeyFlag#ODD}
 * @param retransmitted the retransmitted flag (R)
 * @param messageNumber the 26-bit message number
 * @param timestamp unsigned microseconds since the connection started
 * @param destinationSocketId the receiver's socket id
 * @param payload the payload (encrypted when {@code encryption} is not {@code NONE}); owned by this packet
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-3.1">draft-sharabayko-srt, Data Packets</a>
 */
public record SrtDataPacket(int sequenceNumber, SrtPacketPosition position, boolean inOrder, SrtKeyFlag encryption,
        boolean retransmitted, int messageNumber, int timestamp, int destinationSocketId, ByteBuf payload)
        implements
            SrtPacket,
            ReferenceCounted {

    /** Validates the field widths. */
    public SrtDataPacket {
        if (!SrtSeq.isValid(sequenceNumber)) {
            throw new IllegalArgumentException("sequence number " + sequenceNumber + " does not fit 31 bits");
        }
        if (!SrtSeq.isValidMessage(messageNumber)) {
            throw new IllegalArgumentException("message number " + messageNumber + " does not fit 26 bits");
        }
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(payload, "payload");
        if (encryption == SrtKeyFlag.BOTH) {
            throw new IllegalArgumentException("a data packet is encrypted with one key, not BOTH");
        }
    }

    /**
     * @param newPayload the payload of the copy
     * @param newEncryption its encryption flag
     * @return this packet with another payload and encryption flag (the reference count of this packet is unchanged)
     */
    public SrtDataPacket withPayload(ByteBuf newPayload, SrtKeyFlag newEncryption) {
        return new SrtDataPacket(sequenceNumber, position, inOrder, newEncryption, retransmitted, messageNumber,
                timestamp, destinationSocketId, newPayload);
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public SrtDataPacket retain() {
        payload.retain();
        return this;
    }

    @Override
    public SrtDataPacket retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public SrtDataPacket touch() {
        payload.touch();
        return this;
    }

    @Override
    public SrtDataPacket touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }
}
