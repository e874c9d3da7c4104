package io.streamkit.webrtc.dtls;

import io.streamkit.webrtc.srtp.SrtpProfile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DtlsSessionTest {
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final long WAIT_SECONDS = 30;

    /** A well-framed DTLS 1.2 record of epoch 0 with the given content type and fragment. */
    static ByteBuf record(int contentType, byte... fragment) {
        ByteBuf record = Unpooled.buffer(13 + fragment.length);
        record.writeByte(contentType).writeShort(0xfefd).writeShort(0).writeZero(6).writeShort(fragment.length);
        return record.writeBytes(fragment);
    }

    private static DtlsResult await(CompletableFuture<DtlsResult> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static DtlsHandshakeException awaitFailure(CompletableFuture<DtlsResult> future) {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
        return assertInstanceOf(DtlsHandshakeException.class, failure.getCause());
    }

    @Test
    void serverAndClientAgreeOnGcmAndKeyingMaterial() throws Exception {
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(CLIENT_CERT.fingerprint()).build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT)
                    .remoteFingerprint(SERVER_CERT.fingerprint()).build());
            CompletableFuture<DtlsResult> serverResult = server.start();
            CompletableFuture<DtlsResult> clientResult = client.start();
            DtlsResult s = await(serverResult);
            DtlsResult c = await(clientResult);

            assertEquals(SrtpProfile.AEAD_AES_128_GCM, s.profile());
            assertEquals(SrtpProfile.AEAD_AES_128_GCM, c.profile());
            assertEquals(56, s.keyingMaterial().length);
            assertArrayEquals(s.keyingMaterial(), c.keyingMaterial());
            assertEquals(DtlsRole.SERVER, s.role());
            assertEquals(DtlsRole.CLIENT, c.role());
            assertEquals(CLIENT_CERT.fingerprint(), s.remoteFingerprint());
            assertEquals(SERVER_CERT.fingerprint(), c.remoteFingerprint());
            assertArrayEquals(s.localMasterKey(), c.remoteMasterKey());
            assertArrayEquals(s.localMasterSalt(), c.remoteMasterSalt());
            assertArrayEquals(c.localMasterKey(), s.remoteMasterKey());
            assertEquals(12, s.localMasterSalt().length);
            assertEquals(DtlsSession.State.CONNECTED, server.state());
            assertEquals(DtlsSession.State.CONNECTED, client.state());
            assertEquals(1, server.metrics().handshakesCompleted());
            assertEquals(1, client.metrics().handshakesStarted());
        }
    }

    @Test
    void clientOfferingOnlyCmGetsCm() throws Exception {
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(CLIENT_CERT.fingerprint()).build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT)
                    .remoteFingerprint(SERVER_CERT.fingerprint())
                    .srtpProfiles(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80))
                    .build());
            server.start();
            DtlsResult c = await(client.start());
            DtlsResult s = await(server.result());
            assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, s.profile());
            assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, c.profile());
            assertEquals(60, c.keyingMaterial().length);
            assertArrayEquals(s.keyingMaterial(), c.keyingMaterial());
            assertEquals(14, c.localMasterSalt().length);
        }
    }

    @Test
    void serverFollowsTheClientsProfileOrder() throws Exception {
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(CLIENT_CERT.fingerprint()).build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT)
                    .remoteFingerprint(SERVER_CERT.fingerprint())
                    .srtpProfiles(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM))
                    .build());
            server.start();
            client.start();
            assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, await(server.result()).profile());
        }
    }

    @Test
    void noCommonSrtpProfileFails() throws Exception {
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(CLIENT_CERT.fingerprint())
                    .srtpProfiles(List.of(SrtpProfile.AEAD_AES_128_GCM))
                    .build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT)
                    .remoteFingerprint(SERVER_CERT.fingerprint())
                    .srtpProfiles(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80))
                    .build());
            server.start();
            client.start();
            assertEquals(DtlsFailureReason.NO_COMMON_SRTP_PROFILE, awaitFailure(server.result()).reason());
            assertEquals(DtlsFailureReason.PEER_ALERT, awaitFailure(client.result()).reason());
            assertEquals(1, server.metrics().handshakesFailed(DtlsFailureReason.NO_COMMON_SRTP_PROFILE));
        }
    }

    @Test
    void serverRejectsClientCertificateWithWrongFingerprint() throws Exception {
        DtlsCertificate other = DtlsCertificate.generate();
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(other.fingerprint()).build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT)
                    .remoteFingerprint(SERVER_CERT.fingerprint()).build());
            server.start();
            client.start();
            server.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            DtlsFingerprintMismatchException mismatch = assertInstanceOf(DtlsFingerprintMismatchException.class,
                    awaitFailure(server.result()));
            assertEquals(other.fingerprint(), mismatch.expected());
            assertEquals(CLIENT_CERT.fingerprint(), mismatch.actual());
            assertEquals(DtlsFailureReason.PEER_ALERT, awaitFailure(client.result()).reason());
            assertEquals(1, server.metrics().handshakesFailed(DtlsFailureReason.FINGERPRINT_MISMATCH));
        }
    }

    @Test
    void clientRejectsServerCertificateWithWrongFingerprint() throws Exception {
        DtlsCertificate other = DtlsCertificate.generate();
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(CLIENT_CERT.fingerprint()).build());
            // another hash function, lowercase: the comparison uses the SDP's function, case-insensitively
            String expected = DtlsFingerprint.compute("sha-1", other.certificateDer()).toLowerCase();
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT).remoteFingerprint(expected).build());
            server.start();
            client.start();
            assertInstanceOf(DtlsFingerprintMismatchException.class, awaitFailure(client.result()));
            assertEquals(DtlsFailureReason.PEER_ALERT, awaitFailure(server.result()).reason());
        }
    }

    @Test
    void fingerprintWithOtherHashFunctionAndCaseMatches() throws Exception {
        try (DtlsTestWire wire = new DtlsTestWire()) {
            String clientFingerprint = DtlsFingerprint.compute("SHA-512", CLIENT_CERT.certificateDer()).toLowerCase();
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(clientFingerprint).build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT)
                    .remoteFingerprint(SERVER_CERT.fingerprint()).build());
            server.start();
            client.start();
            assertEquals(CLIENT_CERT.fingerprint(), await(server.result()).remoteFingerprint());
        }
    }

    @Test
    void remoteFingerprintMaySetAfterStart() throws Exception {
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT).build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT).build());
            server.start();
            client.start();
            Thread.sleep(200);
            assertEquals(DtlsSession.State.HANDSHAKING, server.state());
            client.setRemoteFingerprint(SERVER_CERT.fingerprint());
            server.setRemoteFingerprint(CLIENT_CERT.fingerprint());
            assertArrayEquals(await(server.result()).keyingMaterial(), await(client.result()).keyingMaterial());
            assertThrows(IllegalStateException.class, () -> server.setRemoteFingerprint(CLIENT_CERT.fingerprint()));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void lossyWireStillCompletes(long seed) throws Exception {
        Random random = new Random(seed);
        try (DtlsTestWire wire = new DtlsTestWire()) {
            wire.filter((fromServer, datagram) -> {
                synchronized (random) {
                    return random.nextInt(100) < 20;
                }
            });
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(CLIENT_CERT.fingerprint())
                    .handshakeTimeout(Duration.ofSeconds(60))
                    .build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT)
                    .remoteFingerprint(SERVER_CERT.fingerprint())
                    .handshakeTimeout(Duration.ofSeconds(60))
                    .build());
            server.start();
            client.start();
            DtlsResult s = server.result().get(90, TimeUnit.SECONDS);
            DtlsResult c = client.result().get(90, TimeUnit.SECONDS);
            assertArrayEquals(s.keyingMaterial(), c.keyingMaterial());
        }
    }

    /**
     * The server's final flight (ChangeCipherSpec + Finished, packed in one datagram) is lost once:
     * the server has already completed, the client retransmits its flight, and the server's
     * post-handshake reader must resend the final flight for the client to complete.
     */
    @Test
    void lostFinalServerFlightIsResentAfterServerCompleted() throws Exception {
        AtomicBoolean droppedFinalFlight = new AtomicBoolean();
        try (DtlsTestWire wire = new DtlsTestWire()) {
            wire.filter((fromServer, datagram) -> fromServer
                    && datagram.getUnsignedByte(0) == 20
                    && droppedFinalFlight.compareAndSet(false, true));
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(CLIENT_CERT.fingerprint()).build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT)
                    .remoteFingerprint(SERVER_CERT.fingerprint()).build());
            server.start();
            client.start();
            DtlsResult s = await(server.result());
            DtlsResult c = await(client.result());
            assertTrue(droppedFinalFlight.get());
            assertEquals(1, wire.dropped.get());
            assertArrayEquals(s.keyingMaterial(), c.keyingMaterial());
        }
    }

    @Test
    void closeAfterHandshakeSendsCloseNotifyToThePeer() throws Exception {
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(CLIENT_CERT.fingerprint()).build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT)
                    .remoteFingerprint(SERVER_CERT.fingerprint()).build());
            server.start();
            client.start();
            await(server.result());
            await(client.result());
            client.close();
            client.close();
            server.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(DtlsSession.State.CLOSED, server.state());
        }
    }

    @Test
    void handshakeTimesOutWithoutPeer() throws Exception {
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(CLIENT_CERT.fingerprint())
                    .handshakeTimeout(Duration.ofMillis(300))
                    .build());
            assertInstanceOf(DtlsHandshakeTimeoutException.class, awaitFailure(server.start()));
            assertEquals(1, server.metrics().handshakesFailed(DtlsFailureReason.TIMEOUT));
            assertEquals(1, server.metrics().handshakesFailed());
            server.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void missingSdpFingerprintTimesOut() throws Exception {
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .handshakeTimeout(Duration.ofSeconds(1))
                    .build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT)
                    .remoteFingerprint(SERVER_CERT.fingerprint())
                    .handshakeTimeout(Duration.ofSeconds(5))
                    .build());
            server.start();
            client.start();
            assertInstanceOf(DtlsHandshakeTimeoutException.class, awaitFailure(server.result()));
        }
    }

    @Test
    void closeDuringHandshakeReturnsPromptlyAndFreesTheThread() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor(DtlsTestWire.named("dtls-single-test"));
        try {
            DtlsSession server = DtlsSession.builder(DtlsRole.SERVER, SERVER_CERT)
                    .outbound(ByteBuf::release)
                    .handshakeExecutor(single)
                    .handshakeTimeout(Duration.ofMinutes(5))
                    .build();
            CompletableFuture<DtlsResult> result = server.start();
            Thread.sleep(100);
            server.close();
            assertEquals(DtlsFailureReason.CLOSED, awaitFailure(result).reason());
            assertEquals(DtlsSession.State.CLOSED, server.state());
            // the only handshake thread is free again, long before the five-minute timeout
            Future<?> next = single.submit(() -> {
            });
            next.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, server.metrics().handshakesFailed(DtlsFailureReason.CLOSED));
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void closeBeforeStartFailsTheResultWithoutCountingAHandshake() throws Exception {
        DtlsSession server = DtlsSession.builder(DtlsRole.SERVER, SERVER_CERT)
                .outbound(ByteBuf::release)
                .handshakeExecutor(Runnable::run)
                .build();
        ByteBuf queued = record(22, (byte) 1, (byte) 2);
        server.receive(queued);
        server.close();
        assertEquals(0, queued.refCnt());
        assertEquals(DtlsFailureReason.CLOSED, awaitFailure(server.result()).reason());
        assertEquals(DtlsFailureReason.CLOSED, awaitFailure(server.start()).reason());
        assertEquals(0, server.metrics().handshakesStarted());
        ByteBuf late = record(22, (byte) 1);
        server.receive(late);
        assertEquals(0, late.refCnt());
        assertEquals(1, server.datagramsDropped());
    }

    @Test
    void fullQueueDropsAndCounts() {
        DtlsMetrics metrics = new DtlsMetrics();
        DtlsSession server = DtlsSession.builder(DtlsRole.SERVER, SERVER_CERT)
                .outbound(ByteBuf::release)
                .handshakeExecutor(Runnable::run)
                .inboundQueueCapacity(2)
                .metrics(metrics)
                .build();
        ByteBuf[] datagrams = new ByteBuf[5];
        for (int i = 0; i < datagrams.length; i++) {
            datagrams[i] = record(22, (byte) i);
            server.receive(datagrams[i]);
        }
        ByteBuf empty = Unpooled.buffer(0);
        server.receive(empty);
        ByteBuf oversized = record(22, new byte[DtlsSession.MAX_INBOUND_DATAGRAM]);
        server.receive(oversized);
        ByteBuf truncated = record(22, (byte) 1, (byte) 2).writerIndex(14);
        server.receive(truncated);
        assertEquals(6, server.datagramsDropped());
        assertEquals(6, metrics.datagramsDropped());
        assertEquals(1, datagrams[0].refCnt());
        assertEquals(0, datagrams[4].refCnt());
        server.close();
        for (ByteBuf datagram : datagrams) {
            assertEquals(0, datagram.refCnt());
        }
        assertEquals(0, empty.refCnt());
        assertEquals(0, oversized.refCnt());
        assertEquals(0, truncated.refCnt());
    }

    @Test
    void garbageDuringHandshakeFailsOrIsIgnoredWithoutHangOrLeak() throws Exception {
        Random random = new Random(7);
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(CLIENT_CERT.fingerprint())
                    .handshakeTimeout(Duration.ofSeconds(2))
                    .build());
            CompletableFuture<DtlsResult> result = server.start();
            for (int i = 0; i < 200; i++) {
                byte[] bytes = new byte[1 + random.nextInt(300)];
                random.nextBytes(bytes);
                bytes[0] = (byte) (20 + random.nextInt(4));
                if (bytes.length > 2 && random.nextBoolean()) {
                    bytes[1] = (byte) 0xfe;
                    bytes[2] = (byte) 0xfd;
                }
                wire.injectToServer(Unpooled.wrappedBuffer(bytes));
            }
            DtlsHandshakeException failure = awaitFailure(result);
            assertTrue(failure.reason() == DtlsFailureReason.TIMEOUT
                    || failure.reason() == DtlsFailureReason.PROTOCOL_ERROR, failure::toString);
        }
    }

    @Test
    void garbageAfterHandshakeIsDroppedAndTheSessionStaysUp() throws Exception {
        Random random = new Random(11);
        try (DtlsTestWire wire = new DtlsTestWire()) {
            DtlsSession server = wire.server(wire.serverBuilder(SERVER_CERT)
                    .remoteFingerprint(CLIENT_CERT.fingerprint())
                    .inboundQueueCapacity(1024)
                    .build());
            DtlsSession client = wire.client(wire.clientBuilder(CLIENT_CERT)
                    .remoteFingerprint(SERVER_CERT.fingerprint()).build());
            server.start();
            client.start();
            await(server.result());
            await(client.result());
            for (int i = 0; i < 100; i++) {
                byte[] noise = new byte[1 + random.nextInt(100)];
                random.nextBytes(noise);
                noise[0] = (byte) (20 + random.nextInt(44));
                wire.injectToServer(Unpooled.wrappedBuffer(noise));
                byte[] bytes = new byte[13 + random.nextInt(200)];
                random.nextBytes(bytes);
                // application data records of the current epoch with a random (bad) ciphertext
                bytes[0] = 23;
                bytes[1] = (byte) 0xfe;
                bytes[2] = (byte) 0xfd;
                bytes[3] = 0;
                bytes[4] = 1;
                bytes[11] = (byte) ((bytes.length - 13) >> 8);
                bytes[12] = (byte) (bytes.length - 13);
                wire.injectToServer(Unpooled.wrappedBuffer(bytes));
            }
            // close_notify from the client still gets through: the session kept reading
            client.close();
            server.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(0, server.applicationRecordsDropped());
            assertEquals(0, server.metrics().associationsFailed(), "garbage must not end the association");
            assertTrue(server.datagramsDropped() > 0);
        }
    }

    @Test
    void builderRequiresSinkAndExecutor() {
        assertThrows(IllegalStateException.class,
                () -> DtlsSession.builder(DtlsRole.SERVER, SERVER_CERT).handshakeExecutor(Runnable::run).build());
        assertThrows(IllegalStateException.class,
                () -> DtlsSession.builder(DtlsRole.SERVER, SERVER_CERT).outbound(ByteBuf::release).build());
        assertThrows(IllegalArgumentException.class,
                () -> DtlsSession.builder(DtlsRole.SERVER, SERVER_CERT).remoteFingerprint("md5 00:11"));
        assertThrows(IllegalArgumentException.class,
                () -> DtlsSession.builder(DtlsRole.SERVER, SERVER_CERT).srtpProfiles(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> DtlsSession.builder(DtlsRole.SERVER, SERVER_CERT).handshakeTimeout(Duration.ZERO));
    }

    @Test
    void roleFromSetupAttribute() {
        assertEquals(DtlsRole.CLIENT, DtlsRole.forLocalSetup("active"));
        assertEquals(DtlsRole.SERVER, DtlsRole.forLocalSetup(" PASSIVE "));
        assertThrows(IllegalArgumentException.class, () -> DtlsRole.forLocalSetup("actpass"));
        assertThrows(IllegalArgumentException.class, () -> DtlsRole.forLocalSetup(null));
    }
}
