package io.streamkit.relay.srt;

import static io.streamkit.relay.srt.SrtConnectionTest.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thousands of packets per second between two StreamKit ends on loopback, without a proxy: the
 * only way to lose a datagram there is a full socket receive buffer while the receiving event
 * loop is busy.
 */
class SrtHighRateTest {
    private static final Logger log = LoggerFactory.getLogger(SrtHighRateTest.class);
    /** Enough full datagrams to overflow Linux's default 208 KiB receive buffer several times. */
    private static final int BURST = 600;
    /**
     * The kernel limit the burst needs, with a margin of two: Linux charges about 2.3 KiB per
     * 1,360-byte datagram and grants twice the requested size, up to this limit.
     */
    private static final long NEEDED_RMEM_MAX = 2L * BURST * 2304;

    private static long rmemMax() throws Exception {
        // read line by line: /proc files report a size that does not match their content
        return Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).strip());
    }

    @Test
    void aBurstWhileTheReceivingLoopIsBusyIsNotLostInTheKernel() throws Exception {
        long rmemMax = rmemMax();
        assertTrue(rmemMax >= NEEDED_RMEM_MAX, "this test needs net.core.rmem_max >= " + NEEDED_RMEM_MAX
                + " (is " + rmemMax + "): sysctl -w net.core.rmem_max=4194304");
        EventLoopGroup receiving = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup sending = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CountDownLatch release = new CountDownLatch(1);
        try {
            SrtConnectionTest.Accepting acceptor = new SrtConnectionTest.Accepting(Duration.ofMillis(200), null);
            try (SrtListener listener = SrtListener.bind(receiving, loopback(), acceptor)) {
                SrtConnection caller = SrtCaller.connect(sending, listener.localAddress(), SrtCaller.Options.of("x",
                        Duration.ofMillis(200))).get(5, TimeUnit.SECONDS);
                SrtConnection accepted = acceptor.connected.get(5, TimeUnit.SECONDS);
                // the receiving loop is busy (a collection pause, other connections, a slow handler)
                CountDownLatch blocked = new CountDownLatch(1);
                listener.eventLoop().execute(() -> {
                    blocked.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertTrue(blocked.await(5, TimeUnit.SECONDS));
                for (int i = 0; i < BURST; i++) {
                    assertTrue(caller.send(SrtConnectionTest.message(i)), "send " + i);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (caller.stats().packetsSent() < BURST && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertTrue(caller.stats().packetsSent() >= BURST, "the burst left: " + caller.stats());
                release.countDown();
                SrtConnectionTest.awaitCount(acceptor.sink, BURST, Duration.ofSeconds(10));
                SrtStats receiver = accepted.stats();
                log.info("burst of {} while the receiving loop was blocked: receiver {}; sender {}", BURST, receiver,
                        caller.stats());
                SrtConnectionTest.assertInOrder(acceptor.sink, BURST);
                assertEquals(0, receiver.packetsLost(), "datagrams lost in the socket receive buffer: " + receiver);
                assertEquals(0, receiver.packetsDropped(), "receiver " + receiver);
                caller.close();
            }
        } finally {
            release.countDown();
            sending.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            receiving.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void bothDirectionsAtOnceOnOneEventLoop() throws Exception {
        // a listener runs all its connections on one event loop; here the caller shares it too
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        int rate = 2500;
        int count = rate * 2;
        try {
            SrtConnectionTest.Accepting acceptor = new SrtConnectionTest.Accepting(Duration.ofMillis(200), null);
            try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor)) {
                SrtConnection caller = SrtCaller.connect(group, listener.localAddress(), SrtCaller.Options.of("x",
                        Duration.ofMillis(200))).get(5, TimeUnit.SECONDS);
                SrtConnection accepted = acceptor.connected.get(5, TimeUnit.SECONDS);
                SrtConnectionTest.Sink back = new SrtConnectionTest.Sink();
                caller.setHandler(back);
                CompletableFuture<Void> forward = CompletableFuture.runAsync(() -> send(caller, count, rate));
                CompletableFuture<Void> backward = CompletableFuture.runAsync(() -> send(accepted, count, rate));
                forward.get(30, TimeUnit.SECONDS);
                backward.get(30, TimeUnit.SECONDS);
                SrtConnectionTest.awaitCount(acceptor.sink, count, Duration.ofSeconds(10));
                SrtConnectionTest.awaitCount(back, count, Duration.ofSeconds(10));
                SrtStats c = caller.stats();
                SrtStats a = accepted.stats();
                log.info("{} messages/s each way on one loop: caller {}; listener side {}", rate, c, a);
                SrtConnectionTest.assertInOrder(acceptor.sink, count);
                SrtConnectionTest.assertInOrder(back, count);
                assertEquals(0, c.packetsDropped() + a.packetsDropped(), "caller " + c + "; listener side " + a);
                caller.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void send(SrtConnection c, int count, int perSecond) {
        try {
            SrtConnectionTest.sendPaced(c, count, perSecond);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
