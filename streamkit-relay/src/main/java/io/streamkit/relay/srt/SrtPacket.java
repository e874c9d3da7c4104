package io.streamkit.relay.srt;

/**
 * An SRT packet: a {@link SrtDataPacket} or a {@link SrtControlPacket}. Both share the last two
 * header words.
 */
public sealed interface SrtPacket permits SrtDataPacket, SrtControlPacket {
    /** The length of the fixed packet header in bytes. */
    int HEADER_LENGTH = 16;

    /** @return the sender's timestamp, unsigned microseconds since the connection started */
    int timestamp();

    /** @return the SRT socket id of the receiver (0 in a handshake induction request) */
    int destinationSocketId();
}
