package io.streamkit.relay.srt;

import static io.streamkit.relay.srt.SrtConnectionTest.assertInOrder;
import static io.streamkit.relay.srt.SrtConnectionTest.awaitCount;
import static io.streamkit.relay.srt.SrtConnectionTest.loopback;
import static io.streamkit.relay.srt.SrtConnectionTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's pacer, seen from the network: a relay between caller and listener notes when each
 * data packet arrives. Only lower bounds on the spread of a burst are asserted, never how fast
 * our code is.
 */
class SrtPacingTest {
    private static final Logger log = LoggerFactory.getLogger(SrtPacingTest.class);
    private static final int COST = SrtConnectionTest.SIZE + 44;
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A UDP relay for one client that records when the first copy of each message counter arrives. */
    private static final class TimingRelay implements AutoCloseable {
        final DatagramChannel front;
        final DatagramChannel back;
        final InetSocketAddress target;
        final Map<Integer, Long> arrivals = new ConcurrentHashMap<>();
        volatile SocketAddress client;
        volatile boolean closed;

        TimingRelay(InetSocketAddress target) throws IOException {
            this.target = target;
            front = DatagramChannel.open().bind(loopback());
            back = DatagramChannel.open().bind(loopback());
            Thread f = new Thread(() -> pump(front, true), "timing-relay-front");
            Thread b = new Thread(() -> pump(back, false), "timing-relay-back");
            f.setDaemon(true);
            b.setDaemon(true);
            f.start();
            b.start();
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) front.getLocalAddress();
        }

        private void pump(DatagramChannel in, boolean fromClient) {
            ByteBuffer buf = ByteBuffer.allocate(2048);
            while (!closed) {
                try {
                    buf.clear();
                    SocketAddress from = in.receive(buf);
                    long at = System.nanoTime();
                    buf.flip();
                    if (fromClient) {
                        client = from;
                        if (buf.remaining() >= 20 && (buf.get(0) & 0x80) == 0) {
                            arrivals.putIfAbsent(buf.getInt(16), at);
                        }
                        back.send(buf, target);
                    } else if (client != null) {
                        front.send(buf, client);
                    }
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                }
            }
        }

        /** @return nanoseconds from the first to the last arrival of the counters {@code [from, to)} */
        long spread(int from, int to) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (int i = from; i < to; i++) {
                Long t = arrivals.get(i);
                assertTrue(t != null, "message " + i + " never passed the relay");
                first = Math.min(first, t);
                last = Math.max(last, t);
            }
            return last - first;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            front.close();
            back.close();
        }
    }

    @Test
    void aBurstIsSpreadAtTheMaximumBandwidth() throws Exception {
        int n = 200;
        long rate = 250L * COST; // 250 packets per second: the burst needs 0.8 s
        SrtConnectionTest.Accepting acceptor = new SrtConnectionTest.Accepting(Duration.ofMillis(1500), null);
        try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor);
                TimingRelay relay = new TimingRelay(listener.localAddress())) {
            SrtConnection caller = SrtCaller.connect(group, relay.address(), SrtCaller.Options.of("paced", Duration
                    .ofMillis(1500)).withMaxBandwidth(rate)).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < n; i++) {
                assertTrue(caller.send(message(i)));
            }
            awaitCount(acceptor.sink, n, Duration.ofSeconds(10));
            assertInOrder(acceptor.sink, n);
            double seconds = relay.spread(0, n) / 1e9;
            log.info("burst of {} at {} B/s spread over {} s; sender {}", n, rate, seconds, caller.stats());
            assertTrue(seconds >= 0.8 * n * COST / rate, "burst spread over " + seconds + " s");
            assertEquals(0, caller.stats().packetsDropped());
            caller.close();
        }
    }

    @Test
    void automaticLimitFollowsTheInputRatePlusOverhead() throws Exception {
        int steady = 450;
        int burst = 150;
        SrtConnectionTest.Accepting acceptor = new SrtConnectionTest.Accepting(Duration.ofMillis(1500), null);
        try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor);
                TimingRelay relay = new TimingRelay(listener.localAddress())) {
            SrtConnection caller = SrtCaller.connect(group, relay.address(), SrtCaller.Options.of("auto", Duration
                    .ofMillis(1500))).get(5, TimeUnit.SECONDS);
            // 300 packets per second for 1.5 s: the pacer learns about 375 packets per second
            SrtConnectionTest.sendPaced(caller, steady, 300);
            for (int i = steady; i < steady + burst; i++) {
                assertTrue(caller.send(message(i)));
            }
            awaitCount(acceptor.sink, steady + burst, Duration.ofSeconds(10));
            assertInOrder(acceptor.sink, steady + burst);
            double seconds = relay.spread(steady, steady + burst) / 1e9;
            log.info("burst of {} after {} packets/s spread over {} s; sender {}", burst, 300, seconds, caller
                    .stats());
            // at 125 % of the input rate the burst needs 0.4 s; allow for a rate learned from a busier second
            assertTrue(seconds >= 0.8 * burst / (300 * 1.25 * 1.5), "burst spread over " + seconds + " s");
            caller.close();
        }
    }

    @Test
    void whatWaitsLongerThanTheLatencyIsDroppedAndCounted() throws Exception {
        int n = 300;
        long rate = 100L * COST; // 100 packets per second: most of the burst cannot go out within 200 ms
        SrtConnectionTest.Accepting acceptor = new SrtConnectionTest.Accepting(Duration.ofMillis(200), null);
        try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor)) {
            SrtConnection caller = SrtCaller.connect(group, listener.localAddress(), SrtCaller.Options.of("late",
                    Duration.ofMillis(200)).withMaxBandwidth(rate)).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < n; i++) {
                assertTrue(caller.send(message(i)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (acceptor.sink.counters.size() + caller.stats().packetsDropped() < n
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            SrtStats s = caller.stats();
            log.info("overflowing burst: delivered {} sender {}", acceptor.sink.counters.size(), s);
            assertTrue(s.packetsDropped() > 0, "sender dropped nothing: " + s);
            int delivered = acceptor.sink.counters.size();
            // every message is delivered or given up; the sender also gives up on packets it sent whose
            // acknowledgement had not come back in time, which the receiver may still have delivered
            assertTrue(delivered <= n, "delivered " + delivered + " of " + n);
            assertTrue(delivered + s.packetsDropped() >= n, "delivered " + delivered + " + dropped "
                    + s.packetsDropped() + " covers the " + n + " sent");
            assertEquals(0, acceptor.connected.get().stats().packetsLost(), "the receiver sees no gap");
            caller.close();
        }
    }
}
