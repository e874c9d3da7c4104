package io.streamkit.webrtc.dtls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The local DTLS identity: an ECDSA key pair and its X.509 certificate, whose fingerprint goes into
 * every SDP the server produces. WebRTC peers authenticate each other by that fingerprint, not by a
 * CA chain, so a self-signed certificate is the norm; generate one per server with
 * {@link #generate()} and reuse it for every peer (key generation and signing cost milliseconds).
 *
 * <p>Only elliptic-curve keys are accepted, because StreamKit negotiates ECDHE-ECDSA cipher suites
 * only (what browsers use). Instances are immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8827#section-6.5">RFC 8827 §6.5 (DTLS identity)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8122#section-5">RFC 8122 §5 (fingerprint)</a>
 */
public final class DtlsCertificate {
    /** Common name of generated certificates. */
    public static final String DEFAULT_COMMON_NAME = "StreamKit";

    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Duration VALIDITY = Duration.ofDays(30);
    private static final int MAX_PEM_LENGTH = 64 * 1024;

    private final ECPrivateKeyParameters privateKey;
    private final byte[] certificateDer;
    private final Instant notBefore;
    private final Instant notAfter;
    private final String fingerprint;

    private DtlsCertificate(ECPrivateKeyParameters privateKey, X509CertificateHolder certificate) {
        this.privateKey = privateKey;
        try {
            this.certificateDer = certificate.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode certificate", e);
        }
        this.notBefore = certificate.getNotBefore().toInstant();
        this.notAfter = certificate.getNotAfter().toInstant();
        this.fingerprint = DtlsFingerprint.compute("sha-256", certificateDer);
    }

    /**
     * Generates a self-signed ECDSA P-256 certificate with CN {@value #DEFAULT_COMMON_NAME}, a random
     * serial number, valid from one day ago to 30 days from now.
     *
     * @return a new certificate and key
     */
    public static DtlsCertificate generate() {
        return generate(DEFAULT_COMMON_NAME, new SecureRandom(), Instant.now());
    }

    /**
     * Generates a self-signed ECDSA P-256 certificate valid from {@code now - 1 day} to
     * {@code now + 30 days}.
     *
     * @param commonName the subject and issuer CN
     * @param random the randomness for the key pair, serial number and signature
     * @param now the reference time of the validity window
     * @return a new certificate and key
     */
    public static DtlsCertificate generate(String commonName, SecureRandom random, Instant now) {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(now, "now");
        X9ECParameters curve = ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1);
        ECNamedDomainParameters domain = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, curve);
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, random));
        AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();
        try {
            SubjectPublicKeyInfo publicKeyInfo = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
                    keyPair.getPublic());
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
            // positive, non-zero, at most 20 octets (RFC 5280 §4.1.2.2)
            BigInteger serial = new BigInteger(63, random).setBit(62);
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), name, publicKeyInfo);
            AlgorithmIdentifier signatureAlgorithm = new DefaultSignatureAlgorithmIdentifierFinder().find(
                    "SHA256withECDSA");
            AlgorithmIdentifier digestAlgorithm = new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
            X509CertificateHolder certificate = builder.build(
                    new BcECContentSignerBuilder(signatureAlgorithm, digestAlgorithm).build(keyPair.getPrivate()));
            return new DtlsCertificate((ECPrivateKeyParameters) keyPair.getPrivate(), certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the generated certificate", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot create the ECDSA signer", e);
        }
    }

    /**
     * Loads an existing certificate and its private key from PEM text.
     *
     * @param certificatePem a {@code CERTIFICATE} block (the first block is used)
     * @param privateKeyPem an unencrypted {@code PRIVATE KEY} (PKCS#8) or {@code EC PRIVATE KEY}
     *     (SEC 1) block
     * @return the identity
     * @throws IllegalArgumentException if either text is malformed, the key is not an EC key, or the
     *     key does not belong to the certificate
     */
    public static DtlsCertificate fromPem(String certificatePem, String privateKeyPem) {
        Object certificate = readPem(certificatePem, "certificate");
        if (!(certificate instanceof X509CertificateHolder)) {
            throw new IllegalArgumentException("certificate PEM does not start with a CERTIFICATE block");
        }
        Object key = readPem(privateKeyPem, "private key");
        PrivateKeyInfo keyInfo;
        if (key instanceof PrivateKeyInfo) {
            keyInfo = (PrivateKeyInfo) key;
        } else if (key instanceof PEMKeyPair) {
            keyInfo = ((PEMKeyPair) key).getPrivateKeyInfo();
        } else {
            throw new IllegalArgumentException(
                    "private key PEM holds no unencrypted PRIVATE KEY or EC PRIVATE KEY block");
        }
        return of((X509CertificateHolder) certificate, keyInfo);
    }

    /**
     * Loads an existing certificate and its private key from their DER encodings.
     *
     * @param certificateDer the X.509 certificate
     * @param pkcs8PrivateKey the PKCS#8 {@code PrivateKeyInfo} of its EC private key
     * @return the identity
     * @throws IllegalArgumentException if either encoding is malformed, the key is not an EC key, or
     *     the key does not belong to the certificate
     */
    public static DtlsCertificate fromDer(byte[] certificateDer, byte[] pkcs8PrivateKey) {
        Objects.requireNonNull(certificateDer, "certificateDer");
        Objects.requireNonNull(pkcs8PrivateKey, "pkcs8PrivateKey");
        X509CertificateHolder certificate;
        PrivateKeyInfo keyInfo;
        try {
            certificate = new X509CertificateHolder(certificateDer);
            keyInfo = PrivateKeyInfo.getInstance(pkcs8PrivateKey);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed certificate or private key: " + e.getMessage(), e);
        }
        return of(certificate, keyInfo);
    }

    private static DtlsCertificate of(X509CertificateHolder certificate, PrivateKeyInfo keyInfo) {
        AsymmetricKeyParameter privateKey;
        AsymmetricKeyParameter publicKey;
        try {
            privateKey = PrivateKeyFactory.createKey(keyInfo);
            publicKey = PublicKeyFactory.createKey(certificate.getSubjectPublicKeyInfo());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable key: " + e.getMessage(), e);
        }
        if (!(privateKey instanceof ECPrivateKeyParameters) || !(publicKey instanceof ECPublicKeyParameters)) {
            throw new IllegalArgumentException("DTLS certificate must use an elliptic-curve (ECDSA) key");
        }
        ECPrivateKeyParameters ecPrivate = (ECPrivateKeyParameters) privateKey;
        ECPublicKeyParameters ecPublic = (ECPublicKeyParameters) publicKey;
        boolean sameCurve = ecPrivate.getParameters().getCurve().equals(ecPublic.getParameters().getCurve());
        if (!sameCurve || !new FixedPointCombMultiplier()
                .multiply(ecPrivate.getParameters().getG(), ecPrivate.getD())
                .normalize()
                .equals(ecPublic.getQ())) {
            throw new IllegalArgumentException("private key does not belong to the certificate");
        }
        return new DtlsCertificate(ecPrivate, certificate);
    }

    private static Object readPem(String pem, String what) {
        if (pem == null) {
            throw new IllegalArgumentException(what + " PEM is missing");
        }
        if (pem.length() > MAX_PEM_LENGTH) {
            throw new IllegalArgumentException(what + " PEM is longer than " + MAX_PEM_LENGTH + " characters");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object == null) {
                throw new IllegalArgumentException(what + " PEM holds no PEM block");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("malformed " + what + " PEM: " + e.getMessage(), e);
        }
    }

    /** @return the SHA-256 fingerprint in SDP form, {@code sha-256 AB:CD:...} (uppercase hex) */
    public String fingerprint() {
        return fingerprint;
    }

    /** @return a copy of the certificate's DER encoding */
    public byte[] certificateDer() {
        return certificateDer.clone();
    }

    /** @return the start of the validity window */
    public Instant notBefore() {
        return notBefore;
    }

    /** @return the end of the validity window */
    public Instant notAfter() {
        return notAfter;
    }

    /** @return the certificate as a PEM {@code CERTIFICATE} block */
    public String certificatePem() {
        return toPem("CERTIFICATE", certificateDer);
    }

    /** @return the private key as an unencrypted PKCS#8 PEM {@code PRIVATE KEY} block; keep it secret */
    public String privateKeyPem() {
        try {
            return toPem("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the private key", e);
        }
    }

    /** The key for the bctls signer; package-private so the key never leaves the package. */
    ECPrivateKeyParameters privateKey() {
        return privateKey;
    }

    byte[] certificateDerUnsafe() {
        return certificateDer;
    }

    private static String toPem(String type, byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + fingerprint + ", notAfter=" + notAfter + "]";
    }
}
