package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * publisher.
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
}
