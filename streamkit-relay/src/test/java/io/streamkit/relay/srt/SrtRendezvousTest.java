package io.streamkit.relay.srt;

import static io.streamkit.relay.srt.SrtConnectionTest.assertInOrder;
import static io.streamkit.relay.srt.SrtConnectionTest.awaitCount;
import static io.streamkit.relay.srt.SrtConnectionTest.sendPaced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SrtRendezvousTest {
    private static final String PASSPHRASE = "0123456789abc";
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** @return a loopback address with a UDP port free right now */
    static InetSocketAddress freeUdp() throws SocketException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
    }

    private static SrtCaller.Options options(Duration latency, String passphrase) {
        return new SrtCaller.Options(null, latency, passphrase, 16, Duration.ofSeconds(5));
    }

    private void exchange(String passphrase) throws Exception {
        InetSocketAddress a = freeUdp();
        InetSocketAddress b = freeUdp();
        CompletableFuture<SrtConnection> fa = SrtRendezvous.connect(group, a, b, options(Duration.ofMillis(120),
                passphrase));
        Thread.sleep(100); // one side starts first: its first wave is lost
        CompletableFuture<SrtConnection> fb = SrtRendezvous.connect(group, b, a, options(Duration.ofMillis(200),
                passphrase));
        SrtConnection ca = fa.get(5, TimeUnit.SECONDS);
        SrtConnection cb = fb.get(5, TimeUnit.SECONDS);
        assertEquals(Duration.ofMillis(200), ca.latency());
        assertEquals(Duration.ofMillis(200), cb.latency());
        assertEquals(passphrase != null, ca.isEncrypted());
        assertEquals(passphrase != null, cb.isEncrypted());
        assertEquals(ca.socketId(), cb.peerSocketId());
        assertEquals(cb.socketId(), ca.peerSocketId());
        SrtConnectionTest.Sink sinkA = new SrtConnectionTest.Sink();
        SrtConnectionTest.Sink sinkB = new SrtConnectionTest.Sink();
        ca.setHandler(sinkA);
        cb.setHandler(sinkB);
        sendPaced(ca, 500, 4000);
        sendPaced(cb, 300, 4000);
        awaitCount(sinkB, 500, Duration.ofSeconds(5));
        awaitCount(sinkA, 300, Duration.ofSeconds(5));
        assertInOrder(sinkB, 500);
        assertInOrder(sinkA, 300);
        assertEquals(0, ca.stats().undecrypted());
        assertEquals(0, cb.stats().undecrypted());
        ca.close();
        assertEquals(null, sinkB.closed.get(5, TimeUnit.SECONDS));
        cb.closeFuture().get(5, TimeUnit.SECONDS);
        ca.closeFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void plainRendezvousExchangesBothWays() throws Exception {
        exchange(null);
    }

    @Test
    void encryptedRendezvousExchangesBothWays() throws Exception {
        exchange(PASSPHRASE);
    }

    @Test
    void differentPassphrasesFail() throws Exception {
        InetSocketAddress a = freeUdp();
        InetSocketAddress b = freeUdp();
        CompletableFuture<SrtConnection> fa = SrtRendezvous.connect(group, a, b, options(Duration.ofMillis(100),
                PASSPHRASE));
        CompletableFuture<SrtConnection> fb = SrtRendezvous.connect(group, b, a, options(Duration.ofMillis(100),
                "another-secret"));
        ExecutionException ea = assertThrows(ExecutionException.class, () -> fa.get(8, TimeUnit.SECONDS));
        ExecutionException eb = assertThrows(ExecutionException.class, () -> fb.get(8, TimeUnit.SECONDS));
        SrtRejectedException ra = assertInstanceOf(SrtRejectedException.class, ea.getCause());
        SrtRejectedException rb = assertInstanceOf(SrtRejectedException.class, eb.getCause());
        assertEquals(SrtRejectReason.BADSECRET, ra.reason(), ra.getMessage());
        assertEquals(SrtRejectReason.BADSECRET, rb.reason(), rb.getMessage());
        assertTrue(fa.isCompletedExceptionally() && fb.isCompletedExceptionally());
    }
}
