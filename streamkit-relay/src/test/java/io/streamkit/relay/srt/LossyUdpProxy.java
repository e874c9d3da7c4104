package io.streamkit.relay.srt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process UDP proxy on loopback that loses and delays datagrams, for one client at a time:
 * datagrams to {@link #address()} go to the target, the target's answers go back to the last
 * client. Each datagram is dropped with probability {@code loss}, else delivered after
 * {@code delay} plus a uniform jitter in {@code [-jitter, +jitter]} (so datagrams may be
 * reordered). The random choices come from a seeded generator; at most 20000 datagrams wait at
 * once (more are dropped).
 */
public final class LossyUdpProxy implements AutoCloseable {
    private static final int MAX_QUEUED = 20_000;
    private final DatagramChannel front;
    private final DatagramChannel back;
    private final InetSocketAddress target;
    private final double loss;
    private final long delayMicros;
    private final long jitterMicros;
    private final Random random;
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final Thread frontReader;
    private final Thread backReader;
    private volatile SocketAddress client;
    private volatile boolean closed;

    /**
     * @param target where to forward
     * @param loss the probability of losing each datagram, in each direction
     * @param delay the mean one-way delay
     * @param jitter the largest deviation from the delay
     * @param seed the seed of the random choices
     * @throws IOException if the sockets cannot be opened
     */
    public LossyUdpProxy(InetSocketAddress target, double loss, Duration delay, Duration jitter, long seed)
            throws IOException {
        this.target = target;
        this.loss = loss;
        this.delayMicros = delay.toNanos() / 1000;
        this.jitterMicros = jitter.toNanos() / 1000;
        this.random = new Random(seed);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        front = DatagramChannel.open().setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20)
                .bind(new InetSocketAddress(loopback, 0));
        back = DatagramChannel.open().setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20)
                .bind(new InetSocketAddress(loopback, 0));
        frontReader = new Thread(() -> pump(front, true), "lossy-proxy-front");
        backReader = new Thread(() -> pump(back, false), "lossy-proxy-back");
        frontReader.setDaemon(true);
        backReader.setDaemon(true);
        frontReader.start();
        backReader.start();
    }

    /** @return where clients send */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) front.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return datagrams delivered */
    public long forwarded() {
        return forwarded.get();
    }

    /** @return datagrams lost on purpose (or for a full queue) */
    public long lost() {
        return lost.get();
    }

    private void pump(DatagramChannel in, boolean fromClient) {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (!closed) {
            try {
                buf.clear();
                SocketAddress from = in.receive(buf);
                if (fromClient) {
                    client = from;
                }
                buf.flip();
                ByteBuffer copy = ByteBuffer.allocate(buf.remaining()).put(buf).flip();
                long delay;
                boolean drop;
                synchronized (random) {
                    drop = random.nextDouble() < loss;
                    delay = delayMicros + (jitterMicros == 0
                            ? 0
                            : (long) ((random.nextDouble() * 2 - 1) * jitterMicros));
                }
                if (drop || queued.incrementAndGet() > MAX_QUEUED) {
                    if (!drop) {
                        queued.decrementAndGet();
                    }
                    lost.incrementAndGet();
                    continue;
                }
                DatagramChannel out = fromClient ? back : front;
                SocketAddress to = fromClient ? target : client;
                scheduler.schedule(() -> {
                    queued.decrementAndGet();
                    try {
                        out.send(copy, to);
                        forwarded.incrementAndGet();
                    } catch (IOException e) {
                        lost.incrementAndGet();
                    }
                }, Math.max(0, delay), TimeUnit.MICROSECONDS);
            } catch (ClosedChannelException | java.util.concurrent.RejectedExecutionException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        scheduler.shutdownNow();
        front.close();
        back.close();
    }
}
