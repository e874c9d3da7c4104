package io.streamkit.relay.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.StreamKit;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.relay.srt.SrtCaller;
import io.streamkit.relay.srt.SrtConnection;
import io.streamkit.relay.srt.SrtServer;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An SRT publisher's MPEG-TS reaches SRT readers of the same {@link SrtServer} unchanged, late joiners start
 * at PAT/PMT and a keyframe, and the stream's other subscribers still get demultiplexed packets.
 */
class SrtTsPassThroughTest {
    private static final Duration T = Duration.ofSeconds(20);
    private StreamKit kit;
    private SrtServer server;
    private EventLoopGroup group;

    @BeforeEach
    void start() {
        kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build();
        server = SrtServer.builder(kit).host("127.0.0.1").port(0).build().start();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() throws Exception {
        kit.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private SrtConnection call(String streamId) throws Exception {
        return SrtCaller.connect(group, new InetSocketAddress(InetAddress.getLoopbackAddress(), server.localAddress()
                .getPort()), new SrtCaller.Options(streamId, Duration.ofMillis(80), null, 16, Duration.ofSeconds(3)))
                .get(5, TimeUnit.SECONDS);
    }

    /** Collects what a reading caller receives. */
    private static final class Received implements SrtConnection.Handler {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void onMessage(ByteBuf message) {
            try {
                byte[] b = new byte[message.readableBytes()];
                message.readBytes(b);
                bytes.writeBytes(b);
            } finally {
                message.release();
            }
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static void send(SrtConnection publisher, byte[] ts, int from, int to) throws InterruptedException {
        for (int off = from; off < to; off += TsChunker.CHUNK_SIZE) {
            int n = Math.min(TsChunker.CHUNK_SIZE, to - off);
            assertTrue(publisher.send(Unpooled.copiedBuffer(ts, off, n)), "the publisher's send buffer has room");
            Thread.sleep(1); // about 1,000 messages per second: no burst over the loopback's buffers
        }
    }

    private static int pid(byte[] ts, int packet) {
        return (ts[packet * TsPackets.SIZE + 1] & 0x1F) << 8 | ts[packet * TsPackets.SIZE + 2] & 0xFF;
    }

    @Test
    void srtReadersGetThePublishersBytesAndOtherSubscribersGetPackets() throws Exception {
        byte[] ts = TsTesting.ffmpegSample();
        int cut = ts.length / TsChunker.CHUNK_SIZE * 3 / 4 * TsChunker.CHUNK_SIZE;
        SrtConnection early = call("read:live/pass");
        Received fromStart = new Received();
        early.setHandler(fromStart);
        await(() -> kit.findStream("live/pass").map(s -> s.stats().subscribers() == 1).orElse(false),
                "the reader to subscribe");
        RecordingSink packets = new RecordingSink();
        kit.stream("live/pass").subscribe(packets, SubscribeOptions.on(Runnable::run).withLabel("test"));

        SrtConnection publisher = call("publish:live/pass");
        send(publisher, ts, 0, cut);
        await(() -> fromStart.bytes().length >= cut + 2 * TsPackets.SIZE, "the first part at the early reader");

        SrtConnection late = call("read:live/pass");
        Received fromLate = new Received();
        late.setHandler(fromLate);
        await(() -> fromLate.bytes().length > 0, "the cached GOP at the late reader");
        send(publisher, ts, cut, ts.length);
        await(() -> fromStart.bytes().length == ts.length + 2 * TsPackets.SIZE, "everything at the early reader");

        byte[] got = fromStart.bytes();
        assertEquals(0, pid(got, 0), "PAT first");
        assertArrayEquals(ts, Arrays.copyOfRange(got, 2 * TsPackets.SIZE, got.length), "the publisher's bytes");

        byte[] tail = Arrays.copyOfRange(ts, cut, ts.length);
        await(() -> {
            byte[] b = fromLate.bytes();
            return b.length >= tail.length && Arrays.equals(tail, Arrays.copyOfRange(b, b.length - tail.length,
                    b.length));
        }, "the live part at the late reader");
        byte[] lateBytes = fromLate.bytes();
        assertEquals(0, pid(lateBytes, 0), "a late reader starts with PAT");
        TsTesting.Recorder rec = new TsTesting.Recorder();
        TsDemuxer d = new TsDemuxer(rec);
        ByteBuf b = Unpooled.wrappedBuffer(lateBytes);
        try {
            d.feed(b);
            d.flush();
            assertTrue(rec.track(0).get(0).isKeyframe(), "and its first frame is a keyframe");
            assertEquals(0, d.droppedBeforeConfig());
        } finally {
            b.release();
            rec.releaseAll();
        }

        await(() -> packets.packets().stream().filter(p -> p.trackId() == 0).count() >= 25,
                "the demultiplexed video at the other subscriber");
        assertTrue(packets.packets().get(0).keyframe(), "which starts at a keyframe");
        assertTrue(packets.packets().stream().anyMatch(p -> p.trackId() == 1), "and has the audio");
        publisher.close();
        early.close();
        late.close();
    }
}
