package io.streamkit.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load harness {@code chat}: N WebSocket chat clients on loopback in one room, and the fan-out
 * delay of chat messages through StreamKit's audience server ({@code io.streamkit.relay.audience})
 * beside a minimal Netty broadcast server ({@link BroadcastBaselineServer}) measured in the same
 * run. Each server runs in its own JVM ({@link ChatBenchServer}, {@code -Xmx1g}, one NIO event
 * loop); the clients are Netty WebSocket clients on one event loop group in this JVM, so a delay is
 * receive − send {@code System.nanoTime()} on one clock.
 *
 * <p>StreamKit: one streamer registers (and so receives its stream's chat without joining), N
 * viewers register and join its stream. Baseline: N + 1 plain connections. Then S of the viewers
 * send R chat messages per second in total, each carrying its send time; every viewer records the
 * delay of every message sent inside the measurement window (the streamer's copy is not
 * recorded). Reported per server: the delay p50/p99/max over all (message, viewer) pairs, messages
 * delivered against expected, the server's CPU seconds per second (from {@code /proc/PID/stat}) and
 * its memory per idle connection: heap used after full collections with every client connected and
 * joined, minus the same before any connection, divided by the connection count (and the same
 * with resident memory).
 *
 * <p>Usage: {@code chat [--clients N] [--rate R] [--seconds S] [--warmup W] [--senders K]
 * [--servers streamkit,baseline] [--server-threads T] [--client-threads C]}; defaults: 5,000
 * clients, 100 messages/s, 20 s measured after 5 s of warm-up, 20 senders, both servers, one
 * server I/O thread, two client threads. {@code -Dchat.jvmArgs="..."} adds flags to the server
 * JVMs. Each of the two processes needs a file descriptor per connection: the open-files limit
 * ({@code ulimit -n}) must exceed N + 200.
 */
final class ChatHarness {
    private static final Logger log = LoggerFactory.getLogger(ChatHarness.class);
    private static final long CLK_TCK = 100;
    private static final int CONNECTS_IN_FLIGHT = 64;
    private static final int DEFAULT_BASELINE_BYTES = 220;
    private static final byte[] CHAT_PREFIX = "{\"type\":\"CHAT_MESSAGE_BROADCAST\""
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_FIELD = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);

    private ChatHarness() {
    }

    /** What one run is asked to do. */
    record Options(int clients, int rate, int seconds, int warmup, int senders, List<String> servers,
            int serverThreads, int clientThreads) {
        Options {
            servers = List.copyOf(servers);
            if (clients < 1 || clients > 60_000) {
                throw new IllegalArgumentException("--clients must be 1 to 60000, got " + clients);
            }
            if (senders < 1 || senders > clients) {
                throw new IllegalArgumentException("--senders must be 1 to --clients, got " + senders);
            }
            if (rate < 1 || rate > 15 * senders) {
                throw new IllegalArgumentException("--rate must be 1 to 15 x --senders (the server allows 20 "
                        + "requests/s per connection), got " + rate);
            }
            if (seconds < 1 || warmup < 0) {
                throw new IllegalArgumentException("--seconds must be >= 1 and --warmup >= 0");
            }
            for (String s : servers) {
                if (!s.equals("streamkit") && !s.equals("baseline")) {
                    throw new IllegalArgumentException("--servers takes streamkit and/or baseline, got " + s);
                }
            }
        }

        static Options parse(List<String> args) {
            Map<String, Integer> v = new HashMap<>(Map.of("--clients", 5000, "--rate", 100, "--seconds", 20,
                    "--warmup", 5, "--senders", 20, "--server-threads", 1, "--client-threads", 2));
            List<String> servers = List.of("streamkit", "baseline");
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("'" + a + "' needs a value");
                }
                if (a.equals("--servers")) {
                    servers = List.of(args.get(++i).split(","));
                } else if (v.containsKey(a)) {
                    v.put(a, Integer.parseInt(args.get(++i)));
                } else {
                    throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            return new Options(v.get("--clients"), v.get("--rate"), v.get("--seconds"), v.get("--warmup"), v.get(
                    "--senders"), servers, v.get("--server-threads"), v.get("--client-threads"));
        }
    }

    /** One server's figures. */
    record Result(String server, int connections, double seconds, long sent, long delivered, long expected,
            long receivedInWindow,
            long minPerViewer, long p50, long p99, long max, double serverCpu, double serverSys, double harnessCpu,
            long heapBefore,
            long heapAfter, long rssBefore, long rssAfter, long errors, long closed, String load, String stats) {
        double heapPerConnection() {
            return (heapAfter - heapBefore) / (double) connections;
        }

        double rssPerConnection() {
            return (rssAfter - rssBefore) / (double) connections;
        }

        /** @return server CPU µs per chat frame received by a viewer in the window */
        double cpuMicrosPerDelivery() {
            return receivedInWindow == 0 ? Double.NaN : serverCpu * 1e6 / receivedInWindow;
        }

        double lostPercent() {
            return expected == 0 ? Double.NaN : 100.0 * (expected - delivered) / expected;
        }
    }

    /**
     * @param args the arguments after the suite name
     * @throws Exception when a server or the clients fail
     */
    static void run(List<String> args) throws Exception {
        Options o = Options.parse(args);
        long fds = openFilesLimit();
        if (fds >= 0 && fds < o.clients() + 200L) {
            throw new IllegalStateException("the open-files limit is " + fds + "; " + (o.clients() + 200)
                    + " are needed in this JVM and as many in the server's: run 'ulimit -n 65536' first");
        }
        Path jar = Path.of(ChatHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = Files.createTempDirectory("chat-bench");
        log.info("chat: {} clients in one room, {} messages/s from {} senders, warm-up {} s, measure {} s, "
                + "servers {}, open-files limit {}; server logs in {}", o.clients(), o.rate(), o.senders(),
                o
                        .warmup(),
                o.seconds(), o.servers(), fds, dir);
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(o.clientThreads(), new DefaultThreadFactory(
                "chat-clients", true), NioIoHandler.newFactory());
        List<Result> results = new ArrayList<>();
        int baselineBytes = DEFAULT_BASELINE_BYTES;
        try {
            for (String server : o.servers()) {
                Shared shared = new Shared();
                Result r = measure(server, o, jar, dir, loops, shared, baselineBytes);
                if (server.equals("streamkit") && shared.chatFrameBytes > 0) {
                    baselineBytes = shared.chatFrameBytes; // the anchor broadcasts frames of the same size
                    log.info("streamkit broadcasts {}-byte chat frames; the baseline's are padded to that",
                            baselineBytes);
                }
                results.add(r);
                log.info("{}", line(r));
            }
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        List<String> rows = new ArrayList<>();
        rows.add(header());
        for (Result r : results) {
            rows.add(line(r));
        }
        Result sk = results.stream().filter(r -> r.server().equals("streamkit")).findFirst().orElse(null);
        Result base = results.stream().filter(r -> r.server().equals("baseline")).findFirst().orElse(null);
        if (sk != null && base != null) {
            rows.add(String.format(
                    "%-9s %6s %7s %8s %10s %10s %7s %9.2f %8.2f %8.2f %8.2f %8.2f %6s %8.2f %8s %9.2f %9.2f",
                    "ratio", "", "", "", "", "", "", sk.receivedInWindow() / (double) base.receivedInWindow(),
                    ratio(sk.p50(), base.p50()), ratio(sk.p99(), base.p99()), ratio(sk
                            .max(), base.max()),
                    sk.serverCpu() / base.serverCpu(), "", sk.cpuMicrosPerDelivery() / base.cpuMicrosPerDelivery(),
                    "", sk.heapPerConnection() / base.heapPerConnection(), sk
                            .rssPerConnection() / base.rssPerConnection()));
        }
        log.info("Chat fan-out on loopback: {} clients, {} messages/s, {} s measured (ratio = streamkit / baseline; "
                + "delays in ms over every (message, viewer) pair; memory per idle connection)\n{}", o.clients(),
                o
                        .rate(),
                o.seconds(), String.join("\n", rows));
        if (sk != null) {
            log.info("goals for streamkit: p99 < 50 ms at {} msg/s: {} ({} ms); heap per idle connection < 20 KiB: "
                    + "{} ({} B); nothing lost: {}", o.rate(), sk.p99() >= 0 && sk.p99() < 50_000 ? "met" : "MISSED",
                    String.format("%.2f", sk.p99() / 1000.0), sk.heapPerConnection() < 20 * 1024 ? "met" : "MISSED",
                    Math.round(sk.heapPerConnection()), sk.delivered() == sk.expected() ? "yes" : "NO");
        }
    }

    private static double ratio(long a, long b) {
        return b <= 0 ? Double.NaN : a / (double) b;
    }

    private static String header() {
        return String.format("%-9s %6s %7s %8s %10s %10s %7s %9s %8s %8s %8s %8s %6s %8s %8s %9s %9s %6s %6s %s",
                "server",
                "conns", "sent", "msg/s", "delivered", "expected", "lost %", "recv/s", "p50 ms", "p99 ms", "max ms",
                "srv CPU", "sys %", "CPU us/d",
                "gen CPU", "heap B/c", "RSS B/c", "errors", "closed", "load");
    }

    private static String line(Result r) {
        return String.format(
                "%-9s %6d %7d %8.1f %10d %10d %7.3f %9.0f %8.2f %8.2f %8.2f %8.3f %6.1f %8.2f %8.3f %9.0f %9.0f %6d %6d %s",
                r.server(), r.connections(), r.sent(), r.sent() / r.seconds(), r.delivered(), r.expected(), r
                        .lostPercent(),
                r.receivedInWindow() / r.seconds(),
                r.p50() / 1000.0, r.p99() / 1000.0, r.max() / 1000.0, r.serverCpu() / r.seconds(),
                100 * r.serverSys() / r.serverCpu(), r.cpuMicrosPerDelivery(), r.harnessCpu() / r
                        .seconds(),
                r.heapPerConnection(), r.rssPerConnection(), r.errors(), r.closed(), r.load());
    }

    private static Result measure(String kind, Options o, Path jar, Path dir, EventLoopGroup loops, Shared shared,
            int baselineBytes) throws Exception {
        boolean streamkit = kind.equals("streamkit");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g"));
        String extra = System.getProperty("chat.jvmArgs", "");
        if (!extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", jar.toString(), ChatBenchServer.class.getName(), kind, "127.0.0.1", String
                .valueOf(o.serverThreads())));
        Process server = new ProcessBuilder(cmd).redirectError(dir.resolve(kind + ".log").toFile()).start();
        Console console = new Console(server);
        List<ChatClient> clients = new ArrayList<>();
        Thread sender = null;
        try {
            String ready = console.await("READY", 30);
            URI uri = URI.create("ws://127.0.0.1:" + field(ready, "port") + "/audience");
            Thread.sleep(1000);
            long heapBefore = Long.parseLong(field(console.command("heap", "HEAP"), "used"));
            long rssBefore = rssBytes(server.pid());

            long t0 = System.nanoTime();
            Bootstrap bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class).option(
                    ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
            ChatClient streamer = new ChatClient(shared, streamkit, true, "streamer", false);
            clients.add(streamer);
            streamer.connect(bootstrap, uri, null);
            streamer.ready.get(30, TimeUnit.SECONDS);
            String key = streamer.streamKey;
            Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
            for (int i = 0; i < o.clients(); i++) {
                inFlight.acquire();
                ChatClient c = new ChatClient(shared, streamkit, false, "v" + i, true);
                clients.add(c);
                c.ready.whenComplete((x, e) -> inFlight.release());
                c.connect(bootstrap, uri, key);
            }
            int failed = 0;
            String firstError = null;
            for (ChatClient c : clients) {
                try {
                    c.ready.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    failed++;
                    firstError = firstError == null
                            ? String.valueOf(e.getCause() != null ? e.getCause() : e)
                            : firstError;
                }
            }
            log.info("{}: {} connections ready in {} ms, {} failed{}", kind, clients.size() - failed, (System
                    .nanoTime() - t0) / 1_000_000, failed, failed > 0 ? "; first error: " + firstError : "");
            if (failed > 0) {
                throw new IllegalStateException(failed + " clients could not connect to " + kind + ": " + firstError);
            }

            Thread.sleep(2000); // the last replies and VIEWER_JOINED events drain
            long heapAfter = Long.parseLong(field(console.command("heap", "HEAP"), "used"));
            long rssAfter = rssBytes(server.pid());
            log.info("{}: heap {} -> {} B, RSS {} -> {} B with {} idle connections", kind, heapBefore, heapAfter,
                    rssBefore, rssAfter, clients.size());

            List<ChatClient> senders = clients.subList(1, 1 + o.senders());
            int padding = Math.max(0, baselineBytes - 20);
            sender = new Thread(() -> send(senders, o.rate(), shared, streamkit, key, padding), "chat-sender");
            sender.setDaemon(true);
            sender.start();
            Thread.sleep(o.warmup() * 1000L);

            String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            long cpu0 = cpuTicks(server.pid());
            long sys0 = sysTicks(server.pid());
            long self0 = cpuTicks(ProcessHandle.current().pid());
            long w0 = System.nanoTime();
            shared.open();
            Thread.sleep(o.seconds() * 1000L);
            shared.close();
            long cpu1 = cpuTicks(server.pid());
            long sys1 = sysTicks(server.pid());
            long self1 = cpuTicks(ProcessHandle.current().pid());
            double seconds = (System.nanoTime() - w0) / 1e9;
            long sent = shared.sent.sum();
            long expected = sent * o.clients();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (shared.delivered.sum() < expected && System.nanoTime() < deadline) {
                Thread.sleep(100); // messages of the window still in flight; the load goes on meanwhile
            }
            shared.stopSending = true;
            sender.join(2000);
            String stats = console.command("stats", "STATS");
            log.info("{} server: {}", kind, stats.substring(stats.indexOf(' ') + 1));
            long minPerViewer = Long.MAX_VALUE;
            for (ChatClient c : clients) {
                if (c.recording) {
                    minPerViewer = Math.min(minPerViewer, c.windowReceived);
                }
            }
            return new Result(kind, clients.size(), seconds, sent, shared.delivered.sum(), expected,
                    shared.receivedInWindow.sum(), minPerViewer,
                    shared.histogram.quantileMicros(0.5), shared.histogram.quantileMicros(0.99), shared.histogram
                            .maxMicros(),
                    (cpu1 - cpu0) / (double) CLK_TCK, (sys1 - sys0) / (double) CLK_TCK,
                    (self1 - self0) / (double) CLK_TCK, heapBefore, heapAfter,
                    rssBefore, rssAfter, shared.errors.sum(), shared.closed.sum(), load, stats);
        } finally {
            shared.stopSending = true;
            if (sender != null) {
                sender.join(2000);
            }
            shared.closing = true;
            List<ChannelFuture> closes = new ArrayList<>();
            for (ChatClient c : clients) {
                Channel ch = c.channel;
                if (ch != null) {
                    closes.add(ch.close());
                }
            }
            for (ChannelFuture f : closes) {
                f.awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            console.quit();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Sends {@code rate} messages per second, round robin over the senders, until told to stop. */
    private static void send(List<ChatClient> senders, int rate, Shared shared, boolean streamkit, String key,
            int padding) {
        long period = 1_000_000_000L / rate;
        String pad = "x".repeat(padding);
        long next = System.nanoTime();
        long i = 0;
        while (!shared.stopSending) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            if (now - next > 1_000_000_000L) {
                next = now; // fell more than a second behind: do not burst to catch up
            }
            ChatClient c = senders.get((int) (i++ % senders.size()));
            long stamp = System.nanoTime();
            c.channel.writeAndFlush(new TextWebSocketFrame(chatText(streamkit, key, stamp, pad)));
            shared.sent(stamp);
            next += period;
        }
    }

    /**
     * @param streamkit whether the message is for the audience server (JSON) or the baseline (text)
     * @param key the stream key (audience server only)
     * @param stamp the send time, {@code System.nanoTime()}
     * @param pad text after the stamp (baseline only), so that both servers broadcast frames of one size
     * @return the text frame a sender writes
     */
    static String chatText(boolean streamkit, String key, long stamp, String pad) {
        return streamkit
                ? "{\"type\":\"CHAT_MESSAGE_SEND\",\"streamKey\":\"" + key + "\",\"content\":\"" + stamp + "\"}"
                : stamp + " " + pad;
    }

    /** State shared by every client of one server's run. */
    static final class Shared {
        final LatencyHistogram histogram = new LatencyHistogram();
        final LongAdder sent = new LongAdder();
        final LongAdder delivered = new LongAdder();
        final LongAdder receivedInWindow = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder closed = new LongAdder();
        volatile long windowStart = Long.MAX_VALUE;
        volatile long windowEnd = Long.MAX_VALUE;
        volatile boolean stopSending;
        volatile boolean closing;
        volatile int chatFrameBytes;

        void open() {
            windowEnd = Long.MAX_VALUE;
            windowStart = System.nanoTime();
        }

        void close() {
            windowEnd = System.nanoTime();
        }

        /** Counts a chat frame a viewer received now, whenever it was sent: the delivery throughput. */
        void received(long now) {
            if (inWindow(now)) {
                receivedInWindow.increment();
            }
        }

        boolean inWindow(long stamp) {
            return stamp >= windowStart && stamp < windowEnd;
        }

        void sent(long stamp) {
            if (inWindow(stamp)) {
                sent.increment();
            }
        }
    }

    /** One WebSocket client; its handler runs on its channel's event loop. */
    static final class ChatClient extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final boolean recording;
        private final Shared shared;
        private final boolean streamkit;
        private final boolean streamer;
        private final String name;
        volatile Channel channel;
        volatile String streamKey;
        volatile long windowReceived;
        private String joinKey;

        ChatClient(Shared shared, boolean streamkit, boolean streamer, String name, boolean recording) {
            this.shared = shared;
            this.streamkit = streamkit;
            this.streamer = streamer;
            this.name = name;
            this.recording = recording;
        }

        void connect(Bootstrap bootstrap, URI uri, String key) {
            this.joinKey = key;
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                    .maxFramePayloadLength(1 << 20).handshakeTimeoutMillis(30_000).build();
            ChatClient self = this;
            ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec());
                    ch.pipeline().addLast(new HttpObjectAggregator(64 * 1024));
                    ch.pipeline().addLast(new WebSocketClientProtocolHandler(config));
                    ch.pipeline().addLast(new WebSocketFrameAggregator(1 << 20));
                    ch.pipeline().addLast(self);
                }
            }).connect(uri.getHost(), uri.getPort());
            channel = f.channel();
            f.addListener(r -> {
                if (!r.isSuccess()) {
                    ready.completeExceptionally(r.cause());
                }
            });
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                if (streamkit) {
                    ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"USER_REGISTER\",\"username\":\"" + name
                            + "\",\"role\":\"" + (streamer ? "STREAMER" : "VIEWER") + "\"}"));
                } else {
                    ready.complete(null);
                }
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                ready.completeExceptionally(new TimeoutException("WebSocket handshake timed out"));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            long now = System.nanoTime();
            ByteBuf b = frame.content();
            long stamp;
            if (!streamkit) {
                stamp = digitsAt(b, b.readerIndex());
            } else if (startsWith(b, CHAT_PREFIX)) {
                if (shared.chatFrameBytes == 0) {
                    shared.chatFrameBytes = b.readableBytes();
                }
                int at = indexOf(b, CONTENT_FIELD);
                stamp = at < 0 ? -1 : digitsAt(b, at + CONTENT_FIELD.length);
            } else {
                control(ctx, frame.text());
                return;
            }
            if (stamp < 0) {
                shared.errors.increment();
                return;
            }
            if (recording) {
                shared.received(now);
            }
            if (recording && shared.inWindow(stamp)) {
                shared.histogram.record((now - stamp) / 1000);
                shared.delivered.increment();
                windowReceived++;
            }
        }

        private void control(ChannelHandlerContext ctx, String text) {
            String type = jsonString(text, "type");
            if ("USER_REGISTERED".equals(type)) {
                if (streamer) {
                    streamKey = jsonString(text, "streamKey");
                    ready.complete(null);
                } else {
                    ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"STREAM_JOIN\",\"streamKey\":\"" + joinKey
                            + "\"}"));
                }
            } else if ("STREAM_JOINED".equals(type)) {
                ready.complete(null);
            } else if ("ERROR".equals(type)) {
                shared.errors.increment();
                if (!ready.isDone()) {
                    ready.completeExceptionally(new IllegalStateException(text));
                } else if (shared.errors.sum() <= 5) {
                    log.warn("{}: {}", name, text);
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (!shared.closing) {
                shared.closed.increment();
                if (shared.closed.sum() <= 3) {
                    log.warn("{} was closed by the server", name);
                }
            }
            ready.completeExceptionally(new IllegalStateException(name + " closed before it was ready"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ready.completeExceptionally(cause);
            log.debug("{} failed: {}", name, cause.toString());
            ctx.close();
        }
    }

    private static boolean startsWith(ByteBuf b, byte[] prefix) {
        if (b.readableBytes() < prefix.length) {
            return false;
        }
        int r = b.readerIndex();
        for (int i = 0; i < prefix.length; i++) {
            if (b.getByte(r + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ByteBuf b, byte[] needle) {
        int end = b.writerIndex() - needle.length;
        outer : for (int i = b.readerIndex(); i <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** @return the decimal number at {@code at} (at most 18 digits), or -1 when there is none */
    private static long digitsAt(ByteBuf b, int at) {
        long v = 0;
        int n = 0;
        for (int i = at; i < b.writerIndex() && n < 18; i++, n++) {
            byte c = b.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return n == 0 ? -1 : v;
    }

    /** @return the string value of a top-level field written without spaces, or {@code null} */
    private static String jsonString(String json, String field) {
        String marker = "\"" + field + "\":\"";
        int at = json.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int start = at + marker.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    private static String field(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("no " + key + " in '" + line + "'");
    }

    private static long sysTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12]); // stime
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
    }

    private static long rssBytes(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** @return the soft open-files limit of this process, or -1 when unknown */
    private static long openFilesLimit() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (l.startsWith("Max open files")) {
                String soft = l.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return -1;
    }

    /** The server's standard input and output. */
    private static final class Console {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Writer in;

        Console(Process process) {
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    log.debug("server output closed: {}", e.getMessage());
                }
            }, "chat-server-output");
            reader.setDaemon(true);
            reader.start();
        }

        String await(String prefix, int seconds) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new TimeoutException("the server printed no " + prefix + " line in " + seconds + " s");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        String command(String command, String replyPrefix) throws IOException, InterruptedException,
                TimeoutException {
            in.write(command + "\n");
            in.flush();
            return await(replyPrefix, 30);
        }

        void quit() {
            try {
                in.write("quit\n");
                in.flush();
                in.close();
            } catch (IOException e) {
                log.debug("server input closed: {}", e.getMessage());
            }
        }
    }
}
