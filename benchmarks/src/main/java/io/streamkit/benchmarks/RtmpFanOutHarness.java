package io.streamkit.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.relay.amf.AmfObject;
import io.streamkit.relay.rtmp.RtmpChunkDecoder;
import io.streamkit.relay.rtmp.RtmpChunkEncoder;
import io.streamkit.relay.rtmp.RtmpClientHandshakeHandler;
import io.streamkit.relay.rtmp.RtmpCommand;
import io.streamkit.relay.rtmp.RtmpHandshakeCompleteEvent;
import io.streamkit.relay.rtmp.RtmpMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load harness: one 6 Mbit/s RTMP input (FFmpeg copying a pre-encoded file in real time) fanned out
 * to N RTMP players on loopback, by StreamKit's relay (the examples jar, its own JVM) and by
 * nginx-rtmp in the same run. Reports each relay's CPU seconds per forwarded gigabyte (from
 * /proc) and whether every player received the input rate. The players are minimal RTMP clients in
 * this JVM that count bytes after {@code NetStream.Play.Start}.
 */
public final class RtmpFanOutHarness {
    private static final Logger log = LoggerFactory.getLogger(RtmpFanOutHarness.class);
    private static final double INPUT_MBPS = 6.0;
    private static final long CLK_TCK = 100;

    private RtmpFanOutHarness() {
    }

    /** Result of one relay at one fan-out. */
    record Result(String relay, int players, double cpuSeconds, long bytes, double seconds, int playing) {
        double cpuPerGb() {
            return bytes == 0 ? Double.NaN : cpuSeconds / (bytes / 1e9);
        }

        double mbpsPerPlayer() {
            return players == 0 ? 0 : bytes * 8 / 1e6 / seconds / players;
        }

        boolean held() {
            return playing == players && mbpsPerPlayer() >= INPUT_MBPS * 0.9;
        }
    }

