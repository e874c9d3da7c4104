package io.streamkit.webrtc.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import java.util.Objects;

/**
 * Verifies and decrypts incoming SRTP and SRTCP packets with one direction's keys
 * (<a href="https://www.rfc-editor.org/rfc/rfc3711">RFC 3711</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc7714">RFC 7714</a>), with a per-SSRC replay
 * window of {@value ReplayWindow#SIZE} packets.
 *
 * <p><b>Order of checks.</b> The header is parsed and bounds-checked, the index is estimated
 * (RFC 3711 §3.3.1) and checked against the replay window, the tag is verified, and only then is
 * the payload decrypted. The rollover counter, the highest index and the window move only after a
 * packet authenticated, so forged packets cannot disturb the state. A new SSRC starts at
 * rollover counter 0 and is tracked from its first authentic packet.
 *
 * <p><b>Buffers.</b> Unprotection works in place: on success the readable bytes are the plain RTP
 * or RTCP packet (the writer index moves back over the trailer) and the same buffer is returned;
 * ownership stays with the caller, nothing is retained or released. On failure an
 * {@link SrtpException} says why and the buffer is unchanged; the caller still owns it and
 * typically counts the drop and releases it. Master key identifiers (MKI) are not supported, as
 * in DTLS-SRTP by default.
 *
 * <p><b>Threads.</b> Not thread-safe: use one context from one thread at a time (the peer's event
 * loop). The {@link SrtpSendContext} of the same session is independent.
 */
public final class SrtpReceiveContext {
    private final SrtpProfile profile;
    private final PacketCipher rtp;
    private final PacketCipher rtcp;
    private final IntObjectHashMap<StreamState> streams = new IntObjectHashMap<>();
    private final WorkBuffer work = new WorkBuffer();

