package io.streamkit.benchmarks;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.webrtc.dtls.DtlsCertificate;
import io.streamkit.webrtc.srtp.SrtpProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load harness: one publisher sending real SRTP (a {@link SyntheticPeer}: WebSocket signaling, STUN,
 * DTLS, SRTP, no browser) to N subscribers through StreamKit's SFU on loopback, and the same packets
 * through a no-op UDP relay in the same run as the anchor. The server runs in its own JVM
 * ({@link SfuBenchServer}) so that its CPU time is read from {@code /proc/PID/stat}; the publisher
 * and subscribers share this JVM (one event loop for the publisher, one or more for all
 * subscribers), so the delay is receive − send {@code nanoTime} on one clock.
 *
 * <p>Reports per N: forwarded packets per second (the server's own counter), the server's CPU
 * seconds per second, forwarded packets per CPU-second, streams per core (forwarded packets per
 * CPU-second divided by the per-stream packet rate: how many subscriber streams at this rate one
 * fully used core would carry), delay p50/p99/max and loss, and beside them the load generator's
 * own CPU seconds per second, the kernel's UDP receive-buffer drops during the window (all sockets
 * of the host), the load average and whether the server kept up (forwarded at least 98% of the
 * offered rate with at most 1% loss). A server that falls behind queues the publisher's packets in
 * its socket buffer, so its delay grows for as long as the run lasts and late packets count as lost.
 *
 * <p>Usage: {@code sfu-forwarding [N...] [--pps P] [--fps F] [--payload B] [--warmup S] [--measure S]
 * [--receive-threads T] [--no-relay]}; defaults: N = 1 10 100 500, 120 packets/s as 30 frames of 4
 * packets, 1,100-byte payloads, 5 s warm-up, 15 s measurement, one receive thread.
 */
public final class SfuForwardingHarness {
    private static final Logger log = LoggerFactory.getLogger(SfuForwardingHarness.class);
    private static final long CLK_TCK = 100;
    private static final String ROOM = "bench";
    private static final int JOINS_IN_FLIGHT = 16;

    private SfuForwardingHarness() {
    }

    /** What one run is asked to do. */
    record Options(List<Integer> counts, int packetsPerSecond, int framesPerSecond, int payloadBytes,
            int warmupSeconds, int measureSeconds, int receiveThreads, boolean relay) {
        Options {
            counts = List.copyOf(counts);
            if (payloadBytes < 16 || payloadBytes > 1200) {
                throw new IllegalArgumentException("--payload must be 16 to 1200 bytes, got " + payloadBytes);
            }
            if (packetsPerSecond < framesPerSecond || framesPerSecond < 1) {
                throw new IllegalArgumentException("--pps must be at least --fps (>= 1)");
            }
        }

        int packetsPerFrame() {
            return Math.max(1, Math.round(packetsPerSecond / (float) framesPerSecond));
        }

        int effectivePacketsPerSecond() {
            return packetsPerFrame() * framesPerSecond;
        }

        static Options parse(List<String> args) {
            List<Integer> counts = new ArrayList<>();
            Map<String, Integer> values = new HashMap<>(Map.of("--pps", 120, "--fps", 30, "--payload", 1100,
                    "--warmup", 5, "--measure", 15, "--receive-threads", 1));
            boolean relay = true;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("--no-relay")) {
                    relay = false;
                } else if (values.containsKey(a) && i + 1 < args.size()) {
                    values.put(a, Integer.parseInt(args.get(++i)));
                } else if (a.matches("\\d+")) {
                    counts.add(Integer.parseInt(a));
                } else {
                    throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            return new Options(counts.isEmpty() ? List.of(1, 10, 100, 500) : counts, values.get("--pps"), values
                    .get("--fps"), values.get("--payload"), values.get("--warmup"), values.get("--measure"),
                    values
                            .get("--receive-threads"),
                    relay);
        }
    }

    /** One server at one fan-out. */
    record Result(String system, int subscribers, int receiving, double seconds, long forwarded, double serverCpu,
            double harnessCpu, long sent, long received, long errors, long p50, long p99, long max, int pps,
            long rcvbufErrors, String load) {
        double forwardedPerSecond() {
            return forwarded / seconds;
        }

        double cpuPerSecond() {
            return serverCpu / seconds;
        }

        double forwardedPerCpuSecond() {
            return serverCpu <= 0 ? Double.NaN : forwarded / serverCpu;
        }

        double streamsPerCore() {
            return forwardedPerCpuSecond() / pps;
        }

        /** @return whether the server forwarded at least 98% of the offered rate and at most 1% was lost */
        boolean keptUp() {
            return forwardedPerSecond() >= 0.98 * subscribers * pps && lossPercent() <= 1.0;
        }

        double lossPercent() {
            long expected = sent * subscribers;
            return expected == 0 ? Double.NaN : 100.0 * (expected - received) / expected;
        }
    }

