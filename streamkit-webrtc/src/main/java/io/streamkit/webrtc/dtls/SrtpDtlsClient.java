package io.streamkit.webrtc.dtls;

import io.streamkit.webrtc.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.Optional;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * The bctls client peer: DTLS 1.2 only, ECDHE-ECDSA with AES-GCM, extended master secret required,
 * {@code use_srtp} offering our profiles in preference order, the server certificate checked
 * against the SDP fingerprint, and our certificate always sent.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5764#section-4.1.1">RFC 5764 §4.1.1</a>
 */
final class SrtpDtlsClient extends DefaultTlsClient {
    private final HandshakeState state;

    SrtpDtlsClient(HandshakeState state) {
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
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(state.profileIds(), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData selected = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (selected == null) {
            throw state.abort(new DtlsHandshakeException(DtlsFailureReason.NO_COMMON_SRTP_PROFILE,
                    "server did not accept use_srtp (no SRTP protection profile in common)"),
                    AlertDescription.handshake_failure);
        }
        int[] ids = selected.getProtectionProfiles();
        Optional<SrtpProfile> profile = ids.length == 1 ? state.ourProfile(ids[0]) : Optional.empty();
        if (profile.isEmpty()) {
            throw state.abort(new DtlsHandshakeException(DtlsFailureReason.PROTOCOL_ERROR,
                    "server selected an SRTP protection profile we did not offer"),
                    AlertDescription.illegal_parameter);
        }
        state.selectedProfile = profile.get();
    }

    @Override
    public TlsAuthentication getAuthentication() throws IOException {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                state.verifyPeerCertificate(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) throws IOException {
                return state.signer(context);
            }
        };
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