    /**
     * Derives the session keys from a master key and salt.
     *
     * @param profile the protection profile
     * @param masterKey the master key the peer sends with
     * @param masterSalt the master salt the peer sends with
     * @throws SrtpException with {@link SrtpException.Reason#INVALID_KEYING_MATERIAL} when a length
     *     does not match the profile
     */
    public SrtpReceiveContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this(profile, checkedKeys(profile, masterKey, masterSalt, true), checkedKeys(profile, masterKey, masterSalt,
                false));
    }

    /** With session keys given directly (the RFC test vectors start from session keys). */
    SrtpReceiveContext(SrtpProfile profile, SessionKeys rtpKeys, SessionKeys rtcpKeys) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.rtp = PacketCipher.create(profile, rtpKeys, profile.rtpTagLength());
        this.rtcp = PacketCipher.create(profile, rtcpKeys, profile.rtcpTagLength());
    }

    /** @return the protection profile */
    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Verifies and decrypts an SRTP packet in place.
     *
     * @param packet a writable buffer whose readable bytes are one SRTP packet
     * @return {@code packet}, now holding the RTP packet
     * @throws SrtpException {@link SrtpException.Reason#TOO_SHORT} or
     *     {@link SrtpException.Reason#MALFORMED} for a packet that cannot be SRTP,
     *     {@link SrtpException.Reason#REPLAYED} or {@link SrtpException.Reason#TOO_OLD} for a
     *     replay, {@link SrtpException.Reason#AUTHENTICATION_FAILED} when the tag does not match,
     *     {@link SrtpException.Reason#TOO_MANY_STREAMS} for an SSRC beyond the limit
     */
    public ByteBuf unprotectRtp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        int tag = profile.rtpTagLength();
        SrtpSendContext.checkLength(packet, length, PacketHeaders.RTP_HEADER + tag, "SRTP");
        int headerLength = PacketHeaders.rtpHeaderLength(packet, start, length - tag);
        int seq = packet.getUnsignedShort(start + 2);
        int ssrc = packet.getInt(start + 8);
        StreamState state = streams.get(ssrc);
        long index;
        if (state == null) {
            checkRoom(ssrc);
            index = seq;
        } else {
            index = state.rtp.estimateRtpIndex(seq);
            if (index < 0) {
                throw new SrtpException(SrtpException.Reason.TOO_OLD, "SRTP sequence number " + seq + " of SSRC "
                        + Integer.toUnsignedString(ssrc) + " falls before the first packet received");
            }
            if (index > ReplayWindow.MAX_RTP_INDEX) {
                throw new SrtpException(SrtpException.Reason.KEY_EXHAUSTED,
                        "2^48 SRTP packets received with these keys");
            }
            int status = state.rtp.check(index);
            if (status != ReplayWindow.FRESH) {
                throw SrtpSendContext.refused(status, "SRTP", ssrc, index, "received");
            }
        }
        work.open(packet, start, length, length);
        if (!rtp.unprotectRtp(work.array, work.offset, headerLength, length, ssrc, index)) {
            work.close(packet, start, 0, 0);
            throw new SrtpException(SrtpException.Reason.AUTHENTICATION_FAILED, "SRTP authentication failed for SSRC "
                    + Integer.toUnsignedString(ssrc) + " index " + index);
        }
        int plainLength = length - tag;
        work.close(packet, start, headerLength, plainLength);
        packet.writerIndex(start + plainLength);
        if (state == null) {
            state = new StreamState();
            streams.put(ssrc, state);
        }
        state.rtp.accept(index);
        return packet;
    }

    /**
     * Verifies and, when its E flag is set, decrypts an SRTCP packet in place.
     *
     * @param packet a writable buffer whose readable bytes are one SRTCP packet
     * @return {@code packet}, now holding the RTCP compound packet
     * @throws SrtpException for the same reasons as {@link #unprotectRtp(ByteBuf)}, the replay
     *     window being kept on the SRTCP index of the sender SSRC
     */
    public ByteBuf unprotectRtcp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        int overhead = profile.rtcpOverhead();
        SrtpSendContext.checkLength(packet, length, PacketHeaders.RTCP_HEADER + overhead, "SRTCP");
        PacketHeaders.checkRtcpVersion(packet, start);
        int ssrc = packet.getInt(start + 4);
        int wordAt = profile.isAead() ? length - SrtpProfile.SRTCP_INDEX_LENGTH : length - overhead;
        int word = packet.getInt(start + wordAt);
        boolean encrypted = word < 0;
        int index = word & StreamState.MAX_RTCP_INDEX;
        StreamState state = streams.get(ssrc);
        if (state == null) {
            checkRoom(ssrc);
        } else {
            int status = state.rtcp.check(index);
            if (status != ReplayWindow.FRESH) {
                throw SrtpSendContext.refused(status, "SRTCP", ssrc, index, "received");
            }
        }
        work.open(packet, start, length, length);
        if (!rtcp.unprotectRtcp(work.array, work.offset, length, ssrc, index, encrypted)) {
            work.close(packet, start, 0, 0);
            throw new SrtpException(SrtpException.Reason.AUTHENTICATION_FAILED, "SRTCP authentication failed for SSRC "
                    + Integer.toUnsignedString(ssrc) + " index " + index);
        }
        int plainLength = length - overhead;
        work.close(packet, start, PacketHeaders.RTCP_HEADER, plainLength);
        packet.writerIndex(start + plainLength);
        if (state == null) {
            state = new StreamState();
            streams.put(ssrc, state);
        }
        state.rtcp.accept(index);
        return packet;
    }

    /**
     * Forgets an SSRC, freeing its slot. Its replay protection goes with it: packets of that SSRC
     * captured earlier would be accepted again, so call this only once its stream has ended.
     *
     * @param ssrc the SSRC whose state to drop
     */
    public void removeSsrc(int ssrc) {
        streams.remove(ssrc);
    }

    int streamCount() {
        return streams.size();
    }

    /** @return the highest SRTP index accepted for an SSRC, -1 if none */
    long highestRtpIndex(int ssrc) {
        StreamState state = streams.get(ssrc);
        return state == null ? -1 : state.rtp.highest();
    }

    private void checkRoom(int ssrc) {
        if (streams.size() >= StreamState.MAX_STREAMS) {
            throw new SrtpException(SrtpException.Reason.TOO_MANY_STREAMS, "already receiving "
                    + StreamState.MAX_STREAMS + " SSRCs; SSRC " + Integer.toUnsignedString(ssrc) + " refused");
        }
    }

    static SessionKeys checkedKeys(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, boolean forRtp) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(masterKey, "masterKey");
        Objects.requireNonNull(masterSalt, "masterSalt");
        if (masterKey.length != profile.keyLength() || masterSalt.length != profile.saltLength()) {
            throw new SrtpException(SrtpException.Reason.INVALID_KEYING_MATERIAL, profile + " needs a "
                    + profile.keyLength() + "-byte master key and a " + profile.saltLength() + "-byte master salt, got "
                    + masterKey.length + " and " + masterSalt.length);
        }
        return forRtp
                ? SessionKeys.forRtp(profile, masterKey, masterSalt)
                : SessionKeys.forRtcp(profile, masterKey,
                        masterSalt);
    }
}
