package io.streamkit.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {
    private static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    @Test
    void generatedCertificateIsSelfSignedEcdsaP256WithTheDocumentedValidity() throws Exception {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        DtlsCertificate certificate = DtlsCertificate.generate("StreamKit", new SecureRandom(), now);
        X509Certificate x509 = parse(certificate.certificateDer());

        x509.verify(x509.getPublicKey());
        assertEquals("EC", x509.getPublicKey().getAlgorithm());
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertTrue(x509.getPublicKey().toString().contains("secp256r1")
                || x509.getPublicKey().toString().contains("1.2.840.10045.3.1.7"), x509.getPublicKey()::toString);
        assertEquals("CN=StreamKit", x509.getSubjectX500Principal().getName());
        assertEquals(x509.getSubjectX500Principal(), x509.getIssuerX500Principal());
        assertTrue(x509.getSerialNumber().signum() > 0);
        assertEquals(now.minus(Duration.ofDays(1)), x509.getNotBefore().toInstant());
        assertEquals(now.plus(Duration.ofDays(30)), x509.getNotAfter().toInstant());
        assertEquals(now.plus(Duration.ofDays(30)), certificate.notAfter());
    }

    @Test
    void fingerprintIsUppercaseColonHexSha256OfTheDer() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        String fingerprint = certificate.fingerprint();
        assertTrue(fingerprint.matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.certificateDer());
        String expected = HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        assertEquals("sha-256 " + expected, fingerprint);
    }

    @Test
    void eachGenerationIsUnique() throws Exception {
        DtlsCertificate a = DtlsCertificate.generate();
        DtlsCertificate b = DtlsCertificate.generate();
        assertNotEquals(a.fingerprint(), b.fingerprint());
        assertNotEquals(parse(a.certificateDer()).getSerialNumber(), parse(b.certificateDer()).getSerialNumber());
    }

    @Test
    void pemAndDerRoundTrip() {
        DtlsCertificate original = DtlsCertificate.generate();
        assertTrue(original.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(original.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----"));
        DtlsCertificate fromPem = DtlsCertificate.fromPem(original.certificatePem(), original.privateKeyPem());
        assertEquals(original.fingerprint(), fromPem.fingerprint());
        assertArrayEquals(original.certificateDer(), fromPem.certificateDer());
        assertEquals(original.privateKeyPem(), fromPem.privateKeyPem());
        String body = original.privateKeyPem().replaceAll("-----[A-Z ]+-----|\\s", "");
        DtlsCertificate fromDer = DtlsCertificate.fromDer(original.certificateDer(), Base64.getDecoder().decode(body));
        assertEquals(original.fingerprint(), fromDer.fingerprint());
    }

    @Test
    void loadedCertificateWorksInAHandshake() throws Exception {
        DtlsCertificate generated = DtlsCertificate.generate();
        DtlsCertificate loaded = DtlsCertificate.fromPem(generated.certificatePem(), generated.privateKeyPem());
        DtlsCertificate clientCert = DtlsCertificate.generate();
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(loaded)
                    .remoteFingerprint(clientCert.fingerprint()).build());
            DtlsSession client = wire.client(wire.clientBuilder(clientCert)
                    .remoteFingerprint(generated.fingerprint()).build());
            server.start();
            assertEquals(generated.fingerprint(), client.start().get(30, TimeUnit.SECONDS).remoteFingerprint());
        }
    }

    @Test
    void keyOfAnotherCertificateIsRejected() {
        DtlsCertificate a = DtlsCertificate.generate();
        DtlsCertificate b = DtlsCertificate.generate();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DtlsCertificate.fromPem(a.certificatePem(), b.privateKeyPem()));
        assertTrue(e.getMessage().contains("does not belong"), e::getMessage);
    }

    @Test
    void nonEcKeyIsRejected() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        byte[] pkcs8 = rsa.generateKeyPair().getPrivate().getEncoded();
        DtlsCertificate ec = DtlsCertificate.generate();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DtlsCertificate.fromDer(ec.certificateDer(), pkcs8));
        assertTrue(e.getMessage().contains("elliptic-curve"), e::getMessage);
    }

    @Test
    void malformedInputGetsIllegalArgumentException() {
        DtlsCertificate ok = DtlsCertificate.generate();
        assertThrows(IllegalArgumentException.class, () -> DtlsCertificate.fromPem("garbage", ok.privateKeyPem()));
        assertThrows(IllegalArgumentException.class, () -> DtlsCertificate.fromPem(ok.certificatePem(), ""));
        assertThrows(IllegalArgumentException.class, () -> DtlsCertificate.fromPem(null, ok.privateKeyPem()));
        assertThrows(IllegalArgumentException.class,
                () -> DtlsCertificate.fromPem(ok.privateKeyPem(), ok.privateKeyPem()));
        assertThrows(IllegalArgumentException.class,
                () -> DtlsCertificate.fromPem(ok.certificatePem(), ok.certificatePem()));
        assertThrows(IllegalArgumentException.class,
                () -> DtlsCertificate.fromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                        ok.privateKeyPem()));
        assertThrows(IllegalArgumentException.class, () -> DtlsCertificate.fromDer(new byte[]{1, 2, 3}, new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> DtlsCertificate.fromPem("x".repeat(100_000), ok.privateKeyPem()));
    }

    @Test
    void fingerprintHelpersCompareCaseInsensitivelyWithAnySupportedHash() {
        DtlsCertificate certificate = DtlsCertificate.generate();
        byte[] der = certificate.certificateDer();
        assertTrue(DtlsFingerprint.matches(certificate.fingerprint().toLowerCase(Locale.ROOT), der));
        assertTrue(DtlsFingerprint.matches(certificate.fingerprint().toUpperCase(Locale.ROOT), der));
        for (String algorithm : new String[]{"sha-1", "sha-256", "SHA-384", "sha-512"}) {
            String value = DtlsFingerprint.compute(algorithm, der);
            assertTrue(value.startsWith(algorithm.toLowerCase(Locale.ROOT) + " "), value);
            assertTrue(DtlsFingerprint.matches(value, der));
            assertFalse(DtlsFingerprint.matches(value, DtlsCertificate.generate().certificateDer()));
        }
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.compute("md5", der));
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.matches("sha-256 AB:CD", der));
    }
}