    /**
     * @param args the arguments after the suite name
     * @throws Exception when a peer or the server fails
     */
    static void run(List<String> args) throws Exception {
        Options o = Options.parse(args);
        Path jar = Path.of(SfuForwardingHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = Files.createTempDirectory("sfu-forwarding");
        log.info("SFU forwarding: {} subscribers, {} packets/s ({} frames of {}), {}-byte payloads, warm-up {} s, "
                + "measure {} s; logs in {}", o.counts(), o.effectivePacketsPerSecond(), o.framesPerSecond(),
                o
                        .packetsPerFrame(),
                o.payloadBytes(), o.warmupSeconds(), o.measureSeconds(), dir);
        List<Result> results = new ArrayList<>();
        DtlsCertificate certificate = DtlsCertificate.generate();
        ExecutorService handshakes = Executors.newCachedThreadPool(new DefaultThreadFactory("bench-dtls", true));
        EventLoopGroup publisherLoop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-publisher",
                true), NioIoHandler.newFactory());
        EventLoopGroup subscriberLoops = new MultiThreadIoEventLoopGroup(o.receiveThreads(), new DefaultThreadFactory(
                "bench-subscribers", true), NioIoHandler.newFactory());
        HttpClient http = HttpClient.newHttpClient();
        AtomicReference<SrtpProfile> negotiatedProfile = new AtomicReference<>(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        try {
            for (int n : o.counts()) {
                Result sfu = measure("sfu", n, o, jar, dir, certificate, handshakes, publisherLoop, subscriberLoops,
                        http, negotiatedProfile);
                results.add(sfu);
                log.info("{}", line(sfu));
                if (o.relay()) {
                    Result relay = measure("relay", n, o, jar, dir, certificate, handshakes, publisherLoop,
                            subscriberLoops, http, negotiatedProfile);
                    results.add(relay);
                    log.info("{}", line(relay));
                }
            }
        } finally {
            subscriberLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            publisherLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            handshakes.shutdownNow();
        }
        List<String> rows = new ArrayList<>();
        rows.add(header());
        for (Result r : results) {
            rows.add(line(r));
        }
        log.info("SFU forwarding on loopback, one publisher at {} packets/s of {} payload bytes (SRTP {}); "
                + "server CPU from /proc, delay = receive - send in the load generator's JVM\n{}",
                o
                        .effectivePacketsPerSecond(),
                o.payloadBytes(), negotiatedProfile.get(), String.join("\n",
                        rows));
    }

    private static String header() {
        return String.format("%-6s %-6s %6s %12s %8s %10s %9s %8s %8s %8s %8s %8s %9s %-7s %s", "system", "N", "recv",
                "fwd pkt/s", "CPU s/s", "pkt/CPU-s", "str/core", "p50 us", "p99 us", "max us", "loss %", "gen CPU",
                "rcvbuf dr", "loadavg", "kept up");
    }

    private static String line(Result r) {
        return String.format("%-6s %-6d %6d %12.0f %8.3f %10.0f %9.0f %8d %8d %8d %8.3f %8.3f %9d %-7s %s", r
                .system(), r.subscribers(), r.receiving(), r.forwardedPerSecond(), r.cpuPerSecond(),
                r
                        .forwardedPerCpuSecond(),
                r.streamsPerCore(), r.p50(), r.p99(), r.max(), r.lossPercent(), r
                        .harnessCpu() / r.seconds(),
                r.rcvbufErrors(), r.load(), r.keptUp() ? "yes" : "NO");
    }

