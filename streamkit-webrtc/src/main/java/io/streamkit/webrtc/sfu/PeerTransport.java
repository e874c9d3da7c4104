package io.streamkit.webrtc.sfu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.webrtc.dtls.DtlsCertificate;
import io.streamkit.webrtc.dtls.DtlsResult;
import io.streamkit.webrtc.dtls.DtlsRole;
import io.streamkit.webrtc.dtls.DtlsSession;
import io.streamkit.webrtc.srtp.SrtpException;
import io.streamkit.webrtc.srtp.SrtpKeyingMaterial;
import io.streamkit.webrtc.srtp.SrtpProfile;
import io.streamkit.webrtc.srtp.SrtpSession;
import io.streamkit.webrtc.stun.IceCheckResult;
import io.streamkit.webrtc.stun.IceCredentials;
import io.streamkit.webrtc.stun.IceLiteAgent;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * One PeerConnection's transport on the shared port: the ICE-lite agent, the DTLS session (the SFU
 * is always the DTLS server: it answers {@code setup:passive} and its offers say {@code actpass},
 * which browsers answer with {@code active}) and, once the handshake is done, the SRTP session.
 * Confined to the media event loop, except for DTLS callbacks, which are handed back to it.
 */
final class PeerTransport {
    /** What the owner of a transport hears. Called on the media event loop. */
    interface Listener {
        void onConnected(PeerTransport transport);

        /** @param packet decrypted RTP; the callee neither retains nor releases it */
        void onRtp(PeerTransport transport, ByteBuf packet);

        /** @param packet decrypted compound RTCP; the callee neither retains nor releases it */
        void onRtcp(PeerTransport transport, ByteBuf packet);

        void onFailed(PeerTransport transport, String reason);
    }

    private final String name;
    private final MediaPort port;
    private final IceCredentials localIce;
    private final IceLiteAgent ice;
    private final DtlsSession dtls;
    private final Listener listener;
    private final SfuCounters counters;
    private InetSocketAddress remote;
    private String remoteFingerprint;
    private boolean dtlsStarted;
    private SrtpSession srtp;
    private boolean closed;

    PeerTransport(String name, MediaPort port, DtlsCertificate certificate, Executor handshakeExecutor,
            SfuCounters counters, Listener listener) {
        this.name = name;
        this.port = port;
        this.counters = counters;
        this.listener = listener;
        this.localIce = IceCredentials.random();
        this.ice = new IceLiteAgent(localIce);
        this.dtls = DtlsSession.builder(DtlsRole.SERVER, certificate).handshakeExecutor(handshakeExecutor)
                .outbound(datagram -> port.send(datagram, remote)).metrics(counters.dtls).build();
        port.register(this);
    }

    String localUfrag() {
        return localIce.ufrag();
    }

    IceCredentials localIce() {
        return localIce;
    }

    boolean connected() {
        return srtp != null;
    }

    SrtpProfile profile() {
        return srtp == null ? null : srtp.profile();
    }

    /** The remote side's ICE credentials and DTLS fingerprint, from its SDP. */
    void setRemote(String ufrag, String pwd, String fingerprint) {
        ice.setRemoteCredentials(new IceCredentials(ufrag, pwd));
        if (remoteFingerprint == null) {
            dtls.setRemoteFingerprint(fingerprint);
            remoteFingerprint = fingerprint;
        } else if (!remoteFingerprint.equalsIgnoreCase(fingerprint)) {
            throw new io.streamkit.api.NegotiationException("the DTLS fingerprint changed in a renegotiation (from "
                    + remoteFingerprint + " to " + fingerprint + "); a new certificate needs a new connection");
        }
    }

    void onStun(ByteBuf datagram, InetSocketAddress from) {
        if (closed) {
            return;
        }
        IceCheckResult result = ice.handle(datagram, from, System.nanoTime());
        if (result.hasResponse()) {
            port.send(Unpooled.wrappedBuffer(result.response()), from);
        }
        if (result.addressValid()) {
            port.bindAddress(from, this);
            if (remote == null || result.nominated()) {
                remote = result.selectedAddress().orElse(from);
            }
            if (!dtlsStarted) {
                dtlsStarted = true;
                dtls.start().whenComplete((r, e) -> port.loop().execute(() -> dtlsDone(r, e)));
            }
        }
    }

    void onDtls(ByteBuf datagram, InetSocketAddress from) {
        if (closed) {
            datagram.release();
            return;
        }
        if (remote == null) {
            remote = from;
        }
        dtls.receive(datagram);
    }

    private void dtlsDone(DtlsResult result, Throwable failure) {
        if (closed) {
            return;
        }
        if (failure != null) {
            counters.dtlsFailures.increment();
            listener.onFailed(this, "DTLS handshake failed: " + failure.getMessage());
            return;
        }
        srtp = SrtpSession.create(SrtpKeyingMaterial.fromDtlsExport(result.profile(), result.keyingMaterial(),
                SrtpKeyingMaterial.Role.SERVER));
        listener.onConnected(this);
    }

    void onSrtp(ByteBuf datagram, InetSocketAddress from, boolean rtcp) {
        if (closed || srtp == null) {
            counters.srtpBeforeDtls.increment();
            return;
        }
        if (!from.equals(remote)) {
            remote = from; // consent was checked for this address when it was bound
        }
        try {
            if (rtcp) {
                ByteBuf plain = srtp.unprotectRtcp(datagram);
                listener.onRtcp(this, plain);
            } else {
                ByteBuf plain = srtp.unprotectRtp(datagram);
                listener.onRtp(this, plain);
            }
        } catch (SrtpException e) {
            counters.srtpErrors.increment();
            counters.logSrtpError(name, e);
        }
    }

    /** Protects and sends an RTP packet; takes ownership of the buffer. */
    void sendRtp(ByteBuf packet) {
        if (closed || srtp == null || remote == null) {
            packet.release();
            return;
        }
        try {
            srtp.protectRtp(packet);
        } catch (SrtpException e) {
            packet.release();
            counters.srtpErrors.increment();
            counters.logSrtpError(name, e);
            return;
        }
        port.send(packet, remote);
    }

    /** Protects and sends a compound RTCP packet; takes ownership of the buffer. */
    void sendRtcp(ByteBuf packet) {
        if (closed || srtp == null || remote == null) {
            packet.release();
            return;
        }
        try {
            srtp.protectRtcp(packet);
        } catch (SrtpException e) {
            packet.release();
            counters.srtpErrors.increment();
            counters.logSrtpError(name, e);
            return;
        }
        port.send(packet, remote);
    }

    boolean consentExpired(long nowNanos) {
        return ice.isConsentExpired(nowNanos);
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        port.unregister(this);
        dtls.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
