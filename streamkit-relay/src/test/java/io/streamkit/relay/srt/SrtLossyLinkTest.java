package io.streamkit.relay.srt;

import static io.streamkit.relay.srt.SrtConnectionTest.assertInOrder;
import static io.streamkit.relay.srt.SrtConnectionTest.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SRT through an in-process lossy, delaying UDP proxy on loopback. */
class SrtLossyLinkTest {
    private static final Logger log = LoggerFactory.getLogger(SrtLossyLinkTest.class);
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private record Run(SrtStats sender, SrtStats receiver, List<Integer> delivered) {
    }

    /**
     * The latency: 7.5 x the 40 ms round trip. Each recovery round (NAK, then retransmission, either
     * lost with the loss probability) takes about 60 ms; at 200 ms only three rounds fit and at 5 %
     * loss about one run in ten lost a packet for good.
     */
    private static final Duration LATENCY = Duration.ofMillis(300);

    private static Run run(double loss, long seed, int count) throws Exception {
        SrtConnectionTest.Accepting acceptor = new SrtConnectionTest.Accepting(LATENCY, null);
        try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor);
                LossyUdpProxy proxy = new LossyUdpProxy(listener.localAddress(), loss, Duration.ofMillis(20),
                        Duration.ofMillis(5), seed)) {
            SrtConnection caller = SrtCaller
                    .connect(group, proxy.address(),
                            new SrtCaller.Options("lossy", LATENCY, null, 16, Duration.ofSeconds(10)))
                    .get(15, TimeUnit.SECONDS);
            SrtConnection accepted = acceptor.connected.get(5, TimeUnit.SECONDS);
            // about 500 messages per second, 5 Mbit/s
            SrtConnectionTest.sendPaced(caller, count, 500);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (acceptor.sink.counters.size() + accepted.stats().packetsDropped() < count
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Run r = new Run(caller.stats(), accepted.stats(), List.copyOf(acceptor.sink.counters));
            log.info("loss {}: proxy forwarded {} lost {}; sender {}; receiver {}", loss, proxy.forwarded(), proxy
                    .lost(), r.sender(), r.receiver());
            assertEquals(0, acceptor.sink.corrupt);
            caller.close();
            return r;
        }
    }

    @Test
    void fivePercentLossIsFullyRecovered() throws Exception {
        Run r = run(0.05, 1, 2000);
        assertEquals(2000, r.delivered().size(), "delivered; receiver " + r.receiver());
        for (int i = 0; i < 2000; i++) {
            assertEquals(i, r.delivered().get(i));
        }
        assertTrue(r.sender().packetsRetransmitted() > 0);
        assertTrue(r.receiver().packetsLost() > 0);
        assertEquals(0, r.receiver().packetsDropped());
        assertTrue(r.receiver().rtt().toMillis() >= 30, "RTT " + r.receiver().rtt());
    }

    @Test
    void tenPercentLossDeliversInOrderAndCountsEveryDrop() throws Exception {
        int count = 2000;
        Run r = run(0.10, 2, count);
        List<Integer> got = r.delivered();
        for (int i = 1; i < got.size(); i++) {
            assertTrue(got.get(i) > got.get(i - 1), "in order at " + i);
        }
        log.info("10% loss: delivered {} of {}, dropped {}, retransmitted {}", got.size(), count, r.receiver()
                .packetsDropped(), r.sender().packetsRetransmitted());
        assertEquals(count, got.size() + r.receiver().packetsDropped(), "delivered + dropped == sent");
        assertTrue(r.sender().packetsRetransmitted() > 0);
    }

    @Test
    void proxyWithoutLossKeepsOrder() throws Exception {
        Run r = run(0, 3, 300);
        assertEquals(300, r.delivered().size());
        SrtConnectionTest.Sink s = new SrtConnectionTest.Sink();
        s.counters.addAll(r.delivered());
        assertInOrder(s, 300);
    }
}
