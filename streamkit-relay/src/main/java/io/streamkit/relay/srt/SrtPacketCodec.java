package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.api.CodecException;
import io.streamkit.relay.srt.SrtControlPacket.Ack;
import io.streamkit.relay.srt.SrtControlPacket.AckAck;
import io.streamkit.relay.srt.SrtControlPacket.AckKind;
import io.streamkit.relay.srt.SrtControlPacket.DropRequest;
import io.streamkit.relay.srt.SrtControlPacket.KeepAlive;
import io.streamkit.relay.srt.SrtControlPacket.Nak;
import io.streamkit.relay.srt.SrtControlPacket.Opaque;
import io.streamkit.relay.srt.SrtControlPacket.PeerError;
import io.streamkit.relay.srt.SrtControlPacket.Shutdown;
import io.streamkit.relay.srt.SrtHandshakeExtension.Congestion;
import io.streamkit.relay.srt.SrtHandshakeExtension.Filter;
import io.streamkit.relay.srt.SrtHandshakeExtension.HsMessage;
import io.streamkit.relay.srt.SrtHandshakeExtension.KeyMaterialError;
import io.streamkit.relay.srt.SrtHandshakeExtension.KeyMaterialMessage;
import io.streamkit.relay.srt.SrtHandshakeExtension.Raw;
import io.streamkit.relay.srt.SrtHandshakeExtension.StreamId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes SRT packets, one UDP datagram each.
 *
 * <p>Header: bit 0 of the first word is the control flag. A data packet continues with the
 * 31-bit sequence number, then {@code PP(2) O(1) KK(2) R(1)} and the 26-bit message number; a
 * control packet with the 15-bit type and 16-bit subtype, then the type-specific word. Both end
 * with the timestamp and the destination socket id.
 *
 * <p>Like libsrt, the encoder pads keep-alive, shutdown, ACKACK and peer-error packets with one
 * zero word of control information; the decoder ignores control information those types do not
 * define.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-3">draft-sharabayko-srt, Packet Structure</a>
 */
public final class SrtPacketCodec {
    private static final int CONTROL_FLAG = 0x80000000;
    private static final int RANGE_FLAG = 0x80000000;
    private static final int PAD = 4;

    private SrtPacketCodec() {
    }

    /**
     * Decodes one datagram. The datagram's indexes and reference count are left unchanged; a data
     * packet holds a retained slice of it as its payload, which its receiver must release.
     *
     * @param datagram the readable bytes of one UDP datagram
     * @return a {@link SrtDataPacket} or a {@link SrtControlPacket}
     * @throws CodecException if the datagram is not a well-formed SRT packet
     */
    public static SrtPacket decode(ByteBuf datagram) {
        int base = datagram.readerIndex();
        int length = datagram.readableBytes();
        if (length < SrtPacket.HEADER_LENGTH) {
            throw new CodecException("SRT packet of " + length + " bytes is shorter than the 16-byte header");
        }
        try {
            int word0 = datagram.getInt(base);
            int word1 = datagram.getInt(base + 4);
            int timestamp = datagram.getInt(base + 8);
            int destination = datagram.getInt(base + 12);
            if ((word0 & CONTROL_FLAG) == 0) {
                return decodeData(datagram, base, length, word0, word1, timestamp, destination);
            }
            int type = (word0 >>> 16) & 0x7FFF;
            int subtype = word0 & 0xFFFF;
            ByteBuf cif = datagram.slice(base + SrtPacket.HEADER_LENGTH, length - SrtPacket.HEADER_LENGTH);
            return decodeControl(type, subtype, word1, timestamp, destination, cif);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            // every length is checked before it is used; this is a safety net, not a code path
            throw new CodecException("malformed SRT packet: " + e.getMessage(), e);
        }
    }

