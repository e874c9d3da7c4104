package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.StreamKit;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.relay.rtmp.RtmpServer;
import io.streamkit.relay.srt.SrtServer;
import io.streamkit.relay.srt.SrtStreamSettings;
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
 * SRT ↔ RTMP conversion through StreamKit, against Debian's FFmpeg (built with libsrt): FFmpeg
 * publishes over SRT and reads back over RTMP, and the reverse; per-stream passphrases.
 */
class SrtRelayInteropIT {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private Peers peers;
    private StreamKit kit;
    private int rtmpPort;
    private int srtPort;

    @BeforeEach
    void start() {
        peers = new Peers(dir);
        kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build();
        rtmpPort = RtmpServer.builder(kit).host("127.0.0.1").port(0).build().start().localAddress().getPort();
        srtPort = SrtServer.builder(kit).host("127.0.0.1").port(0).settings(path -> path.startsWith("secret/")
                ? SrtStreamSettings.DEFAULT.withPassphrase("0123456789abcdef").withKeyLength(32)
                : SrtStreamSettings.DEFAULT).build().start().localAddress().getPort();
    }

    @AfterEach
    void stop() {
        peers.close();
        kit.close();
    }

    private void assertMedia(Path file, double minSeconds) throws Exception {
        String probe = peers.probe(file);
        assertTrue(probe.contains("codec_name=h264|width=1280|height=720"), "H.264 1280x720 in " + probe);
        assertTrue(probe.contains("codec_name=aac"), "AAC in " + probe);
        Matcher m = Pattern.compile("duration=([0-9.]+)").matcher(probe);
        assertTrue(m.find(), "a duration in " + probe);
        assertTrue(Double.parseDouble(m.group(1)) >= minSeconds, "duration >= " + minSeconds + ": " + probe);
        assertEquals("", peers.decodeErrors(file), "FFmpeg decodes every frame without error");
    }

    private Process srtPublish(String name, int seconds, String srtUrl) throws Exception {
        return peers.start(name, List.of(Peers.require("ffmpeg"), "-hide_banner", "-loglevel", "warning", "-re", "-f",
                "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=48000", "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset",
                "veryfast", "-tune", "zerolatency", "-b:v", "2M", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-f", "mpegts", srtUrl));
    }

    @Test
    void srtInRtmpOut() throws Exception {
        Path out = dir.resolve("srt-to-rtmp.flv");
        Process player = peers.record("player", "rtmp://127.0.0.1:" + rtmpPort + "/live/srtin", out);
        RecordingSink.await(T, () -> kit.findStream("live/srtin").isPresent(), "the player to wait for live/srtin");
        Process publisher = srtPublish("publisher", 10, "srt://127.0.0.1:" + srtPort
                + "?mode=caller&pkt_size=1316&latency=200000&streamid=publish:live/srtin");
        assertEquals(0, Peers.await(publisher, T), () -> "publisher: " + log("publisher"));
        assertEquals(0, Peers.await(player, T), () -> "player: " + log("player"));
        assertMedia(out, 9.0);
    }

    @Test
    void rtmpInSrtOut() throws Exception {
        Path out = dir.resolve("rtmp-to-srt.ts");
        Process publisher = peers.publish("publisher", 12, "rtmp://127.0.0.1:" + rtmpPort + "/live/rtmpin");
        RecordingSink.await(T, () -> kit.findStream("live/rtmpin").map(s -> s.stats().keyframes() >= 1).orElse(false),
                "the RTMP publisher to go live");
        peers.run("reader", T, List.of(Peers.require("ffmpeg"), "-v", "error", "-y", "-i", "srt://127.0.0.1:" + srtPort
                + "?mode=caller&latency=200000&streamid=read:live/rtmpin", "-t", "6", "-c", "copy", out.toString()));
        assertMedia(out, 5.5);
        publisher.destroy();
    }

    @Test
    void srtInSrtOutPassesMpegTsThroughWhileRtmpPlayersGetFrames() throws Exception {
        Path rtmpOut = dir.resolve("srt-to-rtmp.flv");
        Path srtOut = dir.resolve("srt-to-srt.ts");
        Process player = peers.record("player", "rtmp://127.0.0.1:" + rtmpPort + "/live/pass", rtmpOut, 6);
        RecordingSink.await(T, () -> kit.findStream("live/pass").isPresent(), "the player to wait for live/pass");
        Process publisher = srtPublish("publisher", 12, "srt://127.0.0.1:" + srtPort
                + "?mode=caller&pkt_size=1316&latency=200000&streamid=publish:live/pass");
        // a late joiner: it starts from the pass-through cache (PAT, PMT, the last keyframe)
        RecordingSink.await(T, () -> kit.findStream("live/pass").map(s -> s.stats().keyframes() >= 2).orElse(false),
                "the SRT publisher to go live");
        peers.run("reader", T, List.of(Peers.require("ffmpeg"), "-v", "error", "-y", "-i", "srt://127.0.0.1:" + srtPort
                + "?mode=caller&latency=200000&streamid=read:live/pass", "-t", "6", "-c", "copy", srtOut.toString()));
        assertMedia(srtOut, 5.5);
        assertEquals(0, Peers.await(player, T), () -> "player: " + log("player"));
        assertMedia(rtmpOut, 5.5);
        assertEquals(0, Peers.await(publisher, T), () -> "publisher: " + log("publisher"));
    }

    @Test
    void perStreamPassphrase() throws Exception {
        Path out = dir.resolve("secret.flv");
        Process player = peers.record("player", "rtmp://127.0.0.1:" + rtmpPort + "/secret/show", out, 5);
        RecordingSink.await(T, () -> kit.findStream("secret/show").isPresent(), "the player");
        Process wrong = srtPublish("wrong", 3, "srt://127.0.0.1:" + srtPort
                + "?mode=caller&latency=200000&passphrase=not-the-right-one&pbkeylen=32&streamid=publish:secret/show");
        int wrongExit = Peers.await(wrong, T);
        assertTrue(wrongExit != 0, "a wrong passphrase is rejected: " + log("wrong"));
        Process publisher = srtPublish("publisher", 8, "srt://127.0.0.1:" + srtPort
                + "?mode=caller&latency=200000&passphrase=0123456789abcdef&pbkeylen=32&streamid=publish:secret/show");
        assertEquals(0, Peers.await(player, T), () -> "player: " + log("player"));
        publisher.destroy();
        assertMedia(out, 4.5);
    }

    private String log(String name) {
        try {
            return peers.log(name);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
