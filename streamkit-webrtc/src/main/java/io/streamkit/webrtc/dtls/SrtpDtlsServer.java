package io.streamkit.webrtc.dtls;

import io.streamkit.webrtc.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.Optional;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * The bctls server peer: DTLS 1.2 only, ECDHE-ECDSA with AES-GCM, extended master secret required, a
 * client certificate required and checked against the SDP fingerprint, and {@code use_srtp} with the
 * first profile in the client's list that we support.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5764#section-4.1.1">RFC 5764 §4.1.1</a>
 */
final class SrtpDtlsServer extends DefaultTlsServer {
    private final HandshakeState state;

    SrtpDtlsServer(HandshakeState state) {
        super(state.crypto);
        this.state = state;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), HandshakeState.CIPHER_SUITES);
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw state.abort(new DtlsHandshakeException(DtlsFailureReason.NO_COMMON_SRTP_PROFILE,
                    "peer did not offer the use_srtp extension"), AlertDescription.handshake_failure);
        }
        Optional<SrtpProfile> selected = state.firstOfferedOfOurs(offered.getProtectionProfiles());
        if (selected.isEmpty()) {
            throw state.abort(new DtlsHandshakeException(DtlsFailureReason.NO_COMMON_SRTP_PROFILE,
                    "no SRTP protection profile in common; we accept " + state.profiles),
                    AlertDescription.handshake_failure);
        }
        state.selectedProfile = selected.get();
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[]{state.selectedProfile.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public CertificateRequest getCertificateRequest() throws IOException {
        return new CertificateRequest(new short[]{ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        state.verifyPeerCertificate(clientCertificate);
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return state.signer(context);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        state.exportKeys(context);
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        DtlsSession.logAlert("sent", alertLevel, alertDescription, message);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        DtlsSession.logAlert("received", alertLevel, alertDescription, null);
    }
}