    private static SrtDataPacket decodeData(ByteBuf datagram, int base, int length, int word0, int word1,
            int timestamp, int destination) {
        SrtKeyFlag kk = SrtKeyFlag.fromBits(word1 >>> 27);
        if (kk == SrtKeyFlag.BOTH) {
            throw new CodecException("SRT data packet has encryption flags KK=11, which only key material may use");
        }
        ByteBuf payload = datagram.retainedSlice(base + SrtPacket.HEADER_LENGTH, length - SrtPacket.HEADER_LENGTH);
        return new SrtDataPacket(word0 & SrtSeq.MAX, SrtPacketPosition.fromBits(word1 >>> 30),
                (word1 & (1 << 29)) != 0, kk, (word1 & (1 << 26)) != 0, word1 & SrtSeq.MSG_MAX, timestamp, destination,
                payload);
    }

    private static SrtControlPacket decodeControl(int type, int subtype, int info, int timestamp, int destination,
            ByteBuf cif) {
        switch (type) {
            case SrtControlPacket.TYPE_HANDSHAKE :
                return decodeHandshake(timestamp, destination, cif);
            case SrtControlPacket.TYPE_KEEPALIVE :
                return new KeepAlive(timestamp, destination);
            case SrtControlPacket.TYPE_ACK :
                return decodeAck(info, timestamp, destination, cif);
            case SrtControlPacket.TYPE_NAK :
                return new Nak(timestamp, destination, decodeLossList(cif));
            case SrtControlPacket.TYPE_SHUTDOWN :
                return new Shutdown(timestamp, destination);
            case SrtControlPacket.TYPE_ACKACK :
                return new AckAck(info, timestamp, destination);
            case SrtControlPacket.TYPE_DROPREQ :
                if (cif.readableBytes() < 8) {
                    throw new CodecException("SRT drop request has " + cif.readableBytes()
                            + " bytes of control information, expected 8");
                }
                return new DropRequest(info, timestamp, destination, sequence(cif.readInt(), "drop request first"),
                        sequence(cif.readInt(), "drop request last"));
            case SrtControlPacket.TYPE_PEERERROR :
                return new PeerError(info, timestamp, destination);
            case SrtControlPacket.TYPE_CONGESTION_WARNING :
            case SrtControlPacket.TYPE_USER_DEFINED :
                byte[] bytes = new byte[cif.readableBytes()];
                cif.readBytes(bytes);
                return new Opaque(type, subtype, info, timestamp, destination, bytes);
            default :
                throw new CodecException(String.format("unknown SRT control type 0x%04x", type));
        }
    }

    private static int sequence(int word, String what) {
        if (!SrtSeq.isValid(word)) {
            throw new CodecException(String.format("SRT %s sequence number 0x%08x has the most significant bit set",
                    what, word));
        }
        return word;
    }

    private static Ack decodeAck(int ackNumber, int timestamp, int destination, ByteBuf cif) {
        int n = cif.readableBytes();
        if (n != AckKind.LIGHT.length() && n != AckKind.SMALL.length() && n != 24 && n < AckKind.FULL.length()) {
            throw new CodecException("SRT ACK has " + n + " bytes of control information; expected 4, 16 or 28");
        }
        int seq = sequence(cif.readInt(), "ACK");
        if (n == AckKind.LIGHT.length()) {
            return Ack.light(ackNumber, timestamp, destination, seq);
        }
        if (n == AckKind.SMALL.length()) {
            return new Ack(ackNumber, timestamp, destination, AckKind.SMALL, seq, cif.readInt(), cif.readInt(),
                    cif.readInt(), 0, 0, 0);
        }
        // 24 bytes: a UDT-era full ACK without the receiving rate; longer: fields of later versions, ignored
        return new Ack(ackNumber, timestamp, destination, AckKind.FULL, seq, cif.readInt(), cif.readInt(),
                cif.readInt(), cif.readInt(), cif.readInt(), n == 24 ? 0 : cif.readInt());
    }