    private static Result measure(String system, int n, Options o, Path jar, Path dir, DtlsCertificate certificate,
            ExecutorService handshakes, EventLoopGroup publisherLoop, EventLoopGroup subscriberLoops,
            HttpClient http, AtomicReference<SrtpProfile> profile) throws Exception {
        ForwardingRecorder recorder = new ForwardingRecorder();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        String extra = System.getProperty("sfu.jvmArgs", "");
        if (!extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", jar.toString(), SfuBenchServer.class.getName()));
        cmd.addAll(system.equals("sfu")
                ? List.of("sfu", "127.0.0.1", "0", "0", String.valueOf(n + 1))
                : List.of("relay", "127.0.0.1", "0"));
        Process server = new ProcessBuilder(cmd).redirectError(dir.resolve(system + "-" + n + ".log").toFile())
                .start();
        ServerConsole console = new ServerConsole(server);
        List<SyntheticPeer> peers = new ArrayList<>();
        ScheduledFuture<?> sending = null;
        try {
            String ready = console.await("READY", 30);
            int httpPort = Integer.parseInt(field(ready, "http"));
            int udpPort = Integer.parseInt(field(ready, "udp"));
            SyntheticPeer publisher;
            List<SyntheticPeer> subscribers = new ArrayList<>();
            long joinStart = System.nanoTime();
            if (system.equals("sfu")) {
                URI uri = URI.create("ws://127.0.0.1:" + httpPort + "/ws");
                publisher = SyntheticPeer.forSfu(true, "publisher", publisherLoop, recorder, certificate, handshakes);
                peers.add(publisher);
                profile.set(publisher.join(http, uri, ROOM).get(20, TimeUnit.SECONDS));
                Semaphore inFlight = new Semaphore(JOINS_IN_FLIGHT);
                List<CompletableFuture<SrtpProfile>> joins = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    inFlight.acquire();
                    SyntheticPeer s = SyntheticPeer.forSfu(false, "subscriber-" + i, subscriberLoops, recorder,
                            certificate, handshakes);
                    peers.add(s);
                    subscribers.add(s);
                    CompletableFuture<SrtpProfile> f = s.join(http, uri, ROOM).orTimeout(30, TimeUnit.SECONDS);
                    f.whenComplete((p, e) -> inFlight.release());
                    joins.add(f);
                }
                int failed = 0;
                for (CompletableFuture<SrtpProfile> f : joins) {
                    try {
                        f.join();
                    } catch (RuntimeException e) {
                        failed++;
                    }
                }
                if (failed > 0) {
                    log.warn("sfu N={}: {} of {} subscribers failed to connect; first error: {}", n, failed, n,
                            subscribers.stream().map(SyntheticPeer::error).filter(e -> e != null).findFirst()
                                    .orElse("?"));
                }
            } else {
                InetSocketAddress relay = new InetSocketAddress("127.0.0.1", udpPort);
                SrtpProfile relayProfile = profile.get();
                byte[] keys = new byte[relayProfile.keyingMaterialLength()];
                new SecureRandom().nextBytes(keys);
                publisher = SyntheticPeer.forRelay(true, "publisher", publisherLoop, recorder, relay, relayProfile,
                        keys);
                peers.add(publisher);
                for (int i = 0; i < n; i++) {
                    SyntheticPeer s = SyntheticPeer.forRelay(false, "subscriber-" + i, subscriberLoops, recorder,
                            relay, relayProfile, keys);
                    peers.add(s);
                    subscribers.add(s);
                }
                Thread.sleep(1500); // every peer registered at least once
            }
            log.info("{} N={}: {} subscribers connected in {} ms", system, n, subscribers.stream().filter(s -> s
                    .connected().isDone() && !s.connected().isCompletedExceptionally()).count(), (System.nanoTime()
                            - joinStart) / 1_000_000);
            SyntheticPeer p = publisher;
            sending = p.schedule(() -> p.sendFrame(o.packetsPerFrame(), o.payloadBytes()), 1_000_000_000L / o
                    .framesPerSecond());
            Thread.sleep(o.warmupSeconds() * 1000L);
            long forwarded0 = Long.parseLong(field(console.stats(), "forwarded"));
            long cpu0 = cpuTicks(server.pid());
            long self0 = cpuTicks(ProcessHandle.current().pid());
            long drops0 = udpReceiveBufferErrors();
            long t0 = System.nanoTime();
            recorder.open();
            Thread.sleep(o.measureSeconds() * 1000L);
            recorder.close();
            long cpu1 = cpuTicks(server.pid());
            long self1 = cpuTicks(ProcessHandle.current().pid());
            double seconds = (System.nanoTime() - t0) / 1e9;
            long drops1 = udpReceiveBufferErrors();
            String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            String stats = console.stats();
            long forwarded1 = Long.parseLong(field(stats, "forwarded"));
            Thread.sleep(1000); // packets of the window still in flight
            sending.cancel(false);
            log.info("{} N={} server: {}", system, n, stats.substring(stats.indexOf(' ') + 1));
            int receiving = (int) subscribers.stream().filter(s -> s.receivedPackets() > 0).count();
            return new Result(system, n, receiving, seconds, forwarded1 - forwarded0, (cpu1 - cpu0) / (double) CLK_TCK,
                    (self1 - self0) / (double) CLK_TCK, recorder.sentPackets(), recorder.receivedPackets(), recorder
                            .errors(),
                    recorder.quantileMicros(0.5), recorder.quantileMicros(0.99), recorder
                            .maxMicros(),
                    o.effectivePacketsPerSecond(), drops1 - drops0, load);
        } finally {
            if (sending != null) {
                sending.cancel(false);
            }
            for (SyntheticPeer peer : peers) {
                peer.close();
            }
            console.quit();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String field(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("no " + key + " in '" + line + "'");
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
    }

    /** @return the kernel's count of UDP datagrams dropped because a receive buffer was full (all sockets) */
    private static long udpReceiveBufferErrors() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                List<String> names = List.of(lines.get(i).split("\\s+"));
                String[] values = lines.get(i + 1).split("\\s+");
                int k = names.indexOf("RcvbufErrors");
                return k < 0 ? -1 : Long.parseLong(values[k]);
            }
        }
        return -1;
    }

    /** The server's standard input and output: {@code READY} and {@code STATS} lines. */
    private static final class ServerConsole {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Writer in;

        ServerConsole(Process process) {
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
            }, "bench-server-output");
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

        String stats() throws IOException, InterruptedException, TimeoutException {
            in.write("stats\n");
            in.flush();
            return await("STATS", 10);
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
