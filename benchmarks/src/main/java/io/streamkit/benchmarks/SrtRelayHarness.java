package io.streamkit.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.streamkit.relay.srt.SrtCaller;
import io.streamkit.relay.srt.SrtConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load harness: one 6 Mbit/s MPEG-TS stream (6.5 Mbit/s in the file, with the muxer's CBR padding)
 * relayed SRT to SRT on loopback, by StreamKit's relay (the examples jar, its own JVM, callers
 * routed by {@code streamid=publish:/read:}) and by {@code srt-live-transmit} (libsrt, listener to
 * listener) in the same run. Each relay is measured in two phases:
 *
 * <ol>
 *   <li><b>Load.</b> Debian's FFmpeg publishes a pre-encoded CBR file in real time
 *       ({@code -re -stream_loop -1 -c copy}); a {@code srt-live-transmit} caller reads the output
 *       to stdout, which this harness counts. After a warm-up the relay process's CPU time
 *       ({@code utime + stime} from {@code /proc/PID/stat}) and the reader's bytes are sampled over
 *       a fixed window.</li>
 *   <li><b>Delay.</b> This harness publishes the same file once, paced in real time from its PCRs,
 *       with StreamKit's {@link SrtCaller}, and reads the relay's output twice: with another
 *       {@link SrtCaller}, then with a {@code srt-live-transmit} caller (libsrt's TSBPD). Both ends note, per video PES (keyed by PTS, which both relays keep),
 *       when the TS packet carrying its first byte and the one carrying its last byte left the
 *       publisher and reached the reader (after the reader's TSBPD release). The delay of a frame
 *       minus twice the configured latency (publisher to relay and relay to reader are two SRT
 *       links, each holding packets for its TSBPD latency) is the delay the relay adds.</li>
 * </ol>
 *
 * <p>Every link uses the same latency (200 ms). Everything runs on 127.0.0.1 and every process is
 * stopped when its phase ends.
 */
public final class SrtRelayHarness {
    private static final Logger log = LoggerFactory.getLogger(SrtRelayHarness.class);
    private static final long CLK_TCK = 100;
    private static final int LATENCY_MS = 200;
    private static final int TS = 188;
    private static final int CHUNK = 7 * TS;
    /** Frames sent in the first seconds of the delay phase are not counted (joins, GOP burst, JIT). */
    private static final long PROBE_WARMUP_NANOS = TimeUnit.SECONDS.toNanos(3);

    private SrtRelayHarness() {
    }

    /** What one relay did in both phases. */
    record Result(String relay, double cpuSeconds, double seconds, long readerBytes, Delay delay, Delay libsrtDelay) {
        double cpuPerSecond() {
            return cpuSeconds / seconds;
        }

        double readerMbps() {
            return readerBytes * 8 / 1e6 / seconds;
        }

        /** @return CPU milliseconds per second for each Mbit/s the reader received */
        double cpuMsPerMbps() {
            return readerBytes == 0 ? Double.NaN : cpuPerSecond() * 1000 / readerMbps();
        }
    }

    /**
     * Frame delays of the probe phase, in milliseconds beyond twice the latency.
     *
     * @param sent video frames the publisher sent after the warm-up
     * @param matched those the reader received
     * @param firstByte per matched frame: first TS packet at the reader minus first TS packet sent
     * @param lastByte per matched frame: last TS packet at the reader minus last TS packet sent
     * @param probeMbps what the probe reader received
     * @param publisherRefused messages the publisher's SRT send buffer refused
     */
    record Delay(int sent, int matched, double[] firstByte, double[] lastByte, double probeMbps,
            long publisherRefused) {
        double firstMedian() {
            return percentile(firstByte, 50);
        }

        double lastMedian() {
            return percentile(lastByte, 50);
        }

        double lastP99() {
            return percentile(lastByte, 99);
        }

        double firstP99() {
            return percentile(firstByte, 99);
        }

        @Override
        public String toString() {
            return String.format("frames sent %d, matched %d, first byte added median %.1f ms p99 %.1f ms, "
                    + "last byte added median %.1f ms p99 %.1f ms (min %.1f, max %.1f), probe reader %.2f Mbit/s, "
                    + "publisher refused %d", sent, matched, firstMedian(), firstP99(), lastMedian(), lastP99(),
                    percentile(lastByte, 0), percentile(lastByte, 100), probeMbps, publisherRefused);
        }
    }

    /**
     * @param examplesJar the StreamKit examples jar
     * @param warmupSeconds load phase: seconds before sampling
     * @param measureSeconds load phase: the sampling window
     * @throws Exception when a peer fails
     */
    static void run(Path examplesJar, int warmupSeconds, int measureSeconds) throws Exception {
        if (!Files.isRegularFile(examplesJar)) {
            throw new IllegalStateException(examplesJar + " is missing: build with 'mvn -B -o -q install "
                    + "-DskipTests' from the repository root");
        }
        for (String tool : List.of("ffmpeg", "srt-live-transmit")) {
            if (!onPath(tool)) {
                throw new IllegalStateException(tool + " is missing: apt-get install -y ffmpeg srt-tools");
            }
        }
        Path dir = Files.createTempDirectory("srt-relay");
        Path source = dir.resolve("src.ts");
        log.info("SRT relay harness: logs in {}", dir);
        exec(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f",
                "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "20", "-c:v", "libx264", "-preset",
                "veryfast", "-b:v", "5800k", "-minrate", "5800k", "-maxrate", "5800k", "-bufsize", "2M",
                "-x264-params", "nal-hrd=cbr", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
                "-muxrate", "6500k", "-f", "mpegts", source.toString()));
        PacedFile paced = PacedFile.load(source);
        log.info("source: {} bytes, {} chunks of 1316 bytes over {} s ({} Mbit/s)", paced.data.length,
                paced.chunkNanos.length, String.format("%.2f", paced.durationNanos() / 1e9), String.format("%.2f",
                        paced.data.length * 8 / 1e6 / (paced.durationNanos() / 1e9)));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Result sk = measureStreamKit(dir, source, paced, examplesJar, warmupSeconds, measureSeconds, group);
            log.info("StreamKit: {}", describe(sk));
            Result slt = measureSrtLiveTransmit(dir, source, paced, warmupSeconds, measureSeconds, group);
            log.info("srt-live-transmit: {}", describe(slt));
            log.info(table(sk, slt));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            Files.deleteIfExists(source);
        }
    }

    private static String describe(Result r) {
        return String.format("CPU %.2f s in %.1f s, reader %d bytes; delay read by SrtCaller: %s; "
                + "read by srt-live-transmit: %s", r.cpuSeconds, r.seconds, r.readerBytes, r.delay, r.libsrtDelay);
    }

    private static String table(Result sk, Result slt) {
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-20s %9s %12s %15s", "relay", "CPU s/s", "reader Mb/s", "CPU ms/s per Mb/s"));
        for (Result r : List.of(sk, slt)) {
            rows.add(String.format("%-20s %9.3f %12.2f %15.2f", r.relay, r.cpuPerSecond(), r.readerMbps(),
                    r.cpuMsPerMbps()));
        }
        rows.add(String.format("%-20s %9.2f %12.2f %15.2f", "StreamKit / slt", sk.cpuPerSecond() / slt
                .cpuPerSecond(), sk.readerMbps() / slt.readerMbps(), sk.cpuMsPerMbps() / slt.cpuMsPerMbps()));
        rows.add("");
        String head = "%-20s %-20s %9s %14s %14s %14s %14s";
        String row = "%-20s %-20s %9s %14.1f %14.1f %14.1f %14.1f";
        rows.add(String.format(head, "relay", "probe reader", "frames", "first-byte med", "first-byte p99",
                "last-byte med", "last-byte p99"));
        for (Result r : List.of(sk, slt)) {
            for (ProbeReader kind : ProbeReader.values()) {
                Delay d = kind == ProbeReader.SRT_CALLER ? r.delay : r.libsrtDelay;
                rows.add(String.format(row, r.relay, readerName(kind), d.matched + "/" + d.sent, d.firstMedian(),
                        d.firstP99(), d.lastMedian(), d.lastP99()));
            }
        }
        for (ProbeReader kind : ProbeReader.values()) {
            Delay a = kind == ProbeReader.SRT_CALLER ? sk.delay : sk.libsrtDelay;
            Delay b = kind == ProbeReader.SRT_CALLER ? slt.delay : slt.libsrtDelay;
            rows.add(String.format(row, "StreamKit - slt", readerName(kind), "", a.firstMedian() - b.firstMedian(),
                    a.firstP99() - b.firstP99(), a.lastMedian() - b.lastMedian(), a.lastP99() - b.lastP99()));
        }
        return "SRT relay, one 6 Mbit/s stream, latency " + LATENCY_MS + " ms on every link (slt = "
                + "srt-live-transmit). Load phase: CPU of the relay process per second of wall time and per Mbit/s "
                + "the reader received. Delay phase: per video frame, milliseconds beyond 2 x latency\n"
                + String.join("\n", rows);
    }

    private static String readerName(ProbeReader kind) {
        return kind == ProbeReader.SRT_CALLER ? "StreamKit SrtCaller" : "srt-live-transmit";
    }

    private static Result measureStreamKit(Path dir, Path source, PacedFile paced, Path jar, int warmup,
            int seconds, EventLoopGroup group) throws Exception {
        int srtPort = freeUdpPort();
        List<String> cmd = new ArrayList<>(List.of("java"));
        String extra = System.getProperty("relay.jvmArgs", "");
        if (!extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "relay", "--host", "127.0.0.1", "--rtmp-port", String.valueOf(
                freeTcpPort()), "--srt-port", String.valueOf(srtPort)));
        Path relayLog = dir.resolve("streamkit-relay.log");
        Process relay = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(relayLog.toFile()).start();
        try {
            awaitLine(relay, relayLog, "SRT   publish:");
            String in = "srt://127.0.0.1:" + srtPort + "?mode=caller&pkt_size=1316&latency=" + LATENCY_MS * 1000
                    + "&streamid=publish:bench";
            String out = "srt://127.0.0.1:" + srtPort + "?streamid=read:bench&latency=" + LATENCY_MS;
            Load load = load("streamkit", dir, source, relay, in, out, warmup, seconds);
            // the same, warm JVM relays the probe on another path
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), srtPort);
            Delay delay = probe(group, paced, addr, "publish:probe1", addr, "read:probe1", ProbeReader.SRT_CALLER,
                    dir.resolve("probe-reader-streamkit-1.log"));
            Delay libsrt = probe(group, paced, addr, "publish:probe2", addr, "read:probe2", ProbeReader.LIBSRT,
                    dir.resolve("probe-reader-streamkit-2.log"));
            return new Result("StreamKit", load.cpuSeconds, load.seconds, load.bytes, delay, libsrt);
        } finally {
            stop(relay);
        }
    }

    private static Result measureSrtLiveTransmit(Path dir, Path source, PacedFile paced, int warmup, int seconds,
            EventLoopGroup group) throws Exception {
        Load load;
        int inPort = freeUdpPort();
        int outPort = freeUdpPort();
        Process relay = sltRelay(dir, "load", inPort, outPort);
        try {
            Thread.sleep(500);
            String in = "srt://127.0.0.1:" + inPort + "?mode=caller&pkt_size=1316&latency=" + LATENCY_MS * 1000;
            String out = "srt://127.0.0.1:" + outPort + "?latency=" + LATENCY_MS;
            load = load("srt-live-transmit", dir, source, relay, in, out, warmup, seconds);
        } finally {
            stop(relay);
        }
        // a fresh relay for each probe: a listener-to-listener srt-live-transmit serves one source and one target
        Delay[] delays = new Delay[2];
        for (ProbeReader kind : ProbeReader.values()) {
            inPort = freeUdpPort();
            outPort = freeUdpPort();
            relay = sltRelay(dir, "probe-" + kind, inPort, outPort);
            try {
                Thread.sleep(500);
                delays[kind.ordinal()] = probe(group, paced, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        inPort), null, new InetSocketAddress(InetAddress.getLoopbackAddress(), outPort), null, kind,
                        dir.resolve("probe-reader-slt-" + kind + ".log"));
            } finally {
                stop(relay);
            }
        }
        return new Result("srt-live-transmit", load.cpuSeconds, load.seconds, load.bytes, delays[0], delays[1]);
    }

    private static Process sltRelay(Path dir, String phase, int inPort, int outPort) throws IOException {
        return new ProcessBuilder("srt-live-transmit", "srt://:" + inPort + "?mode=listener&latency=" + LATENCY_MS,
                "srt://:" + outPort + "?mode=listener&latency=" + LATENCY_MS).redirectErrorStream(true)
                .redirectOutput(dir.resolve("slt-relay-" + phase + ".log").toFile()).start();
    }

    private record Load(double cpuSeconds, double seconds, long bytes) {
    }

    /** The load phase: FFmpeg publishes, a srt-live-transmit caller reads to stdout, which is counted. */
    private static Load load(String name, Path dir, Path source, Process relay, String in, String out, int warmup,
            int seconds) throws Exception {
        List<Process> procs = new ArrayList<>();
        try {
            procs.add(new ProcessBuilder("ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i", source
                    .toString(), "-c", "copy", "-f", "mpegts", in).redirectErrorStream(true).redirectOutput(dir
                            .resolve("publisher-" + name + ".log").toFile())
                    .start());
            Thread.sleep(1000); // srt-live-transmit's listener pair accepts the source before the target
            Process reader = new ProcessBuilder("srt-live-transmit", "-q", out, "file://con").redirectError(dir
                    .resolve("reader-" + name + ".log").toFile()).start();
            procs.add(reader);
            AtomicLong bytes = new AtomicLong();
            Thread drain = new Thread(() -> drain(reader.getInputStream(), bytes), "srt-reader-drain");
            drain.setDaemon(true);
            drain.start();
            Thread.sleep(warmup * 1000L);
            for (Process p : procs) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + ": a peer exited (" + p.info().command().orElse("?")
                            + "), see the logs in " + dir);
                }
            }
            long cpu0 = cpuTicks(relay.pid());
            long b0 = bytes.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu1 = cpuTicks(relay.pid());
            long b1 = bytes.get();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            return new Load((cpu1 - cpu0) / (double) CLK_TCK, elapsed, b1 - b0);
        } finally {
            for (Process p : procs) {
                stop(p);
            }
        }
    }

    private static void drain(InputStream in, AtomicLong bytes) {
        byte[] buf = new byte[65536];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                bytes.addAndGet(n);
            }
        } catch (IOException e) {
            // the reader was stopped
        }
    }

    /** Who reads the relay's output in the delay phase. */
    enum ProbeReader {
        /** StreamKit's {@link SrtCaller}: arrival is when its TSBPD hands a message to the handler. */
        SRT_CALLER,
        /** A {@code srt-live-transmit} caller writing to stdout: arrival is when the harness reads the bytes. */
        LIBSRT
    }

    /**
     * The delay phase: this JVM publishes the file once, paced by its PCRs, and a reader takes the
     * relay's output; both ends stamp every video frame.
     */
    private static Delay probe(EventLoopGroup group, PacedFile paced, InetSocketAddress in, String publishId,
            InetSocketAddress out, String readId, ProbeReader kind, Path logFile) throws Exception {
        Duration latency = Duration.ofMillis(LATENCY_MS);
        Duration connectTimeout = Duration.ofSeconds(5);
        SrtConnection publisher = SrtCaller.connect(group, in, new SrtCaller.Options(publishId, latency, null, 16,
                connectTimeout)).get(10, TimeUnit.SECONDS);
        SrtConnection reader = null;
        Process readerProcess = null;
        Thread sender = null;
        try {
            FrameClock sent = new FrameClock();
            FrameClock received = new FrameClock();
            AtomicLong refused = new AtomicLong();
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            sender = new Thread(() -> {
                for (int i = 0; i < paced.chunkNanos.length && !Thread.currentThread().isInterrupted(); i++) {
                    long due = start + paced.chunkNanos[i];
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    int off = i * CHUNK;
                    int len = Math.min(CHUNK, paced.data.length - off);
                    ByteBuf chunk = Unpooled.wrappedBuffer(paced.data, off, len);
                    sent.onChunk(chunk, System.nanoTime());
                    if (!publisher.send(chunk)) {
                        refused.incrementAndGet();
                    }
                }
            }, "srt-probe-publisher");
            sender.setDaemon(true);
            sender.start();
            // srt-live-transmit's listener pair accepts the target once the source is connected
            Thread.sleep(300);
            AtomicLong readBytes = new AtomicLong();
            AtomicLong firstRead = new AtomicLong();
            AtomicLong lastRead = new AtomicLong();
            java.util.function.ObjLongConsumer<ByteBuf> onRead = (message, now) -> {
                if (now - start >= PROBE_WARMUP_NANOS) {
                    readBytes.addAndGet(message.readableBytes());
                    firstRead.compareAndSet(0, now);
                    lastRead.set(now);
                }
                received.onChunk(message, now);
            };
            if (kind == ProbeReader.SRT_CALLER) {
                reader = SrtCaller.connect(group, out, new SrtCaller.Options(readId, latency, null, 16,
                        connectTimeout)).get(10, TimeUnit.SECONDS);
                reader.setHandler(new SrtConnection.Handler() {
                    @Override
                    public void onMessage(ByteBuf message) {
                        try {
                            onRead.accept(message, System.nanoTime());
                        } finally {
                            message.release();
                        }
                    }
                });
            } else {
                String uri = "srt://127.0.0.1:" + out.getPort() + "?latency=" + LATENCY_MS
                        + (readId == null ? "" : "&streamid=" + readId);
                Process p = new ProcessBuilder("srt-live-transmit", "-q", uri, "file://con").redirectError(logFile
                        .toFile()).start();
                readerProcess = p;
                Thread drain = new Thread(() -> readPackets(p.getInputStream(), onRead), "srt-probe-reader");
                drain.setDaemon(true);
                drain.start();
            }
            sender.join(paced.durationNanos() / 1_000_000 + 10_000);
            Thread.sleep(2 * LATENCY_MS + 1000L); // the last frames drain through both links
            log.info("probe ({}) publisher {}; reader {}", kind, publisher.stats(), reader == null
                    ? "srt-live-transmit"
                    : reader.stats());
            return delays(sent, received, start + PROBE_WARMUP_NANOS, readBytes.get(),
                    (lastRead.get() - firstRead.get()) / 1e9, refused.get());
        } finally {
            if (sender != null) {
                sender.interrupt();
                sender.join(2000);
            }
            if (reader != null) {
                reader.close();
            }
            if (readerProcess != null) {
                stop(readerProcess);
            }
            publisher.close();
            Thread.sleep(200);
        }
    }

    /** Reads a TS byte stream and hands on whole 188-byte packets with the time their last byte was read. */
    private static void readPackets(InputStream in, java.util.function.ObjLongConsumer<ByteBuf> onRead) {
        byte[] buf = new byte[64 * TS];
        int have = 0;
        try (in) {
            int n;
            while ((n = in.read(buf, have, buf.length - have)) >= 0) {
                long now = System.nanoTime();
                have += n;
                int whole = have - have % TS;
                if (whole > 0) {
                    onRead.accept(Unpooled.wrappedBuffer(buf, 0, whole), now);
                    System.arraycopy(buf, whole, buf, 0, have - whole);
                    have -= whole;
                }
            }
        } catch (IOException e) {
            // the reader was stopped
        }
    }

    private static Delay delays(FrameClock sent, FrameClock received, long from, long readBytes, double seconds,
            long refused) {
        double offset = 2.0 * LATENCY_MS;
        List<Double> first = new ArrayList<>();
        List<Double> last = new ArrayList<>();
        int counted = 0;
        for (Map.Entry<Long, long[]> e : sent.frames.entrySet()) {
            long[] s = e.getValue();
            if (s[0] < from) {
                continue;
            }
            counted++;
            long[] r = received.frames.get(e.getKey());
            if (r == null) {
                continue;
            }
            first.add((r[0] - s[0]) / 1e6 - offset);
            last.add((r[1] - s[1]) / 1e6 - offset);
        }
        return new Delay(counted, first.size(), sorted(first), sorted(last), seconds <= 0
                ? 0
                : readBytes * 8 / 1e6 / seconds, refused);
    }

    private static double[] sorted(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Notes, per video PES (stream id 0xE0 to 0xEF, keyed by its 33-bit PTS), the time of the TS
     * packet carrying its first byte and of the one carrying its last byte (known when the next
     * PES on the same PID starts). Written by one thread at a time; the map is read afterwards.
     */
    static final class FrameClock {
        final Map<Long, long[]> frames = new ConcurrentHashMap<>();
        private final boolean[] open = new boolean[8192];
        private final long[] pts = new long[8192];
        private final long[] firstNanos = new long[8192];
        private final long[] lastNanos = new long[8192];

        void onChunk(ByteBuf buf, long nanos) {
            for (int i = buf.readerIndex(); i + TS <= buf.writerIndex(); i += TS) {
                if (buf.getByte(i) != 0x47) {
                    continue;
                }
                int b1 = buf.getUnsignedByte(i + 1);
                boolean unitStart = (b1 & 0x40) != 0;
                int pid = ((b1 & 0x1F) << 8) | buf.getUnsignedByte(i + 2);
                int afc = (buf.getUnsignedByte(i + 3) >> 4) & 3;
                if ((afc & 1) == 0) {
                    continue;
                }
                int p = i + 4 + ((afc & 2) != 0 ? 1 + buf.getUnsignedByte(i + 4) : 0);
                if (p >= i + TS) {
                    continue;
                }
                if (unitStart) {
                    if (open[pid]) {
                        frames.putIfAbsent(pts[pid], new long[]{firstNanos[pid], lastNanos[pid]});
                    }
                    open[pid] = false;
                    if (p + 14 <= i + TS && buf.getByte(p) == 0 && buf.getByte(p + 1) == 0 && buf.getByte(p + 2) == 1) {
                        int streamId = buf.getUnsignedByte(p + 3);
                        if (streamId >= 0xE0 && streamId <= 0xEF && (buf.getUnsignedByte(p + 7) & 0x80) != 0) {
                            open[pid] = true;
                            pts[pid] = timestamp(buf, p + 9);
                            firstNanos[pid] = nanos;
                        }
                    }
                }
                if (open[pid]) {
                    lastNanos[pid] = nanos;
                }
            }
        }

        private static long timestamp(ByteBuf b, int i) {
            return ((long) (b.getUnsignedByte(i) & 0x0E) << 29) | ((long) b.getUnsignedByte(i + 1) << 22)
                    | ((long) (b.getUnsignedByte(i + 2) & 0xFE) << 14) | ((long) b.getUnsignedByte(i + 3) << 7)
                    | (b.getUnsignedByte(i + 4) >>> 1);
        }
    }

    /**
     * A TS file cut into 1,316-byte chunks, each with its send time relative to the first: the
     * PCRs of the first PCR PID, interpolated linearly over the packets between them.
     */
    static final class PacedFile {
        final byte[] data;
        final long[] chunkNanos;

        private PacedFile(byte[] data, long[] chunkNanos) {
            this.data = data;
            this.chunkNanos = chunkNanos;
        }

        long durationNanos() {
            return chunkNanos.length == 0 ? 0 : chunkNanos[chunkNanos.length - 1];
        }

        static PacedFile load(Path file) throws IOException {
            byte[] data = Files.readAllBytes(file);
            int packets = data.length / TS;
            List<long[]> anchors = new ArrayList<>(); // {packet index, PCR in 27 MHz}
            int pcrPid = -1;
            for (int k = 0; k < packets; k++) {
                int i = k * TS;
                if (data[i] != 0x47) {
                    throw new IOException("no TS sync byte at " + i);
                }
                int pid = ((data[i + 1] & 0x1F) << 8) | (data[i + 2] & 0xFF);
                int afc = (data[i + 3] >> 4) & 3;
                if ((afc & 2) == 0 || (data[i + 4] & 0xFF) < 7 || (data[i + 5] & 0x10) == 0) {
                    continue;
                }
                if (pcrPid < 0) {
                    pcrPid = pid;
                } else if (pid != pcrPid) {
                    continue;
                }
                long base = ((data[i + 6] & 0xFFL) << 25) | ((data[i + 7] & 0xFFL) << 17) | ((data[i + 8] & 0xFFL) << 9)
                        | ((data[i + 9] & 0xFFL) << 1) | ((data[i + 10] & 0xFF) >>> 7);
                long ext = ((data[i + 10] & 0x01L) << 8) | (data[i + 11] & 0xFFL);
                anchors.add(new long[]{k, base * 300 + ext});
            }
            if (anchors.size() < 2) {
                throw new IOException(file + " has fewer than two PCRs");
            }
            int chunks = (data.length + CHUNK - 1) / CHUNK;
            long[] times = new long[chunks];
            long pcr0 = anchors.get(0)[1];
            int seg = 0;
            for (int c = 0; c < chunks; c++) {
                long k = (long) c * 7;
                while (seg + 2 < anchors.size() && anchors.get(seg + 1)[0] <= k) {
                    seg++;
                }
                long[] a = anchors.get(seg);
                long[] b = anchors.get(seg + 1);
                double pcr = a[1] + (double) (b[1] - a[1]) * (k - a[0]) / (b[0] - a[0]);
                times[c] = Math.max(0, Math.round((pcr - pcr0) / 27.0 * 1000)); // 27 MHz ticks to ns
            }
            for (int c = 1; c < chunks; c++) {
                times[c] = Math.max(times[c], times[c - 1]);
            }
            return new PacedFile(data, times);
        }
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields after the command: state(0) ... utime(11) stime(12)
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitLine(Process p, Path logFile, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(logFile) && Files.readString(logFile).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the relay exited; see " + logFile);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the relay did not start within 30 s; see " + logFile);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("failed: " + cmd);
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}
