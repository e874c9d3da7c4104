package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.streamkit.relay.srt.SrtCaller;
import io.streamkit.relay.srt.SrtConnection;
import io.streamkit.relay.srt.SrtRendezvous;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * StreamKit's SRT rendezvous against libsrt: Debian's {@code srt-live-transmit} (srt-tools) in
 * {@code mode=rendezvous}, bound to its own port with {@code port=} and {@code adapter=}, sending
 * to and receiving from us, with and without encryption.
 */
class SrtRendezvousInteropIT {
    private static final Logger log = LoggerFactory.getLogger(SrtRendezvousInteropIT.class);
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

    private static int freeUdpPort() throws SocketException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    private static byte[] content(int chunks, long seed) {
        byte[] data = new byte[chunks * CHUNK];
        new Random(seed).nextBytes(data);
        for (int i = 0; i < chunks; i++) {
            data[i * CHUNK] = 0x47;
        }
        return data;
    }

    private static String uri(int theirPort, int ourPort, String passphrase, String extra) {
        return "srt://127.0.0.1:" + ourPort + "?mode=rendezvous&port=" + theirPort
                + "&adapter=127.0.0.1&latency=200" + (passphrase == null
                        ? ""
                        : "&passphrase=" + passphrase + "&pbkeylen=16")
                + extra;
    }

    private static SrtCaller.Options options(String passphrase) {
        return new SrtCaller.Options(null, Duration.ofMillis(120), passphrase, 16, Duration.ofSeconds(10));
    }

    private static void awaitSize(java.util.function.IntSupplier size, int expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (size.getAsInt() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static String log(Peers peers, String name) {
        try {
            return peers.log(name);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void libsrtSendsToUs(String passphrase) throws Exception {
        libsrtSendsToUs(passphrase, "");
    }

    private void libsrtSendsToUs(String passphrase, String extra) throws Exception {
        byte[] data = content(400, passphrase == null ? 1 : 2);
        int ours = freeUdpPort();
        int theirs = freeUdpPort();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        String name = "slt-rdv-send-" + (passphrase != null);
        try (Peers peers = new Peers(dir)) {
            Process p = peers.start(name, List.of(Peers.require("srt-live-transmit"), "-q", "-chunk:1316",
                    "file://con", uri(theirs, ours, passphrase, extra)));
            OutputStream stdin = p.getOutputStream();
            SrtConnection c = SrtRendezvous.connect(group, new InetSocketAddress("127.0.0.1", ours),
                    new InetSocketAddress("127.0.0.1", theirs), options(passphrase)).get(15, TimeUnit.SECONDS);
            c.setHandler(message -> {
                try {
                    byte[] b = new byte[message.readableBytes()];
                    message.readBytes(b);
                    synchronized (received) {
                        received.writeBytes(b);
                    }
                } finally {
                    message.release();
                }
            });
            assertEquals(Duration.ofMillis(200), c.latency());
            assertEquals(passphrase != null, c.isEncrypted());
            long start = System.nanoTime();
            int written = 0;
            int chunks = data.length / CHUNK;
            while (written < chunks) {
                long due = Math.min(chunks, 1 + (System.nanoTime() - start) * 500 / 1_000_000_000L);
                while (written < due) {
                    stdin.write(data, written * CHUNK, CHUNK);
                    written++;
                }
                stdin.flush();
                Thread.sleep(2);
            }
            awaitSize(() -> {
                synchronized (received) {
                    return received.size();
                }
            }, data.length, Duration.ofSeconds(10));
            stdin.close();
            log.info("rendezvous from srt-live-transmit: stats {}", c.stats());
            byte[] got;
            synchronized (received) {
                got = received.toByteArray();
            }
            assertEquals(data.length, got.length, () -> "bytes received; srt-live-transmit said: " + log(peers,
                    name));
            assertArrayEquals(data, got);
            assertEquals(0, c.stats().undecrypted());
            c.close();
        }
    }

    private void weSendToLibsrt(String passphrase) throws Exception {
        weSendToLibsrtWith(options(passphrase));
    }

    private void weSendToLibsrtWith(SrtCaller.Options options) throws Exception {
        String passphrase = options.passphrase();
        byte[] data = content(400, passphrase == null ? 3 : 4);
        int ours = freeUdpPort();
        int theirs = freeUdpPort();
        Path out = dir.resolve("rdv-recv.out");
        Path err = dir.resolve("rdv-recv.log");
        Process p = new ProcessBuilder(Peers.require("srt-live-transmit"), "-chunk:1316", uri(theirs, ours,
                passphrase, ""), "file://con").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            SrtConnection c = SrtRendezvous.connect(group, new InetSocketAddress("127.0.0.1", ours),
                    new InetSocketAddress("127.0.0.1", theirs), options).get(15, TimeUnit.SECONDS);
            assertEquals(Duration.ofMillis(200), c.latency());
            assertEquals(passphrase != null, c.isEncrypted());
            long start = System.nanoTime();
            int chunks = data.length / CHUNK;
            int sent = 0;
            while (sent < chunks) {
                long due = Math.min(chunks, 1 + (System.nanoTime() - start) * 500 / 1_000_000_000L);
                while (sent < due) {
                    assertTrue(c.send(Unpooled.wrappedBuffer(data, sent * CHUNK, CHUNK)), "send " + sent);
                    sent++;
                }
                Thread.sleep(2);
            }
            awaitSize(() -> (int) out.toFile().length(), data.length, Duration.ofSeconds(3));
            Thread.sleep(500);
            log.info("rendezvous to srt-live-transmit: stats {}", c.stats());
            c.close();
            c.closeFuture().get(5, TimeUnit.SECONDS);
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            byte[] got = Files.readAllBytes(out);
            assertEquals(data.length, got.length, () -> "bytes written by srt-live-transmit: " + readLog(err));
            assertArrayEquals(data, got);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String readLog(Path err) {
        try {
            return Files.readString(err);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void libsrtRendezvousSendsToUs() throws Exception {
        libsrtSendsToUs(null);
    }

    @Test
    void libsrtRendezvousSendsToUsEncrypted() throws Exception {
        libsrtSendsToUs(PASSPHRASE);
    }

    @Test
    void weSendToLibsrtRendezvous() throws Exception {
        weSendToLibsrt(null);
    }

    @Test
    void weSendToLibsrtRendezvousEncrypted() throws Exception {
        weSendToLibsrt(PASSPHRASE);
    }

    /** Our sender switches keys every 100 packets; libsrt must take each KMREQ and decrypt everything. */
    @Test
    void weRefreshKeysTowardsLibsrt() throws Exception {
        weSendToLibsrtWith(options(PASSPHRASE).withKeyRefresh(100, 20));
    }

    /** libsrt switches keys every 100 packets; we answer its KMREQs and decrypt everything. */
    @Test
    void libsrtRefreshesKeysTowardsUs() throws Exception {
        libsrtSendsToUs(PASSPHRASE, "&kmrefreshrate=100&kmpreannounce=20");
    }
}