    /**
     * @param counts the fan-outs to measure
     * @param examplesJar the StreamKit examples jar
     * @param measureSeconds the measurement window per run
     * @throws Exception when a peer fails
     */
    static void run(List<Integer> counts, Path examplesJar, int measureSeconds) throws Exception {
        Path dir = Files.createTempDirectory("rtmp-fanout");
        Path source = dir.resolve("source.flv");
        exec(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f",
                "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "20", "-c:v", "libx264", "-preset",
                "veryfast", "-b:v", "5800k", "-minrate", "5800k", "-maxrate", "5800k", "-bufsize", "2M",
                "-x264-params", "nal-hrd=cbr", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
                source.toString()));
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-8s %18s %18s %10s %16s %16s %8s %8s", "players", "StreamKit CPU s/GB",
                "nginx CPU s/GB", "ratio", "SK Mbit/s/player", "nginx Mbit/s/pl.", "SK held", "nginx held"));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            for (int n : counts) {
                Result sk = measure("streamkit", n, dir, source, examplesJar, measureSeconds, group);
                Result ng = measure("nginx", n, dir, source, examplesJar, measureSeconds, group);
                rows.add(String.format("%-8d %18.2f %18.2f %10.2f %16.2f %16.2f %8s %8s", n, sk.cpuPerGb(), ng
                        .cpuPerGb(), sk.cpuPerGb() / ng.cpuPerGb(), sk.mbpsPerPlayer(), ng.mbpsPerPlayer(), sk.held(),
                        ng.held()));
                log.info("{} players: {} | {}", n, sk, ng);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        log.info("RTMP fan-out, 6 Mbit/s input (ratio = StreamKit / nginx-rtmp CPU per forwarded GB)\n{}", String
                .join("\n", rows));
    }

    private static Result measure(String relay, int players, Path dir, Path source, Path jar, int seconds,
            EventLoopGroup group) throws Exception {
        int port = freePort();
        List<Process> procs = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        try {
            Process server;
            if (relay.equals("nginx")) {
                Path d = Files.createDirectories(dir.resolve("nginx-" + players));
                Files.writeString(d.resolve("nginx.conf"), "load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;\n"
                        + "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + d.resolve("pid") + ";\n"
                        + "error_log " + d.resolve("error.log") + " warn;\n"
                        + "events { worker_connections 4096; }\n"
                        + "rtmp { server { listen 127.0.0.1:" + port + "; chunk_size 4096;\n"
                        + "  application live { live on; } } }\n");
                server = new ProcessBuilder("nginx", "-p", d.toString(), "-e", d.resolve("error.log").toString(), "-c",
                        d.resolve("nginx.conf").toString()).redirectErrorStream(true).redirectOutput(d
                                .resolve(
                                        "out.log")
                                .toFile())
                        .start();
            } else {
                List<String> cmd = new ArrayList<>(List.of("java"));
                String extra = System.getProperty("relay.jvmArgs", "");
                if (!extra.isBlank()) {
                    cmd.addAll(List.of(extra.trim().split("\\s+")));
                }
                cmd.addAll(List.of("-jar", jar.toString(), "relay", "--host", "127.0.0.1", "--rtmp-port", String
                        .valueOf(port)));
                server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("streamkit-"
                        + players + ".log").toFile()).start();
            }
            procs.add(server);
            awaitPort(port);
            String url = "rtmp://127.0.0.1:" + port + "/live/bench";
            procs.add(new ProcessBuilder("ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i", source.toString(),
                    "-c", "copy", "-f", "flv", url).redirectErrorStream(true).redirectOutput(dir
                            .resolve("publisher-"
                                    + relay + "-" + players + ".log")
                            .toFile())
                    .start());
            Thread.sleep(2000);
            AtomicLong bytes = new AtomicLong();
            AtomicLong playing = new AtomicLong();
            for (int i = 0; i < players; i++) {
                channels.add(player(group, port, bytes, playing));
                if (i % 50 == 49) {
                    Thread.sleep(100);
                }
            }
            Thread.sleep(15_000); // warm-up: players joined, past the GOP burst, JIT settled
            long cpu0 = cpuTicks(server.pid());
            long b0 = bytes.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu1 = cpuTicks(server.pid());
            long b1 = bytes.get();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            return new Result(relay, players, (cpu1 - cpu0) / (double) CLK_TCK, b1 - b0, elapsed, (int) playing.get());
        } finally {
            for (Channel c : channels) {
                c.close();
            }
            for (Process p : procs) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** A minimal player: handshake, connect, createStream, play, then count raw bytes. */
    private static Channel player(EventLoopGroup group, int port, AtomicLong bytes, AtomicLong playing)
            throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("handshake", new RtmpClientHandshakeHandler());
                        ch.pipeline().addLast("decoder", new RtmpChunkDecoder());
                        ch.pipeline().addLast("encoder", new RtmpChunkEncoder());
                        ch.pipeline().addLast("player", new ChannelInboundHandlerAdapter() {
                            private long sinceAck;
                            private long total;
                            private boolean counting;

                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof RtmpHandshakeCompleteEvent) {
                                    AmfObject o = new AmfObject();
                                    o.put("app", "live");
                                    o.put("tcUrl", "rtmp://127.0.0.1:" + port + "/live");
                                    ctx.writeAndFlush(RtmpCommand.encode(ctx.alloc(), 0, "connect", 1.0, o));
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof ByteBuf b) {
                                    int n = b.readableBytes();
                                    b.release();
                                    count(ctx, n);
                                    return;
                                }
                                if (msg instanceof RtmpMessage m) {
                                    try {
                                        if (m.typeId() == RtmpMessage.COMMAND_AMF0) {
                                            command(ctx, RtmpCommand.parse(m));
                                        }
                                    } finally {
                                        m.release();
                                    }
                                    return;
                                }
                                ReferenceCountUtil.release(msg);
                            }

                            private void command(ChannelHandlerContext ctx, RtmpCommand c) {
                                if (c.name().equals("_result") && c.transactionId() == 1.0) {
                                    ctx.writeAndFlush(
                                            RtmpCommand.encode(ctx.alloc(), 0, "createStream", 2.0, (Object) null));
                                } else if (c.name().equals("_result") && c.transactionId() == 2.0) {
                                    int id = (int) c.numberArg(1, 1);
                                    ctx.writeAndFlush(
                                            RtmpCommand.encode(ctx.alloc(), id, "play", 0.0, null, "bench", -2000.0));
                                } else if (c.name().equals("onStatus")
                                        && "NetStream.Play.Start".equals(c.objectArg(1).get(
                                                "code"))
                                        && !counting) {
                                    counting = true;
                                    playing.incrementAndGet();
                                    // from here on, count bytes without parsing them
                                    ctx.pipeline().remove("decoder");
                                }
                            }

                            private void count(ChannelHandlerContext ctx, int n) {
                                bytes.addAndGet(n);
                                total += n;
                                sinceAck += n;
                                if (sinceAck > 1_000_000) {
                                    sinceAck = 0;
                                    ctx.writeAndFlush(RtmpMessage.acknowledgement(ctx.alloc(), total & 0xFFFFFFFFL));
                                }
                            }
                        });
                    }
                }).connect("127.0.0.1", port).sync().channel();
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields after the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                if (s.isConnected()) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nothing listens on " + port);
    }

    private static void exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("failed: " + cmd);
        }
    }
}
