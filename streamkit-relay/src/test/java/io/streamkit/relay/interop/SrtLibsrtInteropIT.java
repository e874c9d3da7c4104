package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.streamkit.api.Codec;
import io.streamkit.api.ConnectionState;
import io.streamkit.api.Endpoint;
import io.streamkit.api.Input;
import io.streamkit.api.InputConfig;
import io.streamkit.api.MediaType;
import io.streamkit.api.Output;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamState;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.api.testkit.TestMedia;
import io.streamkit.relay.rtmp.RtmpServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.streamkit.relay.srt.SrtCaller;
import io.streamkit.relay.srt.SrtConnection;
import io.streamkit.relay.srt.SrtListener;
import io.streamkit.relay.srt.SrtRejectReason;
import io.streamkit.relay.srt.SrtRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * StreamKit's SRT against libsrt: Debian's {@code srt-live-transmit} (srt-tools) as caller and as
 * listener, with and without encryption, and Debian's {@code ffmpeg} (built with libsrt) as a
 * publisher; the {@code srt} transport in listener mode with both as callers that pull from an
 * output and publish into an input.
 */
class SrtLibsrtInteropIT {
    private static final Logger log = LoggerFactory.getLogger(SrtLibsrtInteropIT.class);
    private static final String INSTALL = "apt-get install -y srt-tools ffmpeg";
    private static final int CHUNK = 1316;
    private static final String PASSPHRASE = "0123456789abc";
    private static EventLoopGroup group;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static String tool(String name) {
        Path p = Path.of("/usr/bin", name);
        if (!Files.isExecutable(p)) {
            throw new AssertionError(name + " is missing; install the interop peers: " + INSTALL);
        }
        return p.toString();
    }

    private static byte[] content(int chunks, long seed) {
        byte[] data = new byte[chunks * CHUNK];
        new Random(seed).nextBytes(data);
        for (int i = 0; i < chunks; i++) {
            data[i * CHUNK] = 0x47; // looks like TS, which is what SRT usually carries
        }
        return data;
    }

    /** Collects every message a listener receives into one byte stream. */
    private static final class Collecting implements SrtListener.Acceptor {
        final String passphrase;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> sizes = new ArrayList<>();
        final CompletableFuture<SrtConnection> connected = new CompletableFuture<>();
        volatile String streamId;

        Collecting(String passphrase) {
            this.passphrase = passphrase;
        }

        @Override
        public SrtListener.Decision decide(String id, InetSocketAddress peer) {
            streamId = id;
            return SrtListener.Decision.accept(Duration.ofMillis(120), passphrase);
        }

        @Override
        public void onConnected(SrtConnection connection) {
            connection.setHandler(message -> {
                try {
                    byte[] b = new byte[message.readableBytes()];
                    message.readBytes(b);
                    synchronized (this) {
                        bytes.writeBytes(b);
                        sizes.add(b.length);
                    }
                } finally {
                    message.release();
                }
            });
            connected.complete(connection);
        }

        synchronized int size() {
            return bytes.size();
        }