    private static List<SrtSeqRange> decodeLossList(ByteBuf cif) {
        int n = cif.readableBytes();
        if (n == 0) {
            throw new CodecException("SRT NAK has an empty loss list");
        }
        if (n % 4 != 0) {
            throw new CodecException("SRT NAK loss list is " + n + " bytes, not a whole number of 32-bit words");
        }
        List<SrtSeqRange> ranges = new ArrayList<>(n / 4);
        while (cif.isReadable()) {
            int word = cif.readInt();
            if ((word & RANGE_FLAG) == 0) {
                ranges.add(SrtSeqRange.of(word));
                continue;
            }
            int first = word & SrtSeq.MAX;
            if (!cif.isReadable()) {
                throw new CodecException("SRT NAK loss list ends inside the range starting at " + first);
            }
            int last = cif.readInt();
            if ((last & RANGE_FLAG) != 0) {
                throw new CodecException("SRT NAK loss range starting at " + first + " ends with a range start");
            }
            if (SrtSeq.isBefore(last, first)) {
                throw new CodecException("SRT NAK loss range end " + last + " is before its start " + first);
            }
            ranges.add(new SrtSeqRange(first, last));
        }
        return ranges;
    }

    private static SrtHandshake decodeHandshake(int timestamp, int destination, ByteBuf cif) {
        if (cif.readableBytes() < SrtHandshake.CIF_LENGTH) {
            throw new CodecException("SRT handshake has " + cif.readableBytes()
                    + " bytes of control information, shorter than 48");
        }
        SrtHandshake.Builder b = SrtHandshake.builder().timestamp(timestamp).destinationSocketId(destination);
        b.version(cif.readInt());
        b.encryptionField(cif.readUnsignedShort());
        b.extensionField(cif.readUnsignedShort());
        b.initialSequenceNumber(sequence(cif.readInt(), "handshake initial"));
        b.mtu(cif.readInt());
        b.flowWindow(cif.readInt());
        b.handshakeType(cif.readInt());
        b.socketId(cif.readInt());
        b.synCookie(cif.readInt());
        byte[] peerIp = new byte[16];
        cif.readBytes(peerIp);
        b.peerIp(peerIp);
        while (cif.isReadable()) {
            if (cif.readableBytes() < 4) {
                throw new CodecException("SRT handshake ends with " + cif.readableBytes()
                        + " bytes that are not an extension block");
            }
            int type = cif.readUnsignedShort();
            int bytes = cif.readUnsignedShort() * 4;
            if (bytes > cif.readableBytes()) {
                throw new CodecException("SRT handshake extension type " + type + " declares " + bytes
                        + " bytes but only " + cif.readableBytes() + " remain");
            }
            b.addExtension(decodeExtension(type, cif.readSlice(bytes)));
        }
        return b.build();
    }

    private static SrtHandshakeExtension decodeExtension(int type, ByteBuf content) {
        int bytes = content.readableBytes();
        switch (type) {
            case SrtHandshakeExtension.TYPE_HSREQ :
            case SrtHandshakeExtension.TYPE_HSRSP :
                if (bytes < HsMessage.WORDS * 4) {
                    throw new CodecException("SRT " + (type == 1 ? "HSREQ" : "HSRSP") + " extension is " + bytes
                            + " bytes, expected 12");
                }
                int version = content.readInt();
                int flags = content.readInt();
                int delays = content.readInt();
                return new HsMessage(type == SrtHandshakeExtension.TYPE_HSRSP, version, flags, delays >>> 16,
                        delays & 0xFFFF);
            case SrtHandshakeExtension.TYPE_KMREQ :
            case SrtHandshakeExtension.TYPE_KMRSP :
                if (type == SrtHandshakeExtension.TYPE_KMRSP && bytes == 4) {
                    return new KeyMaterialError(content.readInt());
                }
                return new KeyMaterialMessage(type == SrtHandshakeExtension.TYPE_KMRSP,
                        SrtKeyMaterial.decode(content));
            case SrtHandshakeExtension.TYPE_SID :
                if (bytes > SrtHandshakeExtension.MAX_STREAM_ID_BYTES) {
                    throw new CodecException("SRT stream id is " + bytes + " bytes, longer than 512");
                }
                return new StreamId(decodeText(content, "stream id"));
            case SrtHandshakeExtension.TYPE_CONGESTION :
                return new Congestion(decodeText(content, "congestion controller name"));
            case SrtHandshakeExtension.TYPE_FILTER :
                return new Filter(decodeText(content, "packet filter configuration"));
            default :
                byte[] raw = new byte[bytes];
                content.readBytes(raw);
                return new Raw(type, raw);
        }
    }

