package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.ConnectionState;
import io.streamkit.api.InputConfig;
import io.streamkit.api.Output;
import io.streamkit.api.OutputConfig;
import io.streamkit.api.ReconnectPolicy;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.relay.rtmp.RtmpServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StreamKit's RTMP relay against peers nobody here wrote: FFmpeg (Debian's ffmpeg/ffprobe) as
 * publisher and player, and nginx with the RTMP module as a remote server to push to and pull
 * from. Each test checks what came out: codecs, resolution, duration, frames decoded.
 */
class RtmpInteropIT {
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(200), Duration.ofSeconds(1),
            2.0, 0.1);
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private Peers peers;
    private StreamKit kit;
    private RtmpServer server;
    private int port;

    @BeforeEach
    void start() {
        peers = new Peers(dir);
        kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build();
        server = RtmpServer.builder(kit).host("127.0.0.1").port(0).build().start();
        port = server.localAddress().getPort();
    }

    @AfterEach
    void stop() {
        peers.close();
        kit.close();
    }

    private String sk(String path) {
        return "rtmp://127.0.0.1:" + port + "/" + path;
    }

    /** Asserts H.264 1280x720 + AAC and at least {@code minSeconds} of media, decoded without error. */
    private void assertMedia(Path file, double minSeconds) throws Exception {
        String probe = peers.probe(file);
        assertTrue(probe.contains("codec_name=h264|width=1280|height=720"), "H.264 1280x720 in " + probe);
        assertTrue(probe.contains("codec_name=aac"), "AAC in " + probe);
        Matcher m = Pattern.compile("duration=([0-9.]+)").matcher(probe);
        assertTrue(m.find(), "a duration in " + probe);
        double duration = Double.parseDouble(m.group(1));
        assertTrue(duration >= minSeconds, "duration " + duration + " s >= " + minSeconds + " s");
        assertEquals("", peers.decodeErrors(file), "FFmpeg decodes every frame without error");
    }

    @Test
    void ffmpegPublishesAndFfmpegPlaysBack() throws Exception {
        Path out = dir.resolve("playback.flv");
        Process player = peers.record("player", sk("live/one"), out);
        RecordingSink.await(T, () -> server.stats().players() == 1, "the player to connect");
        Process publisher = peers.publish("publisher", 10, sk("live/one"));
        assertEquals(0, Peers.await(publisher, T), () -> "publisher failed: " + log("publisher"));
        assertEquals(0, Peers.await(player, T), () -> "player failed: " + log("player"));
        assertMedia(out, 9.0);
    }

    @Test
    void pushesToNginxAndFfmpegReadsFromNginx() throws Exception {
        int nginxPort = Peers.freePort();
        peers.nginxRtmp("nginx", nginxPort);
        Peers.awaitPort(nginxPort, T);
        Stream s = kit.stream("live/two");
        Output out = s.addOutput(OutputConfig.of(URI.create("rtmp://127.0.0.1:" + nginxPort + "/live/two"))
                .withReconnect(FAST));
        Path file = dir.resolve("from-nginx.flv");
        // nginx-rtmp does not tell players that the publisher left: read a fixed duration
        Process player = peers.record("player", "rtmp://127.0.0.1:" + nginxPort + "/live/two", file, 9.2);
        Thread.sleep(500);
        Process publisher = peers.publish("publisher", 10, sk("live/two"));
        RecordingSink.await(T, () -> out.state() == ConnectionState.LIVE, "the push to nginx to go live");
        assertEquals(0, Peers.await(publisher, T), () -> "publisher failed: " + log("publisher"));
        assertEquals(0, Peers.await(player, T), () -> "player failed: " + log("player"));
        assertMedia(file, 9.0);
        assertTrue(out.stats().bytes() > 1_000_000, "the output counted its bytes: " + out.stats());
    }

    @Test
    void pullsFromNginxAndServesItAgain() throws Exception {
        int nginxPort = Peers.freePort();
        peers.nginxRtmp("nginx", nginxPort);
        Peers.awaitPort(nginxPort, T);
        Path file = dir.resolve("re-served.flv");
        Process player = peers.record("player", sk("pulled/three"), file, 9.0);
        RecordingSink.await(T, () -> server.stats().players() == 1, "the player to connect");
        kit.stream("pulled/three").addInput(InputConfig.of(URI.create("rtmp://127.0.0.1:" + nginxPort
                + "/live/three")).withReconnect(FAST));
        Thread.sleep(500);
        Process publisher = peers.publish("publisher", 10, "rtmp://127.0.0.1:" + nginxPort + "/live/three");
        assertEquals(0, Peers.await(publisher, T), () -> "publisher failed: " + log("publisher"));
        assertEquals(0, Peers.await(player, T), () -> "player failed: " + log("player"));
        assertMedia(file, 8.5);
    }

    @Test
    void rtmpsPublishAndPlay() throws Exception {
        RtmpServer tls = RtmpServer.builder(kit).host("127.0.0.1").port(0).tlsSelfSigned().build().start();
        String url = "rtmps://127.0.0.1:" + tls.localAddress().getPort() + "/secure/four";
        Path file = dir.resolve("rtmps.flv");
        Process player = peers.record("player", url, file);
        RecordingSink.await(T, () -> tls.stats().players() == 1, "the RTMPS player to connect");
        Process publisher = peers.publish("publisher", 10, url);
        assertEquals(0, Peers.await(publisher, T), () -> "publisher failed: " + log("publisher"));
        assertEquals(0, Peers.await(player, T), () -> "player failed: " + log("player"));
        assertMedia(file, 9.0);
    }

    @Test
    void deadDestinationRetriesWhileOthersStayLiveAndRecoversWhenItComesUp() throws Exception {
        int livePort = Peers.freePort();
        int laterPort = Peers.freePort();
        peers.nginxRtmp("nginx-up", livePort);
        Peers.awaitPort(livePort, T);
        Stream s = kit.stream("live/five");
        Output up = s.addOutput(OutputConfig.of(URI.create("rtmp://127.0.0.1:" + livePort + "/live/five"))
                .withReconnect(FAST));
        Output down = s.addOutput(OutputConfig.of(URI.create("rtmp://127.0.0.1:" + laterPort + "/live/five"))
                .withReconnect(FAST));
        Process publisher = peers.publish("publisher", 25, sk("live/five"));
        RecordingSink.await(T, () -> up.state() == ConnectionState.LIVE, "the reachable output to go live");
        RecordingSink.await(T, () -> down.stats().attempts() >= 3, "the dead output to retry");
        assertNotNull(down.stats().lastError(), "the dead output reports why");
        assertEquals(ConnectionState.LIVE, up.state(), "the other output is untouched");
        long before = up.stats().bytes();
        Thread.sleep(1000);
        assertTrue(up.stats().bytes() > before, "the live output keeps sending");

        peers.nginxRtmp("nginx-later", laterPort);
        RecordingSink.await(T, () -> down.state() == ConnectionState.LIVE, "the recovered output to go live");
        Path file = dir.resolve("recovered.flv");
        peers.run("late-reader", T, List.of(Peers.require("ffmpeg"), "-v", "error", "-y", "-i", "rtmp://127.0.0.1:"
                + laterPort + "/live/five", "-t", "3", "-c", "copy", file.toString()));
        String probe = peers.probe(file);
        assertTrue(probe.contains("codec_name=h264|width=1280|height=720"), "the recovered output carries video: "
                + probe);
        publisher.destroy();
    }

    @Test
    void playerJoiningMidStreamStartsAtAKeyframe() throws Exception {
        Process publisher = peers.publish("publisher", 12, sk("live/six"));
        RecordingSink.await(T, () -> kit.findStream("live/six").map(st -> st.stats().keyframes() >= 2).orElse(false),
                "two GOPs to be published");
        Thread.sleep(700); // join in the middle of a GOP
        String packets = peers.run("ffprobe-packets", T, List.of(Peers.require("ffprobe"), "-v", "error",
                "-select_streams", "v", "-show_entries", "packet=pts_time,flags", "-read_intervals", "%+#5", "-of",
                "csv=p=0", sk("live/six")));
        String first = packets.lines().filter(l -> !l.isBlank()).findFirst().orElseThrow();
        assertTrue(first.contains("K"), "the first video packet a mid-stream player receives is a keyframe: "
                + packets);
        publisher.destroy();
    }

    private String log(String name) {
        try {
            return peers.log(name);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
