package io.streamkit.webrtc.dtls;

import io.streamkit.webrtc.srtp.SrtpProfile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our DTLS-SRTP endpoint against OpenSSL's {@code s_client}/{@code s_server} (an independent DTLS
 * 1.2 implementation) over real UDP on 127.0.0.1: the handshake completes, the SRTP profile agrees,
 * and OpenSSL's exported keying material equals ours.
 */
class DtlsOpensslIT {
    private static final Pattern KEYING_MATERIAL = Pattern.compile("Keying material: ([0-9A-Fa-f]+)");
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newCachedThreadPool(DtlsTestWire.named("dtls-openssl-it"));
    private final List<Process> processes = new ArrayList<>();
    private DatagramSocket socket;

    @BeforeEach
    void requireOpenssl() throws Exception {
        try {
            Process version = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            processes.add(version);
            assertTrue(version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0);
        } catch (IOException e) {
            fail("openssl is required for this interop test: apt-get install -y openssl", e);
        }
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void cleanUp() throws Exception {
        socket.close();
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Bridges the session to the UDP socket: a reader thread in, the sink out. */
    private DtlsSession bridge(DtlsSession.Builder builder, SocketAddress initialPeer) {
        AtomicReference<SocketAddress> peer = new AtomicReference<>(initialPeer);
        DtlsSession session = builder.outbound(datagram -> {
            try {
                byte[] bytes = new byte[datagram.readableBytes()];
                datagram.readBytes(bytes);
                SocketAddress to = peer.get();
                if (to != null) {
                    socket.send(new DatagramPacket(bytes, bytes.length, to));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                datagram.release();
            }
        }).handshakeExecutor(executor).build();
        executor.execute(() -> {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketException closed) {
                    return;
                } catch (IOException e) {
                    return;
                }
                peer.compareAndSet(null, packet.getSocketAddress());
                int first = buffer[0] & 0xFF;
                if (first >= 20 && first <= 63) {
                    session.receive(Unpooled.copiedBuffer(buffer, 0, packet.getLength()));
                }
            }
        });
        return session;
    }

    private Process openssl(List<String> command, String stdin) throws IOException {
        List<String> full = new ArrayList<>();
        full.add("openssl");
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.out").toFile()).start();
        processes.add(process);
        if (stdin != null) {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return process;
    }

    private String output() throws IOException {
        return Files.readString(dir.resolve("openssl.out"), StandardCharsets.ISO_8859_1);
    }

    private String keyingMaterial() throws IOException {
        Matcher matcher = KEYING_MATERIAL.matcher(output());
        assertTrue(matcher.find(), this::safeOutput);
        return matcher.group(1).toUpperCase(Locale.ROOT);
    }

    private String safeOutput() {
        try {
            return output();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    @Test
    void opensslClientAgainstOurServer() throws Exception {
        DtlsCertificate ours = DtlsCertificate.generate();
        DtlsCertificate theirs = DtlsCertificate.generate();
        Path cert = write("client.pem", theirs.certificatePem());
        Path key = write("client.key", theirs.privateKeyPem());
        DtlsSession server = bridge(DtlsSession.builder(DtlsRole.SERVER, ours)
                .remoteFingerprint(theirs.fingerprint()), null);
        CompletableFuture<DtlsResult> result = server.start();
        int port = socket.getLocalPort();
        // stdin: one line of application data, then EOF makes s_client send close_notify and exit
        Process client = openssl(List.of("s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port, "-mtu", "1200",
                "-use_srtp", "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", "-cert", cert.toString(), "-key",
                key.toString(), "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "56", "-no_ign_eof"),
                "hello\n");
        DtlsResult ours1 = result.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(client.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), this::safeOutput);
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, ours1.profile());
        assertEquals(theirs.fingerprint(), ours1.remoteFingerprint());
        assertTrue(output().contains("SRTP Extension negotiated, profile=SRTP_AEAD_AES_128_GCM"), this::safeOutput);
        assertEquals(HexFormat.of().withUpperCase().formatHex(ours1.keyingMaterial()), keyingMaterial());
        server.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(1, server.applicationRecordsDropped());
        assertEquals(0, server.metrics().associationsFailed());
    }

    @Test
    void opensslClientOfferingOnlyCmGetsCm() throws Exception {
        DtlsCertificate ours = DtlsCertificate.generate();
        DtlsCertificate theirs = DtlsCertificate.generate();
        Path cert = write("client.pem", theirs.certificatePem());
        Path key = write("client.key", theirs.privateKeyPem());
        DtlsSession server = bridge(DtlsSession.builder(DtlsRole.SERVER, ours)
                .remoteFingerprint(theirs.fingerprint()), null);
        CompletableFuture<DtlsResult> result = server.start();
        openssl(List.of("s_client", "-dtls1_2", "-connect", "127.0.0.1:" + socket.getLocalPort(), "-use_srtp",
                "SRTP_AES128_CM_SHA1_80", "-cert", cert.toString(), "-key", key.toString(), "-keymatexport",
                "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60", "-no_ign_eof"), "");
        DtlsResult ours1 = result.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, ours1.profile());
        server.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(HexFormat.of().withUpperCase().formatHex(ours1.keyingMaterial()), keyingMaterial());
    }

    @Test
    void opensslClientWithAnotherCertificateIsRejected() throws Exception {
        DtlsCertificate ours = DtlsCertificate.generate();
        DtlsCertificate announced = DtlsCertificate.generate();
        DtlsCertificate presented = DtlsCertificate.generate();
        Path cert = write("client.pem", presented.certificatePem());
        Path key = write("client.key", presented.privateKeyPem());
        DtlsSession server = bridge(DtlsSession.builder(DtlsRole.SERVER, ours)
                .remoteFingerprint(announced.fingerprint()), null);
        CompletableFuture<DtlsResult> result = server.start();
        openssl(List.of("s_client", "-dtls1_2", "-connect", "127.0.0.1:" + socket.getLocalPort(), "-use_srtp",
                "SRTP_AEAD_AES_128_GCM", "-cert", cert.toString(), "-key", key.toString()), "");
        try {
            result.get(WAIT_SECONDS, TimeUnit.SECONDS);
            fail("handshake with a certificate that does not match the SDP fingerprint completed");
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue(e.getCause() instanceof DtlsFingerprintMismatchException, e::toString);
        }
    }

    @Test
    void ourClientAgainstOpensslServer() throws Exception {
        DtlsCertificate ours = DtlsCertificate.generate();
        DtlsCertificate theirs = DtlsCertificate.generate();
        Path cert = write("server.pem", theirs.certificatePem());
        Path key = write("server.key", theirs.privateKeyPem());
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        Process server = openssl(List.of("s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port, "-naccept", "1",
                "-use_srtp", "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", "-cert", cert.toString(), "-key",
                key.toString(), "-Verify", "1", "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "56"),
                null);
        // s_server prints ACCEPT once it listens
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!output().contains("ACCEPT") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        DtlsSession client = bridge(DtlsSession.builder(DtlsRole.CLIENT, ours)
                .remoteFingerprint(theirs.fingerprint()),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        DtlsResult result = client.start().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, result.profile());
        assertEquals(theirs.fingerprint(), result.remoteFingerprint());
        client.close();
        assertTrue(server.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), this::safeOutput);
        assertEquals(HexFormat.of().withUpperCase().formatHex(result.keyingMaterial()), keyingMaterial());
    }

}
