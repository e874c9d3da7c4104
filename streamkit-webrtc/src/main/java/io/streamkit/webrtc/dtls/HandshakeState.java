package io.streamkit.webrtc.dtls;

import io.streamkit.webrtc.srtp.SrtpProfile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * What the bctls client and server peers of one handshake share: configuration in, outcome out.
 * Written by the handshake thread only; read by it after the handshake returns.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5764">RFC 5764</a>
 */
final class HandshakeState {
    /** ECDHE-ECDSA with AES-GCM: what browsers negotiate for WebRTC. */
    static final int[] CIPHER_SUITES = {
            org.bouncycastle.tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            org.bouncycastle.tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    };

    final BcTlsCrypto crypto;
    final DtlsCertificate certificate;
    final List<SrtpProfile> profiles;
    private final CompletableFuture<DtlsFingerprint> expectedFingerprint;
    private final long deadlineNanos;

    /** The specific failure a peer callback detected before aborting with a generic alert. */
    volatile DtlsHandshakeException failure;

    SrtpProfile selectedProfile;
    String remoteFingerprint;
    byte[] keyingMaterial;

    HandshakeState(BcTlsCrypto crypto, DtlsCertificate certificate, List<SrtpProfile> profiles,
            CompletableFuture<DtlsFingerprint> expectedFingerprint, long deadlineNanos) {
        this.crypto = crypto;
        this.certificate = certificate;
        this.profiles = profiles;
        this.expectedFingerprint = expectedFingerprint;
        this.deadlineNanos = deadlineNanos;
    }

    int[] profileIds() {
        return profiles.stream().mapToInt(SrtpProfile::id).toArray();
    }

    /** @return the profile of ours with that {@code use_srtp} identifier, if we offer one */
    Optional<SrtpProfile> ourProfile(int id) {
        return profiles.stream().filter(p -> p.id() == id).findFirst();
    }

    /** @return the first profile in the peer's list that we also offer (the server's choice) */
    Optional<SrtpProfile> firstOfferedOfOurs(int[] offered) {
        for (int id : offered) {
            Optional<SrtpProfile> p = ourProfile(id);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    TlsCredentialedSigner signer(TlsContext context) throws IOException {
        Certificate chain = new Certificate(new TlsCertificate[]{
                crypto.createCertificate(certificate.certificateDerUnsafe())
        });
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, certificate.privateKey(),
                chain, SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /**
     * Checks the peer's end-entity certificate against the SDP fingerprint, waiting (bounded by the
     * handshake deadline) for the fingerprint if the SDP has not arrived yet.
     */
    void verifyPeerCertificate(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw abort(new DtlsHandshakeException(DtlsFailureReason.CERTIFICATE_MISSING,
                    "peer sent no certificate; WebRTC requires one to match the SDP fingerprint"),
                    AlertDescription.handshake_failure);
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        remoteFingerprint = DtlsFingerprint.compute("sha-256", der);
        DtlsFingerprint expected;
        try {
            long waitNanos = Math.max(0, deadlineNanos - System.nanoTime());
            expected = expectedFingerprint.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the SDP fingerprint");
        } catch (TimeoutException e) {
            throw new InterruptedIOException("the SDP fingerprint did not arrive before the handshake deadline");
        } catch (ExecutionException e) {
            throw new IOException("no SDP fingerprint", e.getCause());
        }
        if (!expected.matches(der)) {
            throw abort(new DtlsFingerprintMismatchException(expected.toSdpValue(),
                    DtlsFingerprint.compute(expected.algorithm(), der)), AlertDescription.bad_certificate);
        }
    }

    /** Records the negotiated keys; called from {@code notifyHandshakeComplete}. */
    void exportKeys(TlsContext context) {
        keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                selectedProfile.keyingMaterialLength());
    }

    TlsFatalAlert abort(DtlsHandshakeException reason, short alert) {
        if (failure == null) {
            failure = reason;
        }
        return new TlsFatalAlert(alert, reason.getMessage());
    }
}
