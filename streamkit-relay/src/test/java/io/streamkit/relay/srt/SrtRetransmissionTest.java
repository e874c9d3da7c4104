package io.streamkit.relay.srt;

import static io.streamkit.relay.srt.SrtConnectionTest.assertInOrder;
import static io.streamkit.relay.srt.SrtConnectionTest.awaitCount;
import static io.streamkit.relay.srt.SrtConnectionTest.loopback;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sender retransmits, seen from the network: a relay between caller and listener loses
 * chosen data packets on purpose and counts, per message counter, the packets that carry the R
 * (retransmitted) flag.
 */
class SrtRetransmissionTest {
    private static final Logger log = LoggerFactory.getLogger(SrtRetransmissionTest.class);
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A UDP relay for one client that drops the caller's data packets {@link #drop} chooses. */
    private static final class Relay implements AutoCloseable {
        final DatagramChannel front;
        final DatagramChannel back;
        final InetSocketAddress target;
        final IntPredicate drop;
        final Map<Integer, AtomicInteger> retransmitted = new ConcurrentHashMap<>();
        final AtomicInteger dropped = new AtomicInteger();
        volatile SocketAddress client;
        volatile boolean closed;

        /** @param drop whether to drop a data packet, by the message counter it carries */
        Relay(InetSocketAddress target, IntPredicate drop) throws IOException {
            this.target = target;
            this.drop = drop;
            front = DatagramChannel.open().bind(loopback());
            back = DatagramChannel.open().bind(loopback());
            Thread f = new Thread(() -> pump(front, true), "rexmit-relay-front");
            Thread b = new Thread(() -> pump(back, false), "rexmit-relay-back");
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
                    buf.flip();
                    if (fromClient) {
                        client = from;
                        if (buf.remaining() >= 20 && (buf.get(0) & 0x80) == 0) {
                            int counter = buf.getInt(16);
                            if ((buf.get(4) & 0x04) != 0) {
                                retransmitted.computeIfAbsent(counter, c -> new AtomicInteger()).incrementAndGet();
                            }
                            if (drop.test(counter)) {
                                dropped.incrementAndGet();
                                continue;
                            }
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

        /** @return retransmissions by message counter, sorted */
        Map<Integer, Integer> retransmissions() {
            Map<Integer, Integer> out = new TreeMap<>();
            retransmitted.forEach((k, v) -> out.put(k, v.get()));
            return out;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            front.close();
            back.close();
        }
    }

    @Test
    void aHoleThatOutlastsTheRetransmitTimeoutIsTheOnlyPacketResent() throws Exception {
        int count = 400;
        int held = 100;
        long[] firstSeen = {0};
        // every copy of message 100 is lost for 300 ms: the acknowledgement point stalls for ten RTOs
        IntPredicate drop = counter -> {
            if (counter != held) {
                return false;
            }
            synchronized (firstSeen) {
                if (firstSeen[0] == 0) {
                    firstSeen[0] = System.nanoTime();
                }
                return System.nanoTime() - firstSeen[0] < TimeUnit.MILLISECONDS.toNanos(300);
            }
        };
        SrtConnectionTest.Accepting acceptor = new SrtConnectionTest.Accepting(Duration.ofMillis(1000), null);
        try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor);
                Relay relay = new Relay(listener.localAddress(), drop)) {
            SrtConnection caller = SrtCaller.connect(group, relay.address(), SrtCaller.Options.of("hole", Duration
                    .ofMillis(1000))).get(5, TimeUnit.SECONDS);
            SrtConnectionTest.sendPaced(caller, count, 500);
            awaitCount(acceptor.sink, count, Duration.ofSeconds(10));
            Map<Integer, Integer> rexmit = relay.retransmissions();
            log.info("hole of 300 ms at message {}: retransmissions {}; relay dropped {}; sender {}", held, rexmit,
                    relay.dropped.get(), caller.stats());
            assertInOrder(acceptor.sink, count);
            assertTrue(rexmit.getOrDefault(held, 0) >= 1, "the lost packet was retransmitted: " + rexmit);
            long others = rexmit.entrySet().stream().filter(e -> e.getKey() != held).mapToInt(Map.Entry::getValue)
                    .sum();
            // the peer NAKs the hole periodically: nothing it received needs sending again (a tail probe
            // or two may go out if the machine stalls the event loops for an RTO)
            assertTrue(others <= 3, "packets retransmitted besides the lost one: " + rexmit);
            caller.close();
        }
    }

    @Test
    void aLostLastPacketIsRecoveredByTheTailProbe() throws Exception {
        int count = 50;
        AtomicInteger lastSeen = new AtomicInteger();
        // the first copy of the last message is lost, and nothing follows it to reveal the loss
        IntPredicate drop = counter -> counter == count - 1 && lastSeen.getAndIncrement() == 0;
        SrtConnectionTest.Accepting acceptor = new SrtConnectionTest.Accepting(Duration.ofMillis(300), null);
        try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor);
                Relay relay = new Relay(listener.localAddress(), drop)) {
            SrtConnection caller = SrtCaller.connect(group, relay.address(), SrtCaller.Options.of("tail", Duration
                    .ofMillis(300))).get(5, TimeUnit.SECONDS);
            SrtConnectionTest.sendPaced(caller, count, 500);
            awaitCount(acceptor.sink, count, Duration.ofSeconds(5));
            log.info("tail loss: retransmissions {}; sender {}", relay.retransmissions(), caller.stats());
            assertEquals(1, relay.dropped.get());
            assertInOrder(acceptor.sink, count);
            assertEquals(1, relay.retransmissions().getOrDefault(count - 1, 0), "probes of the last packet: "
                    + relay.retransmissions());
            caller.close();
        }
    }
}
