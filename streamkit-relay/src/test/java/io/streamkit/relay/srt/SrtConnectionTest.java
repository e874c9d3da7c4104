package io.streamkit.relay.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.streamkit.api.TransportException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class SrtConnectionTest {
    private static final Logger log = LoggerFactory.getLogger(SrtConnectionTest.class);
    static final int SIZE = 1316;
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** Collects messages (checking each message's counter and filler) on the receiving side. */
    static final class Sink implements SrtConnection.Handler {
        final ConcurrentLinkedQueue<Integer> counters = new ConcurrentLinkedQueue<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        volatile int corrupt;

        @Override
        public void onMessage(ByteBuf message) {
            try {
                byte[] b = new byte[message.readableBytes()];
                message.getBytes(message.readerIndex(), b);
                if (!java.util.Arrays.equals(b, content(ByteBuffer.wrap(b).getInt()))) {
                    corrupt++;
                }
                counters.add(b.length >= 4 ? ByteBuffer.wrap(b).getInt() : -1);
            } finally {
                message.release();
            }
        }

        @Override
        public void onClosed(Throwable cause) {
            closed.complete(cause);
        }
    }

    static byte[] content(int n) {
        byte[] b = new byte[SIZE];
        ByteBuffer.wrap(b).putInt(n);
        for (int i = 4; i < SIZE; i++) {
            b[i] = (byte) (n * 31 + i);
        }
        return b;
    }

    static ByteBuf message(int n) {
        // one bulk write: under paranoid leak detection every single-byte access records a stack trace
        return Unpooled.directBuffer(SIZE).writeBytes(content(n));
    }

    /** A listener that accepts every caller with the given latency and passphrase and collects into a sink. */
    static final class Accepting implements SrtListener.Acceptor {
        final Duration latency;
        final String passphrase;
        final Sink sink = new Sink();
        final CompletableFuture<SrtConnection> connected = new CompletableFuture<>();
        volatile String streamId;

        Accepting(Duration latency, String passphrase) {
            this.latency = latency;
            this.passphrase = passphrase;
        }

        @Override
        public SrtListener.Decision decide(String id, InetSocketAddress peer) {
            streamId = id;
            return SrtListener.Decision.accept(latency, passphrase);
        }

        @Override
        public void onConnected(SrtConnection connection) {
            connection.setHandler(sink);
            connected.complete(connection);
        }
    }

    /** Sends {@code count} messages at {@code perSecond} messages per second (whatever the sleep granularity). */
    static void sendPaced(SrtConnection c, int count, int perSecond) throws InterruptedException {
        long start = System.nanoTime();
        int sent = 0;
        while (sent < count) {
            long due = Math.min(count, 1 + (System.nanoTime() - start) * perSecond / 1_000_000_000L);
            while (sent < due) {
                assertTrue(c.send(message(sent)), "send " + sent);
                sent++;
            }
            Thread.sleep(1);
        }
    }

    static void awaitCount(Sink sink, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sink.counters.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    static void assertInOrder(Sink sink, int count) {
        List<Integer> got = List.copyOf(sink.counters);
        assertEquals(count, got.size(), "messages delivered");
        for (int i = 0; i < count; i++) {
            assertEquals(i, got.get(i), "message at position " + i);
        }
        assertEquals(0, sink.corrupt, "corrupt messages");
    }

    @Test
    void twoThousandMessagesArriveInOrderWithTheLargerLatency() throws Exception {
        Accepting acceptor = new Accepting(Duration.ofMillis(200), null);
        try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor)) {
            SrtConnection caller = SrtCaller.connect(group, listener.localAddress(), SrtCaller.Options.of(
                    "publish:test", Duration.ofMillis(120))).get(5, TimeUnit.SECONDS);
            SrtConnection accepted = acceptor.connected.get(5, TimeUnit.SECONDS);
            assertEquals("publish:test", accepted.streamId());
            assertEquals("publish:test", acceptor.streamId);
            assertEquals(Duration.ofMillis(200), caller.latency());
            assertEquals(Duration.ofMillis(200), accepted.latency());
            assertEquals(1, listener.connections());
            sendPaced(caller, 2000, 4000);
            awaitCount(acceptor.sink, 2000, Duration.ofSeconds(10));
            assertInOrder(acceptor.sink, 2000);
            SrtStats rs = accepted.stats();
            SrtStats ss = caller.stats();
            log.info("receiver {} sender {}", rs, ss);
            assertEquals(2000L * SIZE, rs.bytesReceived() - (rs.packetsReceived() - 2000) * SIZE);
            assertTrue(ss.packetsSent() >= 2000);
            caller.close();
            assertEquals(null, acceptor.sink.closed.get(5, TimeUnit.SECONDS));
            accepted.closeFuture().get(5, TimeUnit.SECONDS);
            caller.closeFuture().get(5, TimeUnit.SECONDS);
            awaitTrue(() -> listener.connections() == 0);
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean());
    }

    @Test
    void listenerCloseEndsTheCallerNormally() throws Exception {
        Accepting acceptor = new Accepting(Duration.ofMillis(100), null);
        SrtListener listener = SrtListener.bind(group, loopback(), acceptor);
        SrtConnection caller = SrtCaller.connect(group, listener.localAddress(), SrtCaller.Options.of(null,
                Duration.ofMillis(100))).get(5, TimeUnit.SECONDS);
        SrtConnection accepted = acceptor.connected.get(5, TimeUnit.SECONDS);
        assertEquals("", accepted.streamId());
        Sink callerSink = new Sink();
        caller.setHandler(callerSink);
        for (int i = 0; i < 50; i++) {
            accepted.send(message(i));
        }
        awaitCount(callerSink, 50, Duration.ofSeconds(5));
        assertInOrder(callerSink, 50);
        accepted.close();
        caller.closeFuture().get(5, TimeUnit.SECONDS);
        assertEquals(null, callerSink.closed.get(5, TimeUnit.SECONDS));
        listener.close();
        listener.close();
        assertTrue(!caller.send(message(0)));
    }

    @Test
    void encryptedWithAes128AndAes256() throws Exception {
        for (int keyLength : new int[]{16, 32}) {
            Accepting acceptor = new Accepting(Duration.ofMillis(100), "0123456789abc");
            try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor)) {
                SrtConnection caller = SrtCaller.connect(group, listener.localAddress(), new SrtCaller.Options(
                        "s", Duration.ofMillis(100), "0123456789abc", keyLength, Duration.ofSeconds(3)))
                        .get(5, TimeUnit.SECONDS);
                SrtConnection accepted = acceptor.connected.get(5, TimeUnit.SECONDS);
                assertTrue(caller.isEncrypted());
                assertTrue(accepted.isEncrypted());
                sendPaced(caller, 300, 4000);
                awaitCount(acceptor.sink, 300, Duration.ofSeconds(5));
                assertInOrder(acceptor.sink, 300);
                assertEquals(0, accepted.stats().undecrypted());
                caller.close();
                accepted.closeFuture().get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void wrongPassphraseIsRejectedAsBadSecret() throws Exception {
        Accepting acceptor = new Accepting(Duration.ofMillis(100), "0123456789abc");
        try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> SrtCaller.connect(group, listener
                    .localAddress(),
                    new SrtCaller.Options("s", Duration.ofMillis(100), "not-the-secret", 16, Duration
                            .ofSeconds(3)))
                    .get(5, TimeUnit.SECONDS));
            SrtRejectedException rejected = assertInstanceOf(SrtRejectedException.class, e.getCause());
            assertEquals(SrtRejectReason.BADSECRET, rejected.reason());
            assertTrue(rejected.getMessage().contains("passphrase"), rejected.getMessage());
            assertEquals(1, listener.stats().badSecret());
            assertEquals(0, listener.connections());
            // a passphrase on one side only
            ExecutionException none = assertThrows(ExecutionException.class, () -> SrtCaller.connect(group, listener
                    .localAddress(), SrtCaller.Options.of("s", Duration.ofMillis(100))).get(5, TimeUnit.SECONDS));
            assertEquals(SrtRejectReason.UNSECURE, ((SrtRejectedException) none.getCause()).reason());
        }
    }

    @Test
    void acceptorRejectionReachesTheCaller() throws Exception {
        SrtListener.Acceptor refusing = new SrtListener.Acceptor() {
            @Override
            public SrtListener.Decision decide(String streamId, InetSocketAddress peer) {
                return SrtListener.Decision.reject(SrtRejectReason.REJX_FORBIDDEN);
            }

            @Override
            public void onConnected(SrtConnection connection) {
                throw new AssertionError("rejected callers never connect");
            }
        };
        try (SrtListener listener = SrtListener.bind(group, loopback(), refusing)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> SrtCaller.connect(group, listener
                    .localAddress(), SrtCaller.Options.of("publish:x", Duration.ofMillis(100))).get(5,
                            TimeUnit.SECONDS));
            SrtRejectedException rejected = assertInstanceOf(SrtRejectedException.class, e.getCause());
            assertEquals(1403, rejected.reason());
            assertTrue(rejected.getMessage().contains("1403"), rejected.getMessage());
            assertEquals(1, listener.stats().rejected());
        }
    }

    @Test
    void connectTimesOutWhenNobodyAnswers() throws Exception {
        try (DatagramChannel silent = DatagramChannel.open().bind(loopback())) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> SrtCaller.connect(group,
                    (InetSocketAddress) silent.getLocalAddress(), new SrtCaller.Options(null, Duration.ofMillis(100),
                            null, 16, Duration.ofMillis(600)))
                    .get(5, TimeUnit.SECONDS));
            assertInstanceOf(TransportException.class, e.getCause());
        }
    }

    @Test
    void garbageDatagramsAreCountedNotFatal() throws Exception {
        Accepting acceptor = new Accepting(Duration.ofMillis(100), null);
        try (SrtListener listener = SrtListener.bind(group, loopback(), acceptor);
                DatagramChannel junk = DatagramChannel.open().bind(loopback())) {
            // a conclusion with a made-up cookie
            SrtHandshake forged = SrtHandshake.builder().socketId(1234).synCookie(42).addExtension(SrtNegotiation
                    .message(false, Duration.ofMillis(100))).extensionField(SrtHandshake.EXT_HSREQ).build();
            ByteBuf encoded = SrtPacketCodec.encode(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, forged);
            junk.send(encoded.nioBuffer(), listener.localAddress());
            encoded.release();
            awaitTrue(() -> listener.stats().badCookies() == 1);
            Random random = new Random(7);
            for (int i = 0; i < 500; i++) {
                byte[] bytes = new byte[1 + random.nextInt(i % 50 == 0 ? 3000 : 200)];
                random.nextBytes(bytes);
                if (i % 3 == 0 && bytes.length >= 16) {
                    bytes[0] |= (byte) 0x80; // control packets of random types
                    bytes[1] = (byte) random.nextInt(9);
                }
                junk.send(ByteBuffer.wrap(bytes), listener.localAddress());
                if (i % 20 == 19) {
                    Thread.sleep(2); // stay below the socket's receive buffer
                }
            }
            awaitTrue(() -> listener.stats().datagrams() >= 400);
            SrtListenerStats stats = listener.stats();
            log.info("after garbage: {}", stats);
            assertTrue(stats.decodeErrors() + stats.unknownSocket() > 0);
            assertEquals(1, stats.badCookies());
            assertEquals(0, listener.connections());
            // and the listener still works
            SrtConnection caller = SrtCaller.connect(group, listener.localAddress(), SrtCaller.Options.of("ok",
                    Duration.ofMillis(100))).get(5, TimeUnit.SECONDS);
            caller.send(message(0));
            awaitCount(acceptor.sink, 1, Duration.ofSeconds(5));
            assertInOrder(acceptor.sink, 1);
            caller.close();
        }
    }
}