    private static String decodeText(ByteBuf content, String what) {
        int n = content.readableBytes();
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i += 4) {
            bytes[i] = content.getByte(content.readerIndex() + i + 3);
            bytes[i + 1] = content.getByte(content.readerIndex() + i + 2);
            bytes[i + 2] = content.getByte(content.readerIndex() + i + 1);
            bytes[i + 3] = content.getByte(content.readerIndex() + i);
        }
        int end = 0;
        while (end < n && bytes[end] != 0) {
            end++;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end)).toString();
        } catch (CharacterCodingException e) {
            throw new CodecException("SRT " + what + " is not valid UTF-8", e);
        }
    }

    /**
     * Encodes one packet into a new buffer. The packet (and a data packet's payload) is not
     * released and its payload's indexes are unchanged.
     *
     * @param alloc where to allocate the datagram
     * @param packet the packet
     * @return the datagram, owned by the caller
     */
    public static ByteBuf encode(ByteBufAllocator alloc, SrtPacket packet) {
        if (packet instanceof SrtDataPacket data) {
            ByteBuf payload = data.payload();
            ByteBuf out = alloc.buffer(SrtPacket.HEADER_LENGTH + payload.readableBytes());
            out.writeInt(data.sequenceNumber());
            out.writeInt(data.position().bits() << 30 | (data.inOrder() ? 1 << 29 : 0) | data.encryption().bits() << 27
                    | (data.retransmitted() ? 1 << 26 : 0) | data.messageNumber());
            out.writeInt(data.timestamp());
            out.writeInt(data.destinationSocketId());
            out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
            return out;
        }
        SrtControlPacket control = (SrtControlPacket) packet;
        ByteBuf out = alloc.buffer(SrtPacket.HEADER_LENGTH + controlInformationLength(control));
        int subtype = control instanceof Opaque o ? o.subtype() : 0;
        out.writeInt(CONTROL_FLAG | control.controlType() << 16 | subtype);
        out.writeInt(typeSpecific(control));
        out.writeInt(control.timestamp());
        out.writeInt(control.destinationSocketId());
        writeControlInformation(control, out);
        return out;
    }

    private static int typeSpecific(SrtControlPacket control) {
        if (control instanceof Ack ack) {
            return ack.ackNumber();
        } else if (control instanceof AckAck ackAck) {
            return ackAck.ackNumber();
        } else if (control instanceof DropRequest drop) {
            return drop.messageNumber();
        } else if (control instanceof PeerError error) {
            return error.errorCode();
        } else if (control instanceof Opaque opaque) {
            return opaque.typeSpecific();
        }
        return 0;
    }

    private static int controlInformationLength(SrtControlPacket control) {
        if (control instanceof SrtHandshake hs) {
            int n = SrtHandshake.CIF_LENGTH;
            for (SrtHandshakeExtension ext : hs.extensions()) {
                n += 4 + extensionLength(ext);
            }
            return n;
        } else if (control instanceof Ack ack) {
            return ack.kind().length();
        } else if (control instanceof Nak nak) {
            int n = 0;
            for (SrtSeqRange r : nak.lossList()) {
                n += r.isSingle() ? 4 : 8;
            }
            return n;
        } else if (control instanceof DropRequest) {
            return 8;
        } else if (control instanceof Opaque opaque) {
            return opaque.controlInformationLength();
        }
        return PAD;
    }

    private static void writeControlInformation(SrtControlPacket control, ByteBuf out) {
        if (control instanceof SrtHandshake hs) {
            writeHandshake(hs, out);
        } else if (control instanceof Ack ack) {
            out.writeInt(ack.lastAckedSequence());
            if (ack.kind() != AckKind.LIGHT) {
                out.writeInt(ack.rtt()).writeInt(ack.rttVariance()).writeInt(ack.availableBuffer());
            }
            if (ack.kind() == AckKind.FULL) {
                out.writeInt(ack.packetReceiveRate()).writeInt(ack.linkCapacity()).writeInt(ack.receiveRate());
            }
        } else if (control instanceof Nak nak) {
            for (SrtSeqRange r : nak.lossList()) {
                if (r.isSingle()) {
                    out.writeInt(r.first());
                } else {
                    out.writeInt(r.first() | RANGE_FLAG).writeInt(r.last());
                }
            }
        } else if (control instanceof DropRequest drop) {
            out.writeInt(drop.firstSequence()).writeInt(drop.lastSequence());
        } else if (control instanceof Opaque opaque) {
            out.writeBytes(opaque.controlInformation());
        } else {
            out.writeInt(0);
        }
    }

    private static void writeHandshake(SrtHandshake hs, ByteBuf out) {
        out.writeInt(hs.version());
        out.writeShort(hs.encryptionField());
        out.writeShort(hs.extensionField());
        out.writeInt(hs.initialSequenceNumber());
        out.writeInt(hs.mtu());
        out.writeInt(hs.flowWindow());
        out.writeInt(hs.handshakeType());
        out.writeInt(hs.socketId());
        out.writeInt(hs.synCookie());
        out.writeBytes(hs.peerIp());
        for (SrtHandshakeExtension ext : hs.extensions()) {
            int length = extensionLength(ext);
            out.writeShort(ext.type());
            out.writeShort(length / 4);
            if (ext instanceof HsMessage hsm) {
                out.writeInt(hsm.srtVersion()).writeInt(hsm.flags())
                        .writeInt(hsm.receiverTsbpdDelay() << 16 | hsm.senderTsbpdDelay());
            } else if (ext instanceof KeyMaterialMessage km) {
                km.keyMaterial().encode(out);
            } else if (ext instanceof KeyMaterialError error) {
                out.writeInt(error.state());
            } else if (ext instanceof StreamId sid) {
                writeText(sid.value(), out);
            } else if (ext instanceof Congestion congestion) {
                writeText(congestion.value(), out);
            } else if (ext instanceof Filter filter) {
                writeText(filter.value(), out);
            } else if (ext instanceof Raw raw) {
                out.writeBytes(raw.content());
            }
        }
    }

    private static int extensionLength(SrtHandshakeExtension ext) {
        if (ext instanceof HsMessage) {
            return HsMessage.WORDS * 4;
        } else if (ext instanceof KeyMaterialMessage km) {
            return km.keyMaterial().length();
        } else if (ext instanceof KeyMaterialError) {
            return 4;
        } else if (ext instanceof StreamId sid) {
            return paddedTextLength(sid.value());
        } else if (ext instanceof Congestion congestion) {
            return paddedTextLength(congestion.value());
        } else if (ext instanceof Filter filter) {
            return paddedTextLength(filter.value());
        }
        return ((Raw) ext).content().length;
    }

    private static int paddedTextLength(String text) {
        return (text.getBytes(StandardCharsets.UTF_8).length + 3) & ~3;
    }

    private static void writeText(String text, ByteBuf out) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[(utf8.length + 3) & ~3];
        System.arraycopy(utf8, 0, padded, 0, utf8.length);
        for (int i = 0; i < padded.length; i += 4) {
            out.writeByte(padded[i + 3]).writeByte(padded[i + 2]).writeByte(padded[i + 1]).writeByte(padded[i]);
        }
    }
}
