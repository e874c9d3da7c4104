package io.streamkit.webrtc.srtp;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Both directions of one DTLS-SRTP association
 * (<a href="https://www.rfc-editor.org/rfc/rfc5764">RFC 5764</a>): a {@link SrtpSendContext}
 * keyed with the local master key and salt and a {@link SrtpReceiveContext} keyed with the
 * remote ones, session keys derived per RFC 3711 §4.3 with a key derivation rate of 0.
 *
 * <p>The two contexts are independent: each may be confined to its own thread. The convenience
 * methods here delegate to them; see those classes for buffer ownership and failures.
 */
public final class SrtpSession {
    private final SrtpProfile profile;
    private final SrtpSendContext sender;
    private final SrtpReceiveContext receiver;

    private SrtpSession(SrtpProfile profile, SrtpSendContext sender, SrtpReceiveContext receiver) {
        this.profile = profile;
        this.sender = sender;
        this.receiver = receiver;
    }

    /**
     * @param keys the master keys and salts from DTLS-SRTP, for example
     *     {@link SrtpKeyingMaterial#fromDtlsExport}
     * @return a session with fresh per-SSRC state in both directions
     */
    public static SrtpSession create(SrtpKeyingMaterial keys) {
        Objects.requireNonNull(keys, "keys");
        return new SrtpSession(keys.profile(), new SrtpSendContext(keys.profile(), keys.localKey(), keys
                .localSalt()), new SrtpReceiveContext(keys.profile(), keys.remoteKey(), keys.remoteSalt()));
    }

    /** @return the protection profile */
    public SrtpProfile profile() {
        return profile;
    }

    /** @return the context protecting what this side sends */
    public SrtpSendContext sender() {
        return sender;
    }

    /** @return the context unprotecting what the peer sends */
    public SrtpReceiveContext receiver() {
        return receiver;
    }

    /**
     * @param packet an RTP packet, protected in place
     * @return {@code packet}
     * @see SrtpSendContext#protectRtp(ByteBuf)
     */
    public ByteBuf protectRtp(ByteBuf packet) {
        return sender.protectRtp(packet);
    }

    /**
     * @param packet an RTCP compound packet, protected in place
     * @return {@code packet}
     * @see SrtpSendContext#protectRtcp(ByteBuf)
     */
    public ByteBuf protectRtcp(ByteBuf packet) {
        return sender.protectRtcp(packet);
    }

    /**
     * @param packet an SRTP packet, unprotected in place
     * @return {@code packet}
     * @see SrtpReceiveContext#unprotectRtp(ByteBuf)
     */
    public ByteBuf unprotectRtp(ByteBuf packet) {
        return receiver.unprotectRtp(packet);
    }

    /**
     * @param packet an SRTCP packet, unprotected in place
     * @return {@code packet}
     * @see SrtpReceiveContext#unprotectRtcp(ByteBuf)
     */
    public ByteBuf unprotectRtcp(ByteBuf packet) {
        return receiver.unprotectRtcp(packet);
    }
}
