package io.streamkit.webrtc.dtls;

import io.streamkit.webrtc.srtp.SrtpProfile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;

/** Our server against a plain bctls client that only speaks DTLS 1.0. */
class DtlsProtocolVersionTest {
    @Test
    void dtls10ClientIsRefused() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        LinkedBlockingQueue<byte[]> toClient = new LinkedBlockingQueue<>();
        ExecutorService executor = Executors.newCachedThreadPool(DtlsTestWire.named("dtls-version-test"));
        try {
            DtlsSession server = DtlsSession.builder(DtlsRole.SERVER, certificate)
                    .outbound(datagram -> {
                        byte[] bytes = new byte[datagram.readableBytes()];
                        datagram.readBytes(bytes);
                        datagram.release();
                        toClient.add(bytes);
                    })
                    .handshakeExecutor(executor)
                    .remoteFingerprint(certificate.fingerprint())
                    .build();
            server.start();
            DatagramTransport clientSide = new DatagramTransport() {
                @Override
                public int getReceiveLimit() {
                    return 2048;
                }

                @Override
                public int getSendLimit() {
                    return 1200;
                }

                @Override
                public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
                    try {
                        byte[] bytes = toClient.poll(waitMillis, TimeUnit.MILLISECONDS);
                        if (bytes == null) {
                            return -1;
                        }
                        System.arraycopy(bytes, 0, buf, off, Math.min(len, bytes.length));
                        return Math.min(len, bytes.length);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                }

                @Override
                public void send(byte[] buf, int off, int len) {
                    server.receive(Unpooled.copiedBuffer(buf, off, len));
                }

                @Override
                public void close() {
                }
            };
            DefaultTlsClient dtls10 = new DefaultTlsClient(new BcTlsCrypto(new SecureRandom())) {
                @Override
                protected ProtocolVersion[] getSupportedVersions() {
                    return ProtocolVersion.DTLSv10.only();
                }

                @Override
                @SuppressWarnings({"rawtypes", "unchecked"})
                public Hashtable getClientExtensions() throws IOException {
                    Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
                    TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(
                            new int[]{SrtpProfile.AEAD_AES_128_GCM.id()}, TlsUtils.EMPTY_BYTES));
                    return extensions;
                }

                @Override
                public TlsAuthentication getAuthentication() {
                    return new TlsAuthentication() {
                        @Override
                        public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                        }

                        @Override
                        public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
                            return null;
                        }
                    };
                }
            };
            Future<?> client = executor.submit(() -> new DTLSClientProtocol().connect(dtls10, clientSide));
            assertThrows(ExecutionException.class, () -> client.get(30, TimeUnit.SECONDS));
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> server.result().get(30, TimeUnit.SECONDS));
            DtlsHandshakeException cause = assertInstanceOf(DtlsHandshakeException.class, failure.getCause());
            assertEquals(DtlsFailureReason.PROTOCOL_ERROR, cause.reason());
            assertTrue(cause.getMessage().contains("protocol_version"), cause::getMessage);
            server.close();
        } finally {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

}
