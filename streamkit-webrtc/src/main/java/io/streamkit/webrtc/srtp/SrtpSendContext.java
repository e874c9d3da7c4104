package io.streamkit.webrtc.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import java.util.Objects;

/**
 * Protects outgoing RTP and RTCP packets with one direction's keys: SRTP and SRTCP
 * (<a href="https://www.rfc-editor.org/rfc/rfc3711">RFC 3711</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc7714">RFC 7714</a>) with per-SSRC state.
 *
 * <p><b>Buffers.</b> Protection works in place: the readable bytes of the packet are replaced by
 * the protected packet, the trailer is written into the buffer's spare capacity (the buffer grows
 * when it has none, up to its maximum capacity) and the writer index moves past it. The same
 * buffer is returned; ownership stays with the caller, nothing is retained or released. Allocate
 * packets with {@link SrtpProfile#rtpTagLength()} or {@link SrtpProfile#rtcpOverhead()} bytes to
 * spare so that nothing is reallocated. Heap buffers are worked on directly; direct buffers through
 * a reused copy. When an exception is thrown the buffer is unchanged.
 *
 * <p><b>Indices.</b> The 48-bit SRTP index of each packet is estimated from its sequence number as
 * a receiver would (RFC 3711 §3.3.1), so packets may be sent out of order. An index that was
 * already protected, or is more than {@value ReplayWindow#SIZE} behind the highest, is refused:
 * protecting two packets under one index would reuse key stream. Retransmit by re-sending the
 * protected bytes or by RTX (a new SSRC and sequence number). Each SSRC's SRTCP index starts at 0.
 *
 * <p><b>Threads.</b> Not thread-safe: use one context from one thread at a time (the peer's event
 * loop). The {@link SrtpReceiveContext} of the same session is independent.
 *
 * <p>Steady-state allocation per packet is what the JDK's providers make at each
 * {@code Cipher.init}: about 100 bytes for AES-CM, about 1 KB for AES-GCM.
 */
public final class SrtpSendContext {
    private final SrtpProfile profile;
    private final PacketCipher rtp;
    private final PacketCipher rtcp;
    private final IntObjectHashMap<StreamState> streams = new IntObjectHashMap<>();
    private final WorkBuffer work = new WorkBuffer();

