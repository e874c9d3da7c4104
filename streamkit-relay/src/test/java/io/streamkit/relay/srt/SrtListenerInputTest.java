package io.streamkit.relay.srt;

import static io.streamkit.relay.srt.SrtListenerTesting.PASSPHRASE;
import static io.streamkit.relay.srt.SrtListenerTesting.T;
import static io.streamkit.relay.srt.SrtListenerTesting.awaitState;
import static io.streamkit.relay.srt.SrtListenerTesting.call;
import static io.streamkit.relay.srt.SrtListenerTesting.refused;
import static io.streamkit.relay.srt.SrtListenerTesting.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.streamkit.api.Codec;
import io.streamkit.api.ConnectionState;
import io.streamkit.api.Input;
import io.streamkit.api.InputConfig;
import io.streamkit.api.MediaType;
import io.streamkit.api.Output;
import io.streamkit.api.OutputConfig;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Publisher;
import io.streamkit.api.ReconnectPolicy;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamState;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.api.testkit.TestMedia;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listener-mode inputs: one publishing caller at a time, the next one after it leaves, and a clear port error. */
class SrtListenerInputTest {
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(300),
            2.0, 0.1);
    private static EventLoopGroup callers;
    private StreamKit kit;
    private TestMedia media;

    @BeforeAll
    static void startCallers() {
        callers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopCallers() {
        callers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void createKit() {
        kit = StreamKit.builder().transport(new SrtTransportProvider()).discoverTransports(false)
                .publisherGracePeriod(Duration.ZERO).connectTimeout(Duration.ofSeconds(5)).build();
        media = new TestMedia();
    }

    @AfterEach
    void closeKit() {
        kit.close();
        RecordingSink.await(Duration.ofSeconds(10), () -> media.live() == 0, media.live()
                + " payloads still referenced after close (leak)");
    }

    @Test
    void oneCallerPublishesAtATimeAndTheNextOneAfterIt() throws Exception {
        int port = SrtListenerTesting.freePort();
        Stream in = kit.stream("live/in");
        RecordingSink sink = new RecordingSink();
        in.subscribe(sink, SubscribeOptions.on(Runnable::run));
        Input input = in.addInput(InputConfig.of(URI.create("srt://127.0.0.1:" + port + "?mode=listener&latency=120"
                + "&passphrase=" + PASSPHRASE)).withReconnect(FAST));
        awaitState(input, ConnectionState.LIVE);
        assertEquals(StreamState.IDLE, in.state(), "no publisher before a caller sends");

        // the caller: another stream of the kit pushed by a caller-mode output
        Stream src = kit.stream("live/src");
        Publisher pub = src.publish(TestMedia.tracks(), PublishPolicy.REJECT, "test");
        Output push = src.addOutput(OutputConfig.of(URI.create("srt://127.0.0.1:" + port + "?latency=120&passphrase="
                + PASSPHRASE)).withReconnect(FAST));
        awaitState(push, ConnectionState.LIVE);
        send(pub, media, 0, 2000, true);
        RecordingSink.await(T, () -> sink.packets().stream().filter(p -> p.trackId() == videoId(sink)).count() >= 60,
                "2 s of video through the listener-mode input");
        assertEquals(StreamState.LIVE, in.state());
        List<TrackInfo> tracks = sink.trackUpdates().get(sink.trackUpdates().size() - 1);
        TrackInfo v = tracks.stream().filter(t -> t.mediaType() == MediaType.VIDEO).findFirst().orElseThrow();
        assertEquals(Codec.H264, v.codec());
        assertArrayEquals(TestMedia.AVCC, v.config().toByteArray());
        assertTrue(tracks.stream().anyMatch(t -> t.codec() == Codec.AAC), "AAC in " + tracks);
        RecordingSink.Received first = sink.packets().stream().filter(p -> p.trackId() == videoId(sink)).findFirst()
                .orElseThrow();
        assertTrue(first.keyframe(), "the first video packet is a keyframe");
        assertTrue(input.stats().packets() > 60, "the input counts what it receives: " + input.stats());

        assertEquals(SrtRejectReason.REJX_CONFLICT, refused(callers, port, null, PASSPHRASE).reason(),
                "a second publisher is refused while one is connected");
        assertEquals(ConnectionState.LIVE, push.state(), "the first publisher carries on");

        // the publisher leaves: the stream ends and the port waits for the next caller
        push.close();
        RecordingSink.await(T, () -> sink.unpublished() >= 1, "the stream to end with its caller");
        RecordingSink.await(T, () -> input.stats().connects() >= 2 && input.state() == ConnectionState.LIVE,
                "the input to listen again (" + input.stats() + ")");
        assertEquals("connection closed by the remote end", input.stats().lastError());
        SrtConnection next = call(callers, port, null, PASSPHRASE);
        assertTrue(next.isEncrypted());
        assertEquals(SrtRejectReason.REJX_CONFLICT, refused(callers, port, null, PASSPHRASE).reason());
        next.close();

        input.close();
        assertEquals(ConnectionState.CLOSED, input.state());
        SrtListenerTesting.awaitPortFree(port); // the input unbinds its port
        pub.close();
    }

    private static int videoId(RecordingSink sink) {
        List<List<TrackInfo>> updates = sink.trackUpdates();
        return updates.isEmpty()
                ? -1
                : updates.get(updates.size() - 1).stream().filter(t -> t.mediaType() == MediaType.VIDEO).mapToInt(
                        TrackInfo::id).findFirst().orElse(-1);
    }

    @Test
    void callersMustSendTheExpectedStreamIdAndPassphrase() throws Exception {
        int port = SrtListenerTesting.freePort();
        Input input = kit.stream("live/strict").addInput(InputConfig.of(URI.create("srt://127.0.0.1:" + port
                + "?mode=listener&streamid=publish:live/strict&passphrase=" + PASSPHRASE + "&pbkeylen=32"))
                .withReconnect(FAST));
        awaitState(input, ConnectionState.LIVE);
        assertEquals(SrtRejectReason.REJX_NOTFOUND, refused(callers, port, "publish:other", PASSPHRASE).reason());
        assertEquals(SrtRejectReason.BADSECRET, refused(callers, port, "publish:live/strict", "wrong-passphrase")
                .reason());
        assertEquals(SrtRejectReason.UNSECURE, refused(callers, port, "publish:live/strict", null).reason());
        SrtConnection c = call(callers, port, "publish:live/strict", PASSPHRASE);
        c.close();
    }

    @Test
    void aPortInUseIsReportedAndRetried() throws Exception {
        InetSocketAddress taken = new InetSocketAddress(InetAddress.getLoopbackAddress(), SrtListenerTesting
                .freePort());
        Input input;
        try (DatagramSocket s = new DatagramSocket(taken)) {
            assertTrue(s.isBound(), "someone else holds the port");
            input = kit.stream("live/busy").addInput(InputConfig.of(URI.create("srt://127.0.0.1:" + taken.getPort()
                    + "?mode=listener")).withReconnect(FAST));
            RecordingSink.await(T, () -> input.stats().attempts() >= 3, "three attempts");
            assertEquals("cannot bind SRT listener to 127.0.0.1:" + taken.getPort() + ": UDP port " + taken.getPort()
                    + " is already in use", input.stats().lastError());
            assertTrue(input.state() == ConnectionState.RETRYING || input.state() == ConnectionState.CONNECTING,
                    input.state().toString());
        }
        awaitState(input, ConnectionState.LIVE);
    }

    @Test
    void anInvalidUriFailsEveryAttemptWithItsMessage() {
        Input input = kit.stream("live/bad").addInput(InputConfig.of(URI.create(
                "srt://0.0.0.0:9000?mode=listener&pbkeylen=8")).withReconnect(FAST));
        RecordingSink.await(T, () -> input.stats().lastError() != null, "the error");
        assertEquals("SRT pbkeylen must be 16, 24 or 32 (bytes), got 8", input.stats().lastError());
    }
}
