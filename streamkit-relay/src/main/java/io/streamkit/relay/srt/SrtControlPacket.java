package io.streamkit.relay.srt;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An SRT control packet. The handshake is {@link SrtHandshake}; the other types are the records
 * nested here. Fields a type does not use (the subtype, or the type-specific word of most types)
 * are written as 0 and ignored when read.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-3.2">draft-sharabayko-srt, Control Packets</a>
 */
public sealed interface SrtControlPacket extends SrtPacket permits SrtHandshake, SrtControlPacket.KeepAlive,
        SrtControlPacket.Ack, SrtControlPacket.Nak, SrtControlPacket.AckAck, SrtControlPacket.Shutdown,
        SrtControlPacket.DropRequest, SrtControlPacket.PeerError, SrtControlPacket.Opaque {

    /** Control type of a handshake. */
    int TYPE_HANDSHAKE = 0x0000;
    /** Control type of a keep-alive. */
    int TYPE_KEEPALIVE = 0x0001;
    /** Control type of an acknowledgement. */
    int TYPE_ACK = 0x0002;
    /** Control type of a negative acknowledgement (loss report). */
    int TYPE_NAK = 0x0003;
    /** Control type of the obsolete congestion warning. */
    int TYPE_CONGESTION_WARNING = 0x0004;
    /** Control type of a shutdown. */
    int TYPE_SHUTDOWN = 0x0005;
    /** Control type of an acknowledgement of an acknowledgement. */
    int TYPE_ACKACK = 0x0006;
    /** Control type of a message drop request. */
    int TYPE_DROPREQ = 0x0007;
    /** Control type of a peer error. */
    int TYPE_PEERERROR = 0x0008;
    /** Control type of user-defined packets (HSv4 carried its extensions in these). */
    int TYPE_USER_DEFINED = 0x7FFF;

    /** @return the 15-bit control type */
    int controlType();

    /**
     * A keep-alive.
     *
     * @param timestamp sender timestamp
     * @param destinationSocketId receiver socket id
     */
    record KeepAlive(int timestamp, int destinationSocketId) implements SrtControlPacket {
        @Override
        public int controlType() {
            return TYPE_KEEPALIVE;
        }
    }

    /** Which fields an ACK carries; the kinds differ in the length of their control information. */
    enum AckKind {
        /** Only the last acknowledged sequence number (4 bytes), sent for every 64 packets at high rates. */
        LIGHT(4),
        /** Up to the available buffer size (16 bytes). */
        SMALL(16),
        /** All fields (28 bytes), sent every 10 ms and answered with an ACKACK. */
        FULL(28);

        private final int length;

        AckKind(int length) {
            this.length = length;
        }

        /** @return the length of the control information field in bytes */
        public int length() {
            return length;
        }
    }

    /**
     * An acknowledgement. Fields the kind does not carry must be 0.
     *
     * @param ackNumber the acknowledgement number (type-specific word), echoed in the ACKACK of a full ACK
     * @param timestamp sender timestamp
     * @param destinationSocketId receiver socket id
     * @param kind which fields are carried
     * @param lastAckedSequence the sequence number after the last packet received without loss
     * @param rtt round-trip time in microseconds
     * @param rttVariance round-trip time variance in microseconds
     * @param availableBuffer available receiver buffer size in packets
     * @param packetReceiveRate packets per second
     * @param linkCapacity estimated link capacity in packets per second
     * @param receiveRate bytes per second
     */
    record Ack(int ackNumber, int timestamp, int destinationSocketId, AckKind kind, int lastAckedSequence, int rtt,
            int rttVariance, int availableBuffer, int packetReceiveRate, int linkCapacity, int receiveRate)
            implements
                SrtControlPacket {

        /** Validates the sequence number and that fields the kind does not carry are 0. */
        public Ack {
            Objects.requireNonNull(kind, "kind");
            if (!SrtSeq.isValid(lastAckedSequence)) {
                throw new IllegalArgumentException(
                        "ACK sequence number " + lastAckedSequence + " does not fit 31 bits");
            }
            if (kind == AckKind.LIGHT && (rtt | rttVariance | availableBuffer) != 0
                    || kind != AckKind.FULL && (packetReceiveRate | linkCapacity | receiveRate) != 0) {
                throw new IllegalArgumentException("a " + kind + " ACK cannot carry the fields of a larger ACK");
            }
        }

        /**
         * @param ackNumber the acknowledgement number
         * @param timestamp sender timestamp
         * @param destinationSocketId receiver socket id
         * @param lastAckedSequence the sequence number after the last packet received without loss
         * @return a light ACK
         */
        public static Ack light(int ackNumber, int timestamp, int destinationSocketId, int lastAckedSequence) {
            return new Ack(ackNumber, timestamp, destinationSocketId, AckKind.LIGHT, lastAckedSequence, 0, 0, 0, 0, 0,
                    0);
        }

        @Override
        public int controlType() {
            return TYPE_ACK;
        }
    }

    /**
     * A loss report.
     *
     * @param timestamp sender timestamp
     * @param destinationSocketId receiver socket id
     * @param lossList the lost packets, as ranges (a single packet is a range of one)
     */
    record Nak(int timestamp, int destinationSocketId, List<SrtSeqRange> lossList) implements SrtControlPacket {

        /** Freezes the loss list, which must not be empty. */
        public Nak {
            lossList = List.copyOf(lossList);
            if (lossList.isEmpty()) {
                throw new IllegalArgumentException("a NAK reports at least one lost packet");
            }
        }

        @Override
        public int controlType() {
            return TYPE_NAK;
        }
    }

    /**
     * The acknowledgement of a full ACK, from which the ACK's sender measures the round-trip time.
     *
     * @param ackNumber the acknowledgement number of the ACK being acknowledged
     * @param timestamp sender timestamp
     * @param destinationSocketId receiver socket id
     */
    record AckAck(int ackNumber, int timestamp, int destinationSocketId) implements SrtControlPacket {
        @Override
        public int controlType() {
            return TYPE_ACKACK;
        }
    }

    /**
     * A shutdown.
     *
     * @param timestamp sender timestamp
     * @param destinationSocketId receiver socket id
     */
    record Shutdown(int timestamp, int destinationSocketId) implements SrtControlPacket {
        @Override
        public int controlType() {
            return TYPE_SHUTDOWN;
        }
    }

    /**
     * A request to drop a message that the sender will not retransmit.
     *
     * @param messageNumber the message number (type-specific word)
     * @param timestamp sender timestamp
     * @param destinationSocketId receiver socket id
     * @param firstSequence the first sequence number of the message
     * @param lastSequence the last sequence number of the message
     */
    record DropRequest(int messageNumber, int timestamp, int destinationSocketId, int firstSequence, int lastSequence)
            implements
                SrtControlPacket {

        /** Validates the sequence numbers. */
        public DropRequest {
            if (!SrtSeq.isValid(firstSequence) || !SrtSeq.isValid(lastSequence)) {
                throw new IllegalArgumentException("drop request range " + firstSequence + ".." + lastSequence
                        + " is not made of 31-bit sequence numbers");
            }
        }

        @Override
        public int controlType() {
            return TYPE_DROPREQ;
        }
    }

    /**
     * A peer error.
     *
     * @param errorCode the error code (type-specific word)
     * @param timestamp sender timestamp
     * @param destinationSocketId receiver socket id
     */
    record PeerError(int errorCode, int timestamp, int destinationSocketId) implements SrtControlPacket {
        @Override
        public int controlType() {
            return TYPE_PEERERROR;
        }
    }

    /**
     * A control packet StreamKit does not interpret but keeps intact: user-defined packets and the
     * obsolete congestion warning.
     *
     * @param controlType {@link #TYPE_USER_DEFINED} or {@link #TYPE_CONGESTION_WARNING}
     * @param subtype the 16-bit subtype
     * @param typeSpecific the type-specific word
     * @param timestamp sender timestamp
     * @param destinationSocketId receiver socket id
     * @param controlInformation the control information field (copied)
     */
    record Opaque(int controlType, int subtype, int typeSpecific, int timestamp, int destinationSocketId,
            byte[] controlInformation) implements SrtControlPacket {

        /** Validates the type and subtype and copies the control information. */
        public Opaque {
            if (controlType != TYPE_USER_DEFINED && controlType != TYPE_CONGESTION_WARNING) {
                throw new IllegalArgumentException("control type " + controlType + " has its own record");
            }
            if ((subtype & ~0xFFFF) != 0) {
                throw new IllegalArgumentException("subtype " + subtype + " does not fit 16 bits");
            }
            controlInformation = controlInformation.clone();
        }

        /** @return a copy of the control information field */
        @Override
        public byte[] controlInformation() {
            return controlInformation.clone();
        }

        /** @return the length of the control information field */
        public int controlInformationLength() {
            return controlInformation.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque other && controlType == other.controlType && subtype == other.subtype
                    && typeSpecific == other.typeSpecific && timestamp == other.timestamp
                    && destinationSocketId == other.destinationSocketId
                    && Arrays.equals(controlInformation, other.controlInformation);
        }

        @Override
        public int hashCode() {
            return Objects.hash(controlType, subtype, typeSpecific, timestamp, destinationSocketId)
                    + 31 * Arrays.hashCode(controlInformation);
        }

        @Override
        public String toString() {
            return "Opaque[controlType=" + controlType + ", subtype=" + subtype + ", typeSpecific=" + typeSpecific
                    + ", timestamp=" + timestamp + ", destinationSocketId=" + destinationSocketId
                    + ", controlInformation=" + controlInformation.length + " bytes]";
        }
    }
}