        synchronized byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    private static void awaitSize(java.util.function.IntSupplier size, int expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (size.getAsInt() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Writes chunks at about {@code perSecond} chunks per second. */
    private static void pacedWrite(OutputStream out, byte[] data, int perSecond) throws Exception {
        long start = System.nanoTime();
        int chunks = data.length / CHUNK;
        int written = 0;
        while (written < chunks) {
            long due = Math.min(chunks, 1 + (System.nanoTime() - start) * perSecond / 1_000_000_000L);
            while (written < due) {
                out.write(data, written * CHUNK, CHUNK);
                written++;
            }
            out.flush();
            Thread.sleep(2);
        }
    }

    private static void pacedSend(SrtConnection c, byte[] data, int perSecond) throws InterruptedException {
        long start = System.nanoTime();
        int chunks = data.length / CHUNK;
        int sent = 0;
        while (sent < chunks) {
            long due = Math.min(chunks, 1 + (System.nanoTime() - start) * perSecond / 1_000_000_000L);
            while (sent < due) {
                assertTrue(c.send(Unpooled.wrappedBuffer(data, sent * CHUNK, CHUNK)), "send " + sent);
                sent++;
            }
            Thread.sleep(2);
        }
    }

    private static String query(String passphrase, int keyLength) {
        return passphrase == null ? "" : "&passphrase=" + passphrase + "&pbkeylen=" + keyLength;
    }

    private void libsrtCallerToOurListener(String passphrase, int keyLength) throws Exception {
        String slt = tool("srt-live-transmit");
        byte[] data = content(400, keyLength);
        Collecting acceptor = new Collecting(passphrase);
        try (Peers peers = new Peers(dir);
                SrtListener listener = SrtListener.bind(group, new InetSocketAddress(InetAddress
                        .getLoopbackAddress(), 0), acceptor)) {
            int port = listener.localAddress().getPort();
            Process p = peers.start("slt-caller-" + keyLength,
                    List.of(slt, "-q", "-chunk:1316", "file://con", "srt://127.0.0.1:"
                            + port + "?mode=caller&streamid=publish:test&latency=200" + query(passphrase, keyLength)));
            OutputStream stdin = p.getOutputStream();
            try {
                SrtConnection c = acceptor.connected.get(10, TimeUnit.SECONDS);
                assertEquals("publish:test", acceptor.streamId);
                assertEquals(Duration.ofMillis(200), c.latency());
                assertEquals(passphrase != null, c.isEncrypted());
                pacedWrite(stdin, data, 500);
                closeQuietly(stdin);
                awaitSize(acceptor::size, data.length, Duration.ofSeconds(10));
                log.info("from srt-live-transmit: {} bytes of {}, stats {}", acceptor.size(), data.length, c
                        .stats());
                assertEquals(data.length, acceptor.size(), () -> "bytes received; srt-live-transmit said: "
                        + log(peers, "slt-caller-" + keyLength));
                assertArrayEquals(data, acceptor.toByteArray());
                assertEquals(0, c.stats().undecrypted());
            } finally {
                closeQuietly(stdin);
            }
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            log.debug("closing stdin: {}", e.toString());
        }
    }

    private static String log(Peers peers, String name) {
        try {
            return peers.log(name);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void libsrtCallerPublishesToOurListener() throws Exception {
        libsrtCallerToOurListener(null, 0);
    }

    @Test
    void libsrtCallerPublishesEncryptedAes128() throws Exception {
        libsrtCallerToOurListener(PASSPHRASE, 16);
    }

    @Test
    void libsrtCallerPublishesEncryptedAes256() throws Exception {
        libsrtCallerToOurListener(PASSPHRASE, 32);
    }

    /** srt-live-transmit as listener writing what it receives to a file; started fresh per test. */
    private final class LibsrtListener implements AutoCloseable {
        final int port = Peers.freePort();
        final Path out;
        final Path err;
        final Process process;

        LibsrtListener(String name, String passphrase, int keyLength) throws IOException {
            out = dir.resolve(name + ".out");
            err = dir.resolve(name + ".log");
            process = new ProcessBuilder(tool("srt-live-transmit"), "-chunk:1316",
                    "srt://:" + port + "?mode=listener&latency=200"
                            + query(passphrase, keyLength),
                    "file://con").redirectOutput(out.toFile()).redirectError(err
                            .toFile())
                    .start();
        }

        SrtConnection connect(String passphrase, int keyLength) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    return SrtCaller.connect(group, new InetSocketAddress("127.0.0.1", port), new SrtCaller.Options(
                            "publish:test", Duration.ofMillis(120), passphrase, keyLength == 0 ? 16 : keyLength,
                            Duration.ofMillis(1000))).get(5, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof io.streamkit.api.TransportException)
                            || System.nanoTime() > deadline || !process.isAlive()) {
                        throw e;
                    }
                }
            }
        }

        String log() throws IOException {
            return Files.exists(err) ? Files.readString(err) : "";
        }

        /** Stops the process with SIGTERM so that it flushes its output. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void ourCallerToLibsrtListener(String passphrase, int keyLength) throws Exception {
        byte[] data = content(400, 100 + keyLength);
        try (LibsrtListener slt = new LibsrtListener("slt-listener-" + keyLength, passphrase, keyLength)) {
            SrtConnection c = slt.connect(passphrase, keyLength);
            assertEquals(Duration.ofMillis(200), c.latency());
            pacedSend(c, data, 500);
            awaitSize(() -> (int) slt.out.toFile().length(), data.length, Duration.ofSeconds(3));
            Thread.sleep(500);
            log.info("to srt-live-transmit: stats {}", c.stats());
            c.close();
            c.closeFuture().get(5, TimeUnit.SECONDS);
            slt.stop();
            byte[] got = Files.readAllBytes(slt.out);
            assertEquals(data.length, got.length, () -> "bytes written by srt-live-transmit: " + tryLog(slt));
            assertArrayEquals(data, got);
        }
    }

    private static String tryLog(LibsrtListener slt) {
        try {
            return slt.log();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void ourCallerPublishesToLibsrtListener() throws Exception {
        ourCallerToLibsrtListener(null, 0);
    }

    @Test
    void ourCallerPublishesEncryptedAes128() throws Exception {
        ourCallerToLibsrtListener(PASSPHRASE, 16);
    }

    @Test
    void ourCallerPublishesEncryptedAes256() throws Exception {
        ourCallerToLibsrtListener(PASSPHRASE, 32);
    }

    @Test
    void wrongPassphraseIsRejectedByLibsrt() throws Exception {
        try (LibsrtListener slt = new LibsrtListener("slt-badsecret", PASSPHRASE, 16)) {
            long start = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class, () -> slt.connect("the-wrong-secret",
                    16));
            SrtRejectedException rejected = assertInstanceOf(SrtRejectedException.class, e.getCause(), () -> e
                    .getCause().toString());
            assertEquals(SrtRejectReason.BADSECRET, rejected.reason(), rejected.getMessage());
            assertTrue(rejected.getMessage().contains("passphrase"), rejected.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "rejected, not timed out");
        }
    }

    @Test
    void libsrtCallerWithWrongPassphraseIsRejected() throws Exception {
        Collecting acceptor = new Collecting(PASSPHRASE);
        try (Peers peers = new Peers(dir);
                SrtListener listener = SrtListener.bind(group, new InetSocketAddress(InetAddress
                        .getLoopbackAddress(), 0), acceptor)) {
            Process p = peers.start("slt-wrong", List.of(tool("srt-live-transmit"), "-a:no", "file://con",
                    "srt://127.0.0.1:" + listener.localAddress().getPort()
                            + "?mode=caller&latency=200&passphrase=the-wrong-secret&pbkeylen=16"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (listener.stats().badSecret() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            p.getOutputStream().close();
            assertTrue(listener.stats().badSecret() > 0, () -> "listener " + listener.stats() + "; " + log(peers,
                    "slt-wrong"));
            assertEquals(0, listener.connections());
        }
    }

    @Test
    void ffmpegPublishesMpegTs() throws Exception {
        String ffmpeg = tool("ffmpeg");
        Collecting acceptor = new Collecting(null);
        try (Peers peers = new Peers(dir);
                SrtListener listener = SrtListener.bind(group, new InetSocketAddress(InetAddress
                        .getLoopbackAddress(), 0), acceptor)) {
            int port = listener.localAddress().getPort();
            Process p = peers.start("ffmpeg-srt", List.of(ffmpeg, "-hide_banner", "-loglevel", "warning", "-re", "-f",
                    "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-t", "3", "-c:v", "libx264", "-g", "30",
                    "-pix_fmt", "yuv420p", "-f", "mpegts", "srt://127.0.0.1:" + port
                            + "?mode=caller&pkt_size=1316&streamid=publish:x&latency=200000"));
            SrtConnection c = acceptor.connected.get(15, TimeUnit.SECONDS);
            assertEquals("publish:x", acceptor.streamId);
            assertEquals(0, Peers.await(p, Duration.ofSeconds(30)), () -> log(peers, "ffmpeg-srt"));
            c.closeFuture().get(10, TimeUnit.SECONDS);
            byte[] ts = acceptor.toByteArray();
            log.info("from ffmpeg: {} bytes in {} messages, stats {}", ts.length, acceptor.sizes.size(), c.stats());
            assertTrue(ts.length >= 100_000, "received " + ts.length + " bytes");
            assertEquals(0, ts.length % 188);
            for (int i = 0; i < ts.length; i += 188) {
                assertEquals(0x47, ts[i] & 0xFF, "TS sync byte at " + i);
            }
            for (int size : acceptor.sizes) {
                assertEquals(0, size % 188, "message of " + size + " bytes");
            }
        }
    }

    // The srt transport in listener mode: libsrt's tools are the callers.

    private static final Duration MEDIA_T = Duration.ofSeconds(60);

    /** @return a UDP port free now, below the ephemeral range so that no other socket takes it meanwhile */
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

    private static void awaitState(Endpoint e, ConnectionState state) {
        RecordingSink.await(MEDIA_T, () -> e.state() == state, e + " to become " + state + " (is " + e.state()
                + ", last error " + e.stats().lastError() + ")");
    }

    private static void assertH264Aac720p(String probe) {
        assertTrue(probe.contains("codec_name=h264|width=1280|height=720"), "H.264 1280x720 in " + probe);
        assertTrue(probe.contains("codec_name=aac"), "AAC in " + probe);
    }

    private Process ffmpegSrtPublish(Peers peers, String name, int seconds, String url) throws IOException {
        return peers.start(name, List.of(tool("ffmpeg"), "-hide_banner", "-loglevel", "warning", "-re", "-f", "lavfi",
                "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
                "-b:v", "2M", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts", url));
    }

    @Test
    void libsrtCallersPullFromAListenerModeOutput() throws Exception {
        StreamKit kit = StreamKit.builder().build();
        try (Peers peers = new Peers(dir)) {
            int rtmpPort = RtmpServer.builder(kit).host("127.0.0.1").port(0).build().start().localAddress().getPort();
            Process publisher = peers.publish("rtmp-publisher", 30, "rtmp://127.0.0.1:" + rtmpPort + "/live/show");
            RecordingSink.await(MEDIA_T, () -> kit.findStream("live/show").map(s -> s.stats().keyframes() >= 1)
                    .orElse(false), "the RTMP publisher to go live: " + log(peers, "rtmp-publisher"));
            int port = udpPort();
            Output out = kit.stream("live/show").addOutput(URI.create("srt://127.0.0.1:" + port
                    + "?mode=listener&latency=200&maxcallers=2&passphrase=" + PASSPHRASE));
            awaitState(out, ConnectionState.LIVE);

            // two callers at once: srt-live-transmit writing to its stdout, and ffmpeg
            Path sltTs = dir.resolve("slt-pull.ts");
            Process slt = new ProcessBuilder(tool("srt-live-transmit"), "-a:no", "-t:6", "srt://127.0.0.1:" + port
                    + "?latency=200&passphrase=" + PASSPHRASE, "file://con").redirectOutput(sltTs.toFile())
                    .redirectError(dir.resolve("slt-pull.log").toFile()).start();
            Path ffTs = dir.resolve("ffmpeg-pull.ts");
            peers.run("ffmpeg-pull", MEDIA_T, List.of(tool("ffmpeg"), "-v", "error", "-y", "-i", "srt://127.0.0.1:"
                    + port + "?passphrase=" + PASSPHRASE + "&pbkeylen=32", "-t", "5", "-c", "copy", ffTs.toString()));
            Peers.await(slt, MEDIA_T);
            String sltLog = Files.readString(dir.resolve("slt-pull.log"));
            log.info("srt-live-transmit pulled {} bytes: {}", Files.size(sltTs), sltLog);

            String ffProbe = peers.probe(ffTs);
            assertH264Aac720p(ffProbe);
            assertEquals("", peers.decodeErrors(ffTs), "FFmpeg decodes every frame it pulled");
            assertTrue(Files.size(sltTs) > 100_000, "srt-live-transmit got " + Files.size(sltTs) + " bytes: "
                    + sltLog);
            assertH264Aac720p(peers.probe(sltTs));
            assertEquals(ConnectionState.LIVE, out.state());
            publisher.destroy();
        } finally {
            kit.close();
        }
    }

    @Test
    void ffmpegPublishesIntoAListenerModeInput() throws Exception {
        StreamKit kit = StreamKit.builder().publisherGracePeriod(Duration.ofSeconds(3)).build();
        try (Peers peers = new Peers(dir)) {
            int port = udpPort();
            Stream stream = kit.stream("live/in");
            RecordingSink sink = new RecordingSink();
            stream.subscribe(sink, SubscribeOptions.on(Runnable::run));
            Input input = stream.addInput(InputConfig.of(URI.create("srt://0.0.0.0:" + port
                    + "?mode=listener&latency=200&passphrase=" + PASSPHRASE + "&streamid=publish:live/in")));
            awaitState(input, ConnectionState.LIVE);
            String url = "srt://127.0.0.1:" + port + "?mode=caller&pkt_size=1316&latency=200000&passphrase="
                    + PASSPHRASE + "&pbkeylen=16&streamid=publish:live/in";
            Process first = ffmpegSrtPublish(peers, "ffmpeg-push", 8, url);
            RecordingSink.await(MEDIA_T, () -> stream.stats().keyframes() >= 2, "ffmpeg's stream to go live: "
                    + log(peers, "ffmpeg-push"));
            assertEquals(StreamState.LIVE, stream.state());
            List<TrackInfo> tracks = stream.tracks();
            TrackInfo video = tracks.stream().filter(t -> t.mediaType() == MediaType.VIDEO).findFirst()
                    .orElseThrow();
            assertEquals(Codec.H264, video.codec());
            assertEquals(1280, video.width());
            assertEquals(720, video.height());
            TrackInfo audio = tracks.stream().filter(t -> t.mediaType() == MediaType.AUDIO).findFirst()
                    .orElseThrow();
            assertEquals(Codec.AAC, audio.codec());
            assertEquals(48_000, audio.sampleRate());

            // a second publisher is refused with 1409 (conflict) while the first one is connected
            long start = System.nanoTime();
            Process second = ffmpegSrtPublish(peers, "ffmpeg-second", 3, url);
            int secondExit = Peers.await(second, MEDIA_T);
            log.info("a second ffmpeg publisher: exit {}: {}", secondExit, log(peers, "ffmpeg-second"));
            assertTrue(secondExit != 0, "the second publisher is refused: " + log(peers, "ffmpeg-second"));
            assertTrue(log(peers, "ffmpeg-second").contains("REJECT"), "libsrt reports a rejection (1409 is an "
                    + "application-defined reason): " + log(peers, "ffmpeg-second"));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "refused at once, not timed out: "
                    + log(peers, "ffmpeg-second"));

            assertEquals(0, Peers.await(first, MEDIA_T), () -> "ffmpeg: " + log(peers, "ffmpeg-push"));
            long framesBefore = sink.packets().stream().filter(p -> p.trackId() == video.id()).count();
            assertTrue(framesBefore >= 200, "video frames from the first publisher: " + framesBefore);

            // it left: the input listens again, and the next publisher gets in (within the grace period)
            RecordingSink.await(MEDIA_T, () -> input.stats().connects() >= 2 && input.state() == ConnectionState.LIVE,
                    "the input to listen again: " + input.stats());
            Process next = ffmpegSrtPublish(peers, "ffmpeg-next", 3, url);
            assertEquals(0, Peers.await(next, MEDIA_T), () -> "ffmpeg: " + log(peers, "ffmpeg-next"));
            RecordingSink.await(MEDIA_T, () -> sink.packets().stream().filter(p -> p.trackId() == video.id())
                    .count() >= framesBefore + 60, "the next publisher's frames");
        } finally {
            kit.close();
        }
    }

    @Test
    void wrongPassphraseIsRejectedByAListenerMode() throws Exception {
        StreamKit kit = StreamKit.builder().build();
        try (Peers peers = new Peers(dir)) {
            int outPort = udpPort();
            Stream show = kit.stream("live/secret");
            show.publish(TestMedia.tracks(), PublishPolicy.REJECT, "test");
            Output out = show.addOutput(URI.create("srt://127.0.0.1:" + outPort + "?mode=listener&passphrase="
                    + PASSPHRASE));
            awaitState(out, ConnectionState.LIVE);
            long start = System.nanoTime();
            Process slt = peers.start("slt-wrong-pull", List.of(tool("srt-live-transmit"), "-a:no", "srt://127.0.0.1:"
                    + outPort + "?passphrase=not-the-passphrase", "file://con"));
            int exit = Peers.await(slt, MEDIA_T);
            long sltMillis = (System.nanoTime() - start) / 1_000_000;
            String sltLog = log(peers, "slt-wrong-pull");
            log.info("srt-live-transmit with a wrong passphrase: exit {} after {} ms: {}", exit, sltMillis, sltLog);
            assertTrue(sltMillis < 2_500, "rejected at once, not after libsrt's 3 s connect timeout: " + sltMillis
                    + " ms; " + sltLog);
            assertTrue(sltLog.contains("REJECT") && sltLog.contains("Incorrect passphrase"),
                    "srt-live-transmit reports the rejection for the passphrase: " + sltLog);

            int inPort = udpPort();
            Input input = kit.stream("live/secret-in").addInput(InputConfig.of(URI.create("srt://127.0.0.1:" + inPort
                    + "?mode=listener&passphrase=" + PASSPHRASE)));
            awaitState(input, ConnectionState.LIVE);
            start = System.nanoTime();
            Process ff = ffmpegSrtPublish(peers, "ffmpeg-wrong-push", 3, "srt://127.0.0.1:" + inPort
                    + "?mode=caller&passphrase=not-the-passphrase");
            int ffExit = Peers.await(ff, MEDIA_T);
            long ffMillis = (System.nanoTime() - start) / 1_000_000;
            String ffLog = log(peers, "ffmpeg-wrong-push");
            log.info("ffmpeg with a wrong passphrase: exit {} after {} ms: {}", ffExit, ffMillis, ffLog);
            assertTrue(ffExit != 0, "ffmpeg fails: " + ffLog);
            assertTrue(ffLog.contains("Incorrect passphrase"), "libsrt reports the passphrase: " + ffLog);
            assertTrue(ffMillis < 2_500, "rejected at once, not after libsrt's 3 s connect timeout: " + ffMillis
                    + " ms; " + ffLog);
            assertEquals(StreamState.IDLE, kit.stream("live/secret-in").state(), "nothing was published");
        } finally {
            kit.close();
        }
    }
}