    /**
     * Derives the session keys from a master key and salt.
     *
     * @param profile the protection profile
     * @param masterKey the master key this side sends with
     * @param masterSalt the master salt this side sends with
     * @throws SrtpException with {@link SrtpException.Reason#INVALID_KEYING_MATERIAL} when a length
     *     does not match the profile
     */
    public SrtpSendContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this(profile, SrtpReceiveContext.checkedKeys(profile, masterKey, masterSalt, true), SrtpReceiveContext
                .checkedKeys(profile, masterKey, masterSalt, false));
    }

    /** With session keys given directly (the RFC test vectors start from session keys). */
    SrtpSendContext(SrtpProfile profile, SessionKeys rtpKeys, SessionKeys rtcpKeys) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.rtp = PacketCipher.create(profile, rtpKeys, profile.rtpTagLength());
        this.rtcp = PacketCipher.create(profile, rtcpKeys, profile.rtcpTagLength());
    }

    /** @return the protection profile */
    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Encrypts and authenticates an RTP packet in place.
     *
     * @param packet a writable buffer whose readable bytes are one RTP packet
     * @return {@code packet}, now holding the SRTP packet
     * @throws SrtpException when the packet is too short or malformed
     *     ({@link SrtpException.Reason#TOO_SHORT}, {@link SrtpException.Reason#MALFORMED}), its
     *     index was protected before or is too old ({@link SrtpException.Reason#REPLAYED},
     *     {@link SrtpException.Reason#TOO_OLD}), the buffer cannot grow
     *     ({@link SrtpException.Reason#BUFFER_TOO_SMALL}), too many SSRCs are tracked or the index
     *     space is used up
     */
    public ByteBuf protectRtp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        checkLength(packet, length, PacketHeaders.RTP_HEADER, "RTP");
        int headerLength = PacketHeaders.rtpHeaderLength(packet, start, length);
        int seq = packet.getUnsignedShort(start + 2);
        int ssrc = packet.getInt(start + 8);
        StreamState state = stream(ssrc);
        long index = state.rtp.estimateRtpIndex(seq);
        if (index < 0) {
            throw new SrtpException(SrtpException.Reason.TOO_OLD, "RTP sequence number " + seq + " of SSRC "
                    + Integer.toUnsignedString(ssrc) + " falls before the first packet sent");
        }
        if (index > ReplayWindow.MAX_RTP_INDEX) {
            throw new SrtpException(SrtpException.Reason.KEY_EXHAUSTED, "2^48 SRTP packets sent with these keys");
        }
        int status = state.rtp.check(index);
        if (status != ReplayWindow.FRESH) {
            throw refused(status, "RTP", ssrc, index, "protected");
        }
        int tag = profile.rtpTagLength();
        makeRoom(packet, tag);
        work.open(packet, start, length, length + tag);
        rtp.protectRtp(work.array, work.offset, headerLength, length, ssrc, index);
        work.close(packet, start, headerLength, length + tag);
        packet.writerIndex(start + length + tag);
        state.rtp.accept(index);
        return packet;
    }

    /**
     * Encrypts and authenticates an RTCP (compound) packet in place, with the next SRTCP index of
     * the sender SSRC and the E flag set.
     *
     * @param packet a writable buffer whose readable bytes are one RTCP compound packet
     * @return {@code packet}, now holding the SRTCP packet
     * @throws SrtpException when the packet is shorter than an RTCP header or not version 2, the
     *     buffer cannot grow, too many SSRCs are tracked or the SSRC's SRTCP index is used up
     */
    public ByteBuf protectRtcp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        checkLength(packet, length, PacketHeaders.RTCP_HEADER, "RTCP");
        PacketHeaders.checkRtcpVersion(packet, start);
        int ssrc = packet.getInt(start + 4);
        StreamState state = stream(ssrc);
        if (state.nextRtcpIndex > StreamState.MAX_RTCP_INDEX) {
            throw new SrtpException(SrtpException.Reason.KEY_EXHAUSTED, "2^31 SRTCP packets sent for SSRC "
                    + Integer.toUnsignedString(ssrc) + " with these keys");
        }
        int index = (int) state.nextRtcpIndex;
        int overhead = profile.rtcpOverhead();
        makeRoom(packet, overhead);
        work.open(packet, start, length, length + overhead);
        rtcp.protectRtcp(work.array, work.offset, length, ssrc, index);
        work.close(packet, start, PacketHeaders.RTCP_HEADER, length + overhead);
        packet.writerIndex(start + length + overhead);
        state.nextRtcpIndex++;
        return packet;
    }

    /**
     * Forgets an SSRC, freeing its slot. Only for a stream that will never be sent again with
     * these keys: if it were, its indices would start over and reuse key stream.
     *
     * @param ssrc the SSRC whose state to drop
     */
    public void removeSsrc(int ssrc) {
        streams.remove(ssrc);
    }

    /** Sets the next SRTCP index of an SSRC (the RFC 7714 vectors start mid-stream). */
    void nextRtcpIndex(int ssrc, int index) {
        stream(ssrc).nextRtcpIndex = index;
    }

    int streamCount() {
        return streams.size();
    }

    private StreamState stream(int ssrc) {
        StreamState state = streams.get(ssrc);
        if (state == null) {
            if (streams.size() >= StreamState.MAX_STREAMS) {
                throw new SrtpException(SrtpException.Reason.TOO_MANY_STREAMS, "already sending "
                        + StreamState.MAX_STREAMS + " SSRCs; SSRC " + Integer.toUnsignedString(ssrc) + " refused");
            }
            state = new StreamState();
            streams.put(ssrc, state);
        }
        return state;
    }

    static void checkLength(ByteBuf packet, int length, int minimum, String what) {
        if (length < minimum) {
            throw new SrtpException(SrtpException.Reason.TOO_SHORT, what + " packet of " + length
                    + " bytes is shorter than the " + minimum + " bytes required");
        }
        if (length > PacketCipher.MAX_PACKET) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, what + " packet of " + length
                    + " bytes is longer than a UDP datagram");
        }
        if (packet.isReadOnly()) {
            throw new IllegalArgumentException("SRTP works in place: the packet buffer must not be read-only");
        }
    }

    static SrtpException refused(int status, String what, int ssrc, long index, String verb) {
        return status == ReplayWindow.REPLAYED
                ? new SrtpException(SrtpException.Reason.REPLAYED, what + " index " + index + " of SSRC " + Integer
                        .toUnsignedString(ssrc) + " was already " + verb)
                : new SrtpException(SrtpException.Reason.TOO_OLD, what + " index " + index + " of SSRC " + Integer
                        .toUnsignedString(ssrc) + " is more than " + ReplayWindow.SIZE
                        + " behind the highest one " + verb);
    }

    private static void makeRoom(ByteBuf packet, int trailer) {
        if (packet.writableBytes() < trailer) {
            if (packet.maxWritableBytes() < trailer) {
                throw new SrtpException(SrtpException.Reason.BUFFER_TOO_SMALL, "the buffer cannot grow by the "
                        + trailer + "-byte trailer (maximum capacity " + packet.maxCapacity() + ")");
            }
            packet.ensureWritable(trailer);
        }
    }
}
