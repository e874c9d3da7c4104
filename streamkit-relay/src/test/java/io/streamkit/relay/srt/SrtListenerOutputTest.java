package io.streamkit.relay.srt;

import static io.streamkit.relay.srt.SrtListenerTesting.PASSPHRASE;
import static io.streamkit.relay.srt.SrtListenerTesting.T;
import static io.streamkit.relay.srt.SrtListenerTesting.awaitState;
import static io.streamkit.relay.srt.SrtListenerTesting.call;
import static io.streamkit.relay.srt.SrtListenerTesting.refused;
import static io.streamkit.relay.srt.SrtListenerTesting.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.streamkit.api.Codec;
import io.streamkit.api.ConnectionState;
import io.streamkit.api.MediaType;
import io.streamkit.api.Output;
import io.streamkit.api.OutputConfig;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Publisher;
import io.streamkit.api.ReconnectPolicy;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
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

/** Listener-mode outputs: callers pull the stream, from a keyframe, within limits, and the port follows the output. */
class SrtListenerOutputTest {
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

    private Output listen(Stream stream, String query) throws Exception {
        int port = SrtListenerTesting.freePort();
        Output out = stream.addOutput(OutputConfig.of(URI.create("srt://127.0.0.1:" + port + "?mode=listener"
                + query)).withReconnect(FAST));
        awaitState(out, ConnectionState.LIVE);
        return out;
    }

    private static int port(Output out) {
        return out.uri().getPort();
    }

    @Test
    void callersPullTheStreamFromAKeyframe() throws Exception {
        Stream show = kit.stream("live/show");
        Publisher pub = show.publish(TestMedia.tracks(), PublishPolicy.REJECT, "test");
        send(pub, media, 0, 1500, false); // keyframes at 0 and 1000 ms before anyone calls
        Output out = listen(show, "&latency=120&passphrase=" + PASSPHRASE + "&maxcallers=2");
        assertEquals(ConnectionState.LIVE, out.state(), "live while bound, before any caller");
        assertEquals(SrtRejectReason.BADSECRET, refused(callers, port(out), null, "not-the-passphrase").reason());
        assertEquals(SrtRejectReason.UNSECURE, refused(callers, port(out), null, null).reason());

        SrtConnection a = call(callers, port(out), null, PASSPHRASE);
        SrtConnection b = call(callers, port(out), "anything", PASSPHRASE);
        assertTrue(a.isEncrypted());
        assertEquals(Duration.ofMillis(120), a.latency());
        SrtListenerTesting.Pulled pa = new SrtListenerTesting.Pulled().attach(a);
        SrtListenerTesting.Pulled pb = new SrtListenerTesting.Pulled().attach(b);
        send(pub, media, 1500, 3000, true);
        // from the cached group of pictures (the keyframe at 1000 ms) to 3000 ms: 60 frames
        RecordingSink.await(T, () -> pa.video().size() >= 60 && pb.video().size() >= 60,
                "both callers to get 2 s of video (got " + pa.video().size() + ", " + pb.video().size() + ")");

        for (SrtListenerTesting.Pulled p : List.of(pa, pb)) {
            List<SrtListenerTesting.Pulled.Got> video = p.video();
            assertTrue(video.get(0).keyframe(), "a caller starts at a keyframe: " + video.get(0));
            assertEquals(60, video.size(), "every frame from the keyframe at 1000 ms on, once");
            assertTrue(video.get(30).keyframe(), "the next keyframe a second later");
            assertEquals(1000, video.get(30).dtsMillis() - video.get(0).dtsMillis(), 1.0, "30 fps timing");
            assertFalse(p.audio().isEmpty(), "audio too");
            TrackInfo v = p.lastTracks().stream().filter(t -> t.mediaType() == MediaType.VIDEO).findFirst()
                    .orElseThrow();
            assertEquals(Codec.H264, v.codec());
            assertEquals(640, v.width());
            assertEquals(360, v.height());
            assertTrue(p.lastTracks().stream().anyMatch(t -> t.codec() == Codec.AAC), "AAC in " + p.lastTracks());
        }

        assertEquals(SrtRejectReason.REJX_OVERLOAD, refused(callers, port(out), null, PASSPHRASE).reason(),
                "a third caller is beyond maxcallers=2");

        a.close();
        RecordingSink.await(T, () -> {
            try {
                call(callers, port(out), null, PASSPHRASE).close();
                return true;
            } catch (Exception e) {
                return false;
            }
        }, "a caller's slot to free up when it leaves");

        out.close();
        b.closeFuture().get(5, TimeUnit.SECONDS); // the output sent a shutdown
        SrtListenerTesting.awaitPortFree(port(out)); // the output unbinds its port
        pub.close();
    }

    @Test
    void onlyTheExpectedStreamIdIsServed() throws Exception {
        Stream show = kit.stream("live/id");
        Publisher pub = show.publish(TestMedia.tracks(), PublishPolicy.REJECT, "test");
        Output out = listen(show, "&streamid=read:live/id");
        assertEquals(SrtRejectReason.REJX_NOTFOUND, refused(callers, port(out), "read:other", null).reason());
        assertEquals(SrtRejectReason.REJX_NOTFOUND, refused(callers, port(out), null, null).reason());
        SrtConnection c = call(callers, port(out), "read:live/id", null);
        assertEquals("read:live/id", c.streamId());
        c.close();
        pub.close();
    }

    @Test
    void thePortIsBoundOnlyWhileTheStreamIsPublished() throws Exception {
        Stream show = kit.stream("live/again");
        Publisher pub = show.publish(TestMedia.tracks(), PublishPolicy.REJECT, "first");
        Output out = listen(show, "");
        SrtConnection c = call(callers, port(out), null, null);
        pub.close();
        awaitState(out, ConnectionState.WAITING);
        assertEquals(null, c.closeFuture().get(5, TimeUnit.SECONDS), "the caller got a shutdown");

        Publisher again = show.publish(TestMedia.tracks(), PublishPolicy.REJECT, "second");
        awaitState(out, ConnectionState.LIVE);
        SrtConnection c2 = call(callers, port(out), null, null);
        SrtListenerTesting.Pulled pulled = new SrtListenerTesting.Pulled().attach(c2);
        send(again, media, 0, 1000, true);
        RecordingSink.await(T, () -> pulled.video().size() >= 20, "the caller of the new session to get video");
        c2.close();
        again.close();
    }

    @Test
    void aPortInUseIsReportedAndRetried() throws Exception {
        Stream show = kit.stream("live/busy");
        Publisher pub = show.publish(TestMedia.tracks(), PublishPolicy.REJECT, "test");
        InetSocketAddress taken = new InetSocketAddress(InetAddress.getLoopbackAddress(), SrtListenerTesting
                .freePort());
        Output out;
        try (DatagramSocket s = new DatagramSocket(taken)) {
            assertTrue(s.isBound(), "someone else holds the port");
            out = show.addOutput(OutputConfig.of(URI.create("srt://127.0.0.1:" + taken.getPort()
                    + "?mode=listener")).withReconnect(FAST));
            RecordingSink.await(T, () -> out.stats().attempts() >= 3, "three attempts");
            ConnectionState state = out.state(); // read once: it moves between attempts
            assertTrue(state == ConnectionState.RETRYING || state == ConnectionState.CONNECTING, state.toString());
            assertEquals("cannot bind SRT listener to 127.0.0.1:" + taken.getPort() + ": UDP port " + taken.getPort()
                    + " is already in use", out.stats().lastError());
        }
        awaitState(out, ConnectionState.LIVE);
        call(callers, taken.getPort(), null, null).close();
        pub.close();
    }
}
