package io.streamkit.webrtc.interop;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on loopback between WebRTC clients and the SFU's media port that drops a share of
 * the RTP packets going to the clients (never STUN, DTLS or RTCP), so that the clients' NACKs and
 * the SFU's retransmissions can be observed. Each client address gets its own upstream socket, so
 * the SFU sees one distinct address per client, as behind a NAT.
 */
final class LossyMediaRelay implements AutoCloseable {
    private final DatagramSocket front;
    private final Map<SocketAddress, Upstream> upstreams = new ConcurrentHashMap<>();
    private final double lossToClients;
    private final double lossFromClients;
    private final Random random;
    private volatile InetSocketAddress target;
    private volatile boolean closed;
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong relayed = new AtomicLong();

    LossyMediaRelay(double lossToClients, long seed) throws SocketException {
        this(lossToClients, 0, seed);
    }

    LossyMediaRelay(double lossToClients, double lossFromClients, long seed) throws SocketException {
        this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.lossToClients = lossToClients;
        this.lossFromClients = lossFromClients;
        this.random = new Random(seed);
    }

    int port() {
        return front.getLocalPort();
    }

    void start(InetSocketAddress sfu) {
        this.target = sfu;
        Thread t = new Thread(this::frontLoop, "lossy-relay-front");
        t.setDaemon(true);
        t.start();
    }

    private void frontLoop() {
        byte[] buf = new byte[2048];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                front.receive(p);
                if (drop(p.getData(), p.getLength(), lossFromClients)) {
                    dropped.incrementAndGet();
                    continue;
                }
                Upstream up = upstreams.computeIfAbsent(p.getSocketAddress(), Upstream::new);
                up.socket.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), target));
                relayed.incrementAndGet();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private synchronized boolean drop(byte[] data, int length, double loss) {
        int first = data[0] & 0xFF;
        boolean rtp = first >= 128 && first <= 191 && length > 1 && ((data[1] & 0xFF) < 192 || (data[1] & 0xFF) > 223);
        return rtp && loss > 0 && random.nextDouble() < loss;
    }

    /** The relay's socket towards the SFU for one client. */
    private final class Upstream {
        final DatagramSocket socket;

        Upstream(SocketAddress client) {
            try {
                socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            } catch (SocketException e) {
                throw new IllegalStateException(e);
            }
            Thread t = new Thread(() -> backLoop(client), "lossy-relay-back");
            t.setDaemon(true);
            t.start();
        }

        private void backLoop(SocketAddress client) {
            byte[] buf = new byte[2048];
            while (!closed) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                    if (drop(p.getData(), p.getLength(), lossToClients)) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    front.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), client));
                    relayed.incrementAndGet();
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        upstreams.values().forEach(u -> u.socket.close());
    }
}
