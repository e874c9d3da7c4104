package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.streamkit.api.ConnectionInfo;
import io.streamkit.api.MediaType;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.relay.srt.LossyUdpProxy;
import io.streamkit.relay.srt.SrtCaller;
import io.streamkit.relay.srt.SrtConnection;
import io.streamkit.relay.srt.SrtServer;
import io.streamkit.relay.srt.SrtStats;
import io.streamkit.relay.srt.SrtStreamSettings;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SRT between StreamKit and libsrt through the in-process {@link LossyUdpProxy}: random loss in
 * both directions, 20 ms one-way delay with up to 20 ms of jitter either way (so datagrams are
 * reordered). The round trip is 40 ms on average and up to 80 ms. A lost packet is recovered in
 * rounds of a NAK and a retransmission, about 75 ms each here (a retransmission is repeated at most
 * once per RTT, and libsrt NAKs every (RTT + 4 RTTVar) / 2), and a round fails when either is lost:
 * 10 % of the time at 5 % loss, 19 % at 10 %. At 5 % the latency is 400 ms (5 x the worst RTT, above
 * libsrt's advice of 4 x RTT): five rounds, so one run in several hundred loses a packet. At 10 %
 * 400 ms lost a packet in about one run in three; 600 ms gives eight rounds.
 *
 * <p>The media is a known clip (10 s of 1280x720 30 fps H.264 and AAC, made once by ffmpeg);
 * every one of its frames must arrive: published by {@code srt-live-transmit} into an
 * {@link SrtServer} (frames counted on the stream), and sent by our {@link SrtCaller} to a
 * {@code srt-live-transmit} listener (the bytes compared, frames counted by ffprobe).
 */
class SrtLossyInteropIT {
    private static final Logger log = LoggerFactory.getLogger(SrtLossyInteropIT.class);
    private static final Duration T = Duration.ofSeconds(90);
    /** @return the latency for a loss rate, see the class comment */
    private static int latencyMs(double loss) {
        return loss > 0.05 ? 600 : 400;
    }
    private static final Duration DELAY = Duration.ofMillis(20);
    private static final Duration JITTER = Duration.ofMillis(20);
    private static final int CHUNK = 1316;
    /** Seven null packets (PID 0x1FFF), which demuxers ignore. */
    private static final byte[] NULL_CHUNK = nullPackets(7);
    private static EventLoopGroup group;
    private static Path clipDir;
    private static Path clip;
    private static int clipVideoFrames;
    private static int clipAudioFrames;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        clipDir = Files.createTempDirectory("srt-lossy-clip");
        clip = clipDir.resolve("clip.ts");
        try (Peers peers = new Peers(clipDir)) {
            peers.run("clip", T, List.of(Peers.require("ffmpeg"), "-v", "error", "-f", "lavfi", "-i",
                    "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                    "-t",
                    "10", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v", "2M", "-g", "60",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-f", "mpegts", clip.toString()));
            clipVideoFrames = frames(peers, clip, "v:0");
            clipAudioFrames = frames(peers, clip, "a:0");
        }
        assertEquals(300, clipVideoFrames, "video frames in the clip");
        assertTrue(clipAudioFrames >= 460, "AAC frames in the clip: " + clipAudioFrames);
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try (var files = Files.list(clipDir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(clipDir);
    }

    /** @return the packets (frames) ffprobe reads from one stream of a file */
    private static int frames(Peers peers, Path file, String stream) throws Exception {
        String out = peers.run("count-" + stream.replace(':', '-') + "-" + file.getFileName(), T, List.of(Peers.require(
                "ffprobe"), "-v", "error", "-select_streams", stream, "-count_packets", "-show_entries",
                "stream=nb_read_packets", "-of", "csv=p=0", file.toString()));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no packet count from ffprobe: " + out);
        }
        return Integer.parseInt(m.group());
    }

    private static int udpPort() {
        Random random = new Random();
        for (int i = 0; i < 100; i++) {
            int port = 20_000 + random.nextInt(12_000);
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    port))) {
                return s.getLocalPort();
            } catch (SocketException e) {
                // taken: try another
            }
        }
        throw new AssertionError("no free UDP port");
    }

    private static String log(Peers peers, String name) {
        try {
            return peers.log(name);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @ParameterizedTest(name = "{0} loss")
    @ValueSource(doubles = {0.05, 0.10})
    void libsrtPublishesThroughLossAndEveryFrameArrives(double loss) throws Exception {
        StreamKit kit = StreamKit.builder().publisherGracePeriod(Duration.ofSeconds(5)).build();
        try (Peers peers = new Peers(dir)) {
            SrtServer server = SrtServer.builder(kit).host("127.0.0.1").port(0)
                    .settings(path -> SrtStreamSettings.DEFAULT
                            .withLatencyMillis(latencyMs(loss)))
                    .build().start();
            try (LossyUdpProxy proxy = new LossyUdpProxy(server.localAddress(), loss, DELAY, JITTER, 7)) {
                Stream stream = kit.stream("live/lossy");
                RecordingSink sink = new RecordingSink();
                stream.subscribe(sink, SubscribeOptions.on(Runnable::run));
                // srt-live-transmit reads the clip from its stdin at the clip's average rate; stdin stays open
                // for 2 s more, so that the last packets are acknowledged before the caller closes (libsrt drops
                // what is unacknowledged at close in live mode: FFmpeg publishing a file loses its last frames so)
                Process slt = peers.start("slt-publish", List.of(Peers.require("srt-live-transmit"), "-a:no",
                        "-chunk:1316", "file://con", "srt://127.0.0.1:" + proxy.address().getPort()
                                + "?mode=caller&latency=" + latencyMs(loss) + "&streamid=publish:live/lossy"));
                byte[] ts = withNullPackets(Files.readAllBytes(clip));
                int chunks = ts.length / CHUNK;
                ConnectionInfo last = null;
                // srt-live-transmit drops what it reads before it is connected: write once the server has it
                RecordingSink.await(T, () -> server.connections().stream().anyMatch(ConnectionInfo::publishing),
                        "srt-live-transmit to connect: " + log(peers, "slt-publish"));
                try (java.io.OutputStream stdin = slt.getOutputStream()) {
                    long start = System.nanoTime();
                    int written = 0;
                    // then 2 s of null packets: srt-live-transmit holds its last input until more comes, and
                    // what it sends only when it closes may not survive the lossy link
                    while (written < chunks + 200) {
                        long due = Math.min(chunks + 200L, 1 + (System.nanoTime() - start) * chunks / 10_000_000_000L);
                        while (written < due) {
                            if (written < chunks) {
                                stdin.write(ts, written * CHUNK, CHUNK);
                            } else {
                                stdin.write(NULL_CHUNK);
                            }
                            written++;
                        }
                        stdin.flush();
                        for (ConnectionInfo c : server.connections()) {
                            if (c.publishing()) {
                                last = c;
                            }
                        }
                        Thread.sleep(10);
                    }
                }
                // the caller closes (SIGTERM: libsrt sends a shutdown), the server ends the publication
                slt.destroy();
                RecordingSink.await(T, () -> server.connections().isEmpty(), "the publisher to leave");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while ((count(sink, MediaType.VIDEO) < clipVideoFrames
                        || count(sink, MediaType.AUDIO) < clipAudioFrames) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                long video = count(sink, MediaType.VIDEO);
                long audio = count(sink, MediaType.AUDIO);
                log.info(
                        "srt-live-transmit through {} loss: video {}/{}, audio {}/{}; proxy forwarded {} lost {}; receiver {}",
                        loss, video, clipVideoFrames, audio, clipAudioFrames, proxy.forwarded(), proxy.lost(), last);
                assertEquals(clipVideoFrames, video, "video frames");
                assertEquals(clipAudioFrames, audio, "audio frames");
                assertTrue(proxy.lost() > 0, "the proxy lost datagrams");
                assertTrue(last.extra().get("packetsLost").longValue() > 0, "losses counted: " + last);
                assertEquals(0, last.extra().get("packetsDropped").longValue(), "nothing dropped: " + last);
            }
        } finally {
            kit.close();
        }
    }

    /**
     * @return the stream padded with null packets to whole 1,316-byte chunks: srt-live-transmit sends
     *         only whole chunks of its input, and the clip's last packets (its last video frame and last
     *         audio PES) would otherwise never leave
     */
    private static byte[] withNullPackets(byte[] ts) {
        int packets = ts.length / 188;
        byte[] pad = nullPackets((7 - packets % 7) % 7);
        byte[] out = java.util.Arrays.copyOf(ts, ts.length + pad.length);
        System.arraycopy(pad, 0, out, ts.length, pad.length);
        return out;
    }

    private static byte[] nullPackets(int n) {
        byte[] out = new byte[n * 188];
        java.util.Arrays.fill(out, (byte) 0xFF);
        for (int i = 0; i < n; i++) {
            out[i * 188] = 0x47;
            out[i * 188 + 1] = 0x1F;
            out[i * 188 + 2] = (byte) 0xFF;
            out[i * 188 + 3] = 0x10;
        }
        return out;
    }

    /** @return the frames the sink got of a media type (the tracks as announced: they go when the publisher does) */
    private static long count(RecordingSink sink, MediaType type) {
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (List<TrackInfo> update : sink.trackUpdates()) {
            update.stream().filter(t -> t.mediaType() == type).forEach(t -> ids.add(t.id()));
        }
        return sink.packets().stream().filter(p -> ids.contains(p.trackId())).count();
    }

    @ParameterizedTest(name = "{0} loss")
    @ValueSource(doubles = {0.05, 0.10})
    void ourCallerSendsThroughLossToALibsrtListener(double loss) throws Exception {
        byte[] ts = Files.readAllBytes(clip);
        int chunks = ts.length / CHUNK + (ts.length % CHUNK == 0 ? 0 : 1);
        int port = udpPort();
        Path out = dir.resolve("slt-out.ts");
        try (Peers peers = new Peers(dir);
                LossyUdpProxy proxy = new LossyUdpProxy(new InetSocketAddress("127.0.0.1", port), loss, DELAY,
                        JITTER, 11)) {
            Process slt = new ProcessBuilder(Peers.require("srt-live-transmit"), "-a:no", "-chunk:1316", "srt://:"
                    + port + "?mode=listener&latency=" + latencyMs(loss),
                    "file://con").redirectOutput(out.toFile())
                    .redirectError(dir.resolve("slt.log").toFile()).start();
            try {
                SrtConnection caller = connect(proxy.address(), latencyMs(loss));
                // the clip's bytes at its own average rate: 10 s
                long start = System.nanoTime();
                int sent = 0;
                while (sent < chunks) {
                    long due = Math.min(chunks, 1 + (System.nanoTime() - start) * chunks / 10_000_000_000L);
                    while (sent < due) {
                        int from = sent * CHUNK;
                        assertTrue(caller.send(Unpooled.wrappedBuffer(ts, from, Math.min(CHUNK, ts.length - from))),
                                "send " + sent);
                        sent++;
                    }
                    Thread.sleep(2);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (Files.size(out) < ts.length && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                SrtStats stats = caller.stats();
                log.info("our caller through {} loss: {} of {} bytes written by srt-live-transmit; proxy forwarded "
                        + "{} lost {}; sender {}", loss, Files.size(out), ts.length, proxy.forwarded(), proxy.lost(),
                        stats);
                caller.close();
                caller.closeFuture().get(5, TimeUnit.SECONDS);
                Peers.await(slt, Duration.ofSeconds(10));
                byte[] got = Files.readAllBytes(out);
                assertEquals(ts.length, got.length, () -> "bytes written by srt-live-transmit: " + readLog());
                assertArrayEquals(ts, got, "the clip, byte for byte");
                assertEquals(clipVideoFrames, frames(peers, out, "v:0"), "video frames ffprobe reads");
                assertEquals(clipAudioFrames, frames(peers, out, "a:0"), "audio frames ffprobe reads");
                assertTrue(proxy.lost() > 0, "the proxy lost datagrams");
                assertTrue(stats.packetsRetransmitted() > 0, "retransmissions counted: " + stats);
                assertEquals(0, stats.packetsDropped(), "nothing dropped: " + stats);
            } finally {
                slt.destroyForcibly();
                slt.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private String readLog() {
        try {
            return Files.readString(dir.resolve("slt.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static SrtConnection connect(InetSocketAddress address, int latencyMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                return SrtCaller.connect(group, address, new SrtCaller.Options("", Duration.ofMillis(latencyMs), null,
                        16, Duration.ofSeconds(3))).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200); // srt-live-transmit is still starting
            }
        }
    }
}
