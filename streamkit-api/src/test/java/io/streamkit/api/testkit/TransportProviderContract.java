package io.streamkit.api.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.spi.TransportProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit every transport passes: extend it, implement {@link #provider()},
 * {@link #newEndpoint(StreamKit)} and {@link #unreachableUri()}, and the transport is held to
 * the same contract as StreamKit's own: media pushed through an output and pulled back through
 * an input arrives intact (bytes, timestamps, keyframes, codec configuration); a dead destination
 * retries with its error in the stats while other outputs stay live; enable/disable/close behave;
 * no payload leaks.
 */
public abstract class TransportProviderContract {
    /** Fast back-off for tests. */
    protected static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(500),
            2.0, 0.1);

    /**
     * A place the transport pushes to and pulls from.
     *
     * @param pushUri where an output sends
     * @param pullUri where an input reads what was sent to {@code pushUri}
     * @param resources closed after the test (servers started for it), may be {@code null}
     */
    public record Endpoint(URI pushUri, URI pullUri, AutoCloseable resources) {
    }

    /** The kit under test, with the provider registered explicitly. */
    protected StreamKit kit;
    /** Synthetic media with leak accounting. */
    protected TestMedia media;
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** @return the transport under test */
    protected abstract TransportProvider provider();

    /**
     * @param kit the kit under test (a server may be started on it)
     * @return an endpoint that accepts a push and serves it back
     * @throws Exception when it cannot be started
     */
    protected abstract Endpoint newEndpoint(StreamKit kit) throws Exception;

    /** @return a URI of the transport's scheme where nothing listens */
    protected abstract URI unreachableUri();

    /** @return how long media may take to go through */
    protected Duration timeout() {
        return Duration.ofSeconds(20);
    }

    @BeforeEach
    void createKit() {
        kit = StreamKit.builder().transport(provider()).publisherGracePeriod(Duration.ZERO).connectTimeout(Duration
                .ofSeconds(5)).build();
        media = new TestMedia();
    }

    @AfterEach
    void closeKit() throws Exception {
        try {
            for (AutoCloseable r : resources) {
                r.close();
            }
        } finally {
            kit.close();
        }
        RecordingSink.await(Duration.ofSeconds(10), () -> media.live() == 0, media.live()
                + " payloads still referenced after close (leak)");
    }

    private Endpoint endpoint() throws Exception {
        Endpoint e = newEndpoint(kit);
        if (e.resources() != null) {
            resources.add(e.resources());
        }
        return e;
    }

    private static void awaitState(io.streamkit.api.Endpoint e, ConnectionState state, Duration timeout) {
        RecordingSink.await(timeout, () -> e.state() == state, e + " to become " + state + " (is " + e.state()
                + ", last error " + e.stats().lastError() + ")");
    }

    @Test
    void pushedMediaComesBackIntact() throws Exception {
        Endpoint ep = endpoint();
        Stream src = kit.stream("contract/src");
        Publisher pub = src.publish(TestMedia.tracks(), PublishPolicy.REJECT, "test");
        Output out = src.addOutput(OutputConfig.of(ep.pushUri()).withReconnect(FAST));
        awaitState(out, ConnectionState.LIVE, timeout());

        Stream dst = kit.stream("contract/dst");
        RecordingSink sink = new RecordingSink();
        dst.subscribe(sink, SubscribeOptions.on(Runnable::run));
        Input in = dst.addInput(InputConfig.of(ep.pullUri()).withReconnect(FAST));
        awaitState(in, ConnectionState.LIVE, timeout());

        // 3 s at 30 fps with a keyframe every second, and AAC frames every ~21 ms, interleaved by time
        List<long[]> sentVideo = new ArrayList<>();
        List<Long> sentAudio = new ArrayList<>();
        long audioT = 0;
        for (int frame = 0; frame < 90; frame++) {
            long t = frame * 1000L / 30;
            while (audioT <= t) {
                pub.send(media.audio(audioT, 200 + (int) (audioT % 50)));
                sentAudio.add(audioT);
                audioT += 21;
            }
            boolean key = frame % 30 == 0;
            int size = key ? 20_000 : 1_000 + frame * 37;
            pub.send(media.video(t, key, size));
            sentVideo.add(new long[]{t, key ? 1 : 0, size});
        }
        RecordingSink.await(timeout(), () -> sink.packets().stream().filter(p -> p.trackId() == 0)
                .count() >= sentVideo.size(), "all " + sentVideo.size() + " video frames to come back (got "
                        + sink.packets().stream().filter(p -> p.trackId() == 0).count() + ")");

        List<RecordingSink.Received> video = sink.packets().stream().filter(p -> p.trackId() == 0).toList();
        assertTrue(video.get(0).keyframe(), "the first video packet pulled back is a keyframe");
        long base = video.get(0).dtsMillis();
        for (int i = 0; i < sentVideo.size(); i++) {
            long[] s = sentVideo.get(i);
            RecordingSink.Received r = video.get(i);
            assertEquals(s[0], r.dtsMillis() - base, "dts of video frame " + i);
            assertEquals(s[1] == 1, r.keyframe(), "keyframe flag of video frame " + i);
            TestMedia check = new TestMedia();
            var expected = check.video(s[0], s[1] == 1, (int) s[2]);
            assertArrayEquals(expected.payload().toByteArray(), r.bytes(), "payload of video frame " + i);
            expected.release();
        }
        List<RecordingSink.Received> audio = sink.packets().stream().filter(p -> p.trackId() == 1).toList();
        assertFalse(audio.isEmpty(), "audio came back");
        for (RecordingSink.Received a : audio) {
            long t = a.dtsMillis() - base;
            assertTrue(sentAudio.contains(t), "audio at " + t + " ms was sent");
            TestMedia check = new TestMedia();
            var expected = check.audio(t, 200 + (int) (t % 50));
            assertArrayEquals(expected.payload().toByteArray(), a.bytes(), "payload of audio at " + t);
            expected.release();
        }
        List<TrackInfo> tracks = sink.trackUpdates().get(sink.trackUpdates().size() - 1);
        TrackInfo v = tracks.stream().filter(t -> t.mediaType() == MediaType.VIDEO).findFirst().orElseThrow();
        TrackInfo a = tracks.stream().filter(t -> t.mediaType() == MediaType.AUDIO).findFirst().orElseThrow();
        assertEquals(Codec.H264, v.codec());
        assertArrayEquals(TestMedia.AVCC, v.config().toByteArray(), "H.264 configuration");
        assertEquals(Codec.AAC, a.codec());
        assertArrayEquals(TestMedia.ASC, a.config().toByteArray(), "AAC configuration");
        // the audio frame at 0 ms precedes the first keyframe, so the output (which starts at a keyframe) skips it
        assertEquals(sentVideo.size() + sentAudio.size() - 1, out.stats().packets(), "packets counted by the output");
        pub.close();
    }

    @Test
    void deadDestinationRetriesWhileOthersStayLive() throws Exception {
        Endpoint ep = endpoint();
        Stream src = kit.stream("contract/src2");
        Publisher pub = src.publish(TestMedia.tracks(), PublishPolicy.REJECT, "test");
        Output dead = src.addOutput(OutputConfig.of(unreachableUri()).withReconnect(FAST));
        Output good = src.addOutput(OutputConfig.of(ep.pushUri()).withReconnect(FAST));
        awaitState(good, ConnectionState.LIVE, timeout());
        RecordingSink.await(timeout(), () -> dead.stats().attempts() >= 3, "three attempts on the dead output");
        assertNotNull(dead.stats().lastError(), "the dead output reports its last error");
        assertTrue(dead.state() == ConnectionState.RETRYING || dead.state() == ConnectionState.CONNECTING,
                "dead output keeps retrying, is " + dead.state());
        for (int i = 0; i < 30; i++) {
            pub.send(media.video(i * 33L, i == 0, 500));
        }
        RecordingSink.await(timeout(), () -> good.stats().packets() >= 30, "the good output carries on");
        assertEquals(ConnectionState.LIVE, good.state());
        pub.close();
    }

    @Test
    void disableEnableAndCloseAreIdempotent() throws Exception {
        Endpoint ep = endpoint();
        Stream src = kit.stream("contract/src3");
        Publisher pub = src.publish(TestMedia.tracks(), PublishPolicy.REJECT, "test");
        Output out = src.addOutput(OutputConfig.of(ep.pushUri()).withReconnect(FAST));
        awaitState(out, ConnectionState.LIVE, timeout());
        out.disable();
        out.disable();
        assertEquals(ConnectionState.STOPPED, out.state());
        assertFalse(out.isEnabled());
        out.enable();
        awaitState(out, ConnectionState.LIVE, timeout());
        out.close();
        out.close();
        assertTrue(out.closeAsync().isDone(), "closeAsync after close is complete");
        assertEquals(ConnectionState.CLOSED, out.state());
        assertTrue(src.outputs().isEmpty(), "a closed output is removed from its stream");
        pub.close();
    }
}
