package io.streamkit.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.streamkit.webrtc.sfu.SfuServer;
import io.streamkit.webrtc.sfu.SfuStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server side of {@link SfuForwardingHarness}, run in its own JVM so that its CPU time can be
 * read from {@code /proc/PID/stat} apart from the load generator's. Two modes:
 * <ul>
 *   <li>{@code sfu HOST HTTP_PORT UDP_PORT MAX_PEERS}: StreamKit's {@link SfuServer} with its
 *       defaults, except that a room holds {@code MAX_PEERS} participants (the examples' {@code sfu}
 *       command keeps the default of 100, too few for 500 subscribers);</li>
 *   <li>{@code relay HOST UDP_PORT}: the anchor, a no-op UDP relay on one Netty event loop (the
 *       SFU's media plane has one too): a 1-byte datagram {@code 'P'} registers its sender as the
 *       publisher, {@code 'S'} as a subscriber, and every other datagram from the publisher goes
 *       unchanged (no decryption, no copy) to every subscriber.</li>
 * </ul>
 * Prints {@code READY http=H udp=U} when bound, answers {@code stats} on standard input with one
 * {@code STATS key=value...} line and exits on {@code quit} or end of input.
 */
public final class SfuBenchServer {
    private SfuBenchServer() {
    }

    /**
     * @param args the mode and its arguments (see the class comment)
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length >= 5 && args[0].equals("sfu")) {
            runSfu(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else if (args.length >= 3 && args[0].equals("relay")) {
            runRelay(args[1], Integer.parseInt(args[2]));
        } else {
            System.err.println("usage: sfu HOST HTTP_PORT UDP_PORT MAX_PEERS | relay HOST UDP_PORT");
            System.exit(2);
        }
    }

    private static void runSfu(String host, int httpPort, int udpPort, int maxPeers) throws Exception {
        SfuServer sfu = SfuServer.builder().host(host).httpPort(httpPort).udpPort(udpPort).maxPeersPerRoom(maxPeers)
                .build().start();
        try {
            System.out.printf("READY http=%d udp=%d%n", sfu.signalingAddress().getPort(), sfu.mediaAddress()
                    .getPort());
            System.out.flush();
            commands(() -> {
                SfuStats s = sfu.stats();
                long subscribersConnected = s.peers().stream().filter(p -> p.subscriberConnected()).count();
                return "forwarded=" + s.packetsForwarded() + " datagramsIn=" + s.datagramsIn() + " datagramsOut="
                        + s.datagramsOut() + " srtpErrors=" + s.srtpErrors() + " rtpErrors=" + s.rtpErrors()
                        + " dtlsFailures=" + s.dtlsFailures() + " unroutable=" + s.unroutable() + " unknownSsrc="
                        + s.unknownSsrc() + " nacks=" + s.nacksReceived() + " retransmissions=" + s.retransmissions()
                        + " keyframeRequests=" + s.keyframeRequestsSent() + " peers=" + s.peers().size()
                        + " subscribersConnected=" + subscribersConnected;
            });
        } finally {
            sfu.close();
        }
    }

    private static void runRelay(String host, int udpPort) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicLong forwarded = new AtomicLong();
        AtomicLong datagramsIn = new AtomicLong();
        try {
            Channel ch = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024).option(ChannelOption.SO_SNDBUF,
                            4 * 1024 * 1024)
                    .handler(new RelayHandler(forwarded, datagramsIn)).bind(host, udpPort).sync().channel();
            System.out.printf("READY http=0 udp=%d%n", ((InetSocketAddress) ch.localAddress()).getPort());
            System.out.flush();
            commands(() -> "forwarded=" + forwarded.get() + " datagramsIn=" + datagramsIn.get());
            ch.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private interface StatsLine {
        String get();
    }

    private static void commands(StatsLine stats) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("stats")) {
                System.out.println("STATS " + stats.get());
                System.out.flush();
            } else if (line.equals("quit")) {
                return;
            }
        }
    }

    /** The no-op relay; confined to its event loop. */
    private static final class RelayHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final AtomicLong forwarded;
        private final AtomicLong datagramsIn;
        private final List<InetSocketAddress> subscribers = new ArrayList<>();
        private InetSocketAddress publisher;

        RelayHandler(AtomicLong forwarded, AtomicLong datagramsIn) {
            this.forwarded = forwarded;
            this.datagramsIn = datagramsIn;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            datagramsIn.incrementAndGet();
            ByteBuf buf = packet.content();
            InetSocketAddress from = packet.sender();
            if (buf.readableBytes() == 1) {
                byte b = buf.getByte(buf.readerIndex());
                if (b == 'P') {
                    publisher = from;
                } else if (b == 'S' && !subscribers.contains(from)) {
                    subscribers.add(from);
                }
                return;
            }
            if (!from.equals(publisher)) {
                return;
            }
            for (int i = 0; i < subscribers.size(); i++) {
                ctx.write(new DatagramPacket(buf.retainedDuplicate(), subscribers.get(i)));
            }
            forwarded.addAndGet(subscribers.size());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
