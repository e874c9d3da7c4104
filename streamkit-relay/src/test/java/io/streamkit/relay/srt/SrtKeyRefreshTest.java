package io.streamkit.relay.srt;

import static io.streamkit.relay.srt.SrtConnectionTest.assertInOrder;
import static io.streamkit.relay.srt.SrtConnectionTest.awaitCount;
import static io.streamkit.relay.srt.SrtConnectionTest.loopback;
import static io.streamkit.relay.srt.SrtConnectionTest.sendPaced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class SrtKeyRefreshTest {
    private static final Logger log = LoggerFactory.getLogger(SrtKeyRefreshTest.class);
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

    @Test
    void keysRefreshedEvery500PacketsStillDecryptEverything() throws Exception {
        int count = 3000;
        SrtConnectionTest.Accepting acceptor = new SrtConnectionTest.Accepting(Duration.ofMillis(120), PASSPHRASE);
        try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor)) {
            SrtConnection caller = SrtCaller.connect(group, listener.localAddress(), new SrtCaller.Options("k",
                    Duration.ofMillis(120), PASSPHRASE, 16, Duration.ofSeconds(3)).withKeyRefresh(500, 100))
                    .get(5, TimeUnit.SECONDS);
            SrtConnection accepted = acceptor.connected.get(5, TimeUnit.SECONDS);
            sendPaced(caller, count, 4000);
            awaitCount(acceptor.sink, count, Duration.ofSeconds(10));
            log.info("key refresh: switches {} receiver {}", caller.keySwitches(), accepted.stats());
            assertInOrder(acceptor.sink, count);
            assertEquals(0, accepted.stats().undecrypted());
            assertEquals(count / 500, caller.keySwitches());
            caller.close();
            accepted.closeFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void bothDirectionsRefreshOnTheirOwn() throws Exception {
        InetSocketAddress a = SrtRendezvousTest.freeUdp();
        InetSocketAddress b = SrtRendezvousTest.freeUdp();
        SrtCaller.Options options = new SrtCaller.Options(null, Duration.ofMillis(120), PASSPHRASE, 32, Duration
                .ofSeconds(5));
        CompletableFuture<SrtConnection> fa = SrtRendezvous.connect(group, a, b, options.withKeyRefresh(300, 50));
        CompletableFuture<SrtConnection> fb = SrtRendezvous.connect(group, b, a, options.withKeyRefresh(400, 150));
        SrtConnection ca = fa.get(5, TimeUnit.SECONDS);
        SrtConnection cb = fb.get(5, TimeUnit.SECONDS);
        SrtConnectionTest.Sink sinkA = new SrtConnectionTest.Sink();
        SrtConnectionTest.Sink sinkB = new SrtConnectionTest.Sink();
        ca.setHandler(sinkA);
        cb.setHandler(sinkB);
        // one direction after the other: each side's receive keys follow the peer's refreshes while its own
        // send keys have moved on
        sendPaced(ca, 1500, 2000);
        awaitCount(sinkB, 1500, Duration.ofSeconds(10));
        sendPaced(cb, 1500, 2000);
        awaitCount(sinkA, 1500, Duration.ofSeconds(10));
        awaitCount(sinkB, 1500, Duration.ofSeconds(10));
        log.info("both ways: a {} switches {}, b {} switches {}", ca.stats(), ca.keySwitches(), cb.stats(), cb
                .keySwitches());
        assertInOrder(sinkA, 1500);
        assertInOrder(sinkB, 1500);
        assertEquals(0, ca.stats().undecrypted());
        assertEquals(0, cb.stats().undecrypted());
        assertEquals(5, ca.keySwitches());
        assertEquals(3, cb.keySwitches());
        ca.close();
        cb.closeFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void preAnnounceMustFitTheRefreshRate() {
        SrtCaller.Options o = SrtCaller.Options.of(null, Duration.ofMillis(100));
        assertThrows(IllegalArgumentException.class, () -> o.withKeyRefresh(100, 51));
        assertThrows(IllegalArgumentException.class, () -> o.withKeyRefresh(100, 0));
        assertTrue(o.withKeyRefresh(100, 50).keyPreAnnounce() == 50);
    }
}
