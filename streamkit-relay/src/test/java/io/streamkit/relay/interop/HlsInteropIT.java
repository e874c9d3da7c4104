package io.streamkit.relay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.StreamKit;
import io.streamkit.api.StreamState;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.relay.hls.HlsFormat;
import io.streamkit.relay.hls.HlsOptions;
import io.streamkit.relay.hls.HlsServer;
import io.streamkit.relay.hls.HlsStats;
import io.streamkit.relay.rtmp.RtmpServer;
import io.streamkit.relay.srt.SrtServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live HLS checked by FFmpeg: Debian's ffmpeg publishes 12 s of 1280x720 H.264 + AAC over RTMP,
 * an {@link HlsServer} packages it on demand, ffprobe finds the codecs and the picture size, and
 * ffmpeg reads the live playlist from the start of its window to {@code EXT-X-ENDLIST}, decoding
 * every frame of every segment without an error, in fMP4, MPEG-TS and low-latency mode (where the
 * partial segments of a segment, after the initialization segment, must decode as well); and
 * H.265 published over SRT, in fMP4 and MPEG-TS.
 */
class HlsInteropIT {
    private static final Duration T = Duration.ofSeconds(90);
    private static final Pattern FRAME = Pattern.compile("(?m)^(\\d+),");

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
        srtPort = SrtServer.builder(kit).host("127.0.0.1").port(0).build().start().localAddress().getPort();
    }

    @AfterEach
    void stop() {
        peers.close();
        kit.close();
    }

    @Test
    void fmp4() throws Exception {
        play(HlsOptions.defaults(), ".m4s", false);
    }

    @Test
    void mpegTs() throws Exception {
        play(HlsOptions.defaults().withFormat(HlsFormat.MPEG_TS), ".ts", false);
    }

    @Test
    void lowLatency() throws Exception {
        play(HlsOptions.defaults().withLowLatency(true), ".m4s", false);
    }

    @Test
    void hevcFmp4() throws Exception {
        play(HlsOptions.defaults(), ".m4s", true);
    }

    @Test
    void hevcMpegTs() throws Exception {
        play(HlsOptions.defaults().withFormat(HlsFormat.MPEG_TS), ".ts", true);
    }

    /** FFmpeg publishing 12 s of 1280x720 30 fps H.265 + AAC over SRT in real time. */
    private Process publishHevc() throws Exception {
        return peers.start("publisher", List.of(Peers.require("ffmpeg"), "-hide_banner", "-loglevel", "warning", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=48000", "-t", "12", "-c:v", "libx265", "-preset", "ultrafast",
                "-x265-params", "log-level=error:keyint=60:min-keyint=60:scenecut=0", "-b:v", "1M", "-pix_fmt",
                "yuv420p", "-c:a", "aac", "-f", "mpegts", "srt://127.0.0.1:" + srtPort
                        + "?mode=caller&pkt_size=1316&latency=200000&streamid=publish:live/show"));
    }

    private void play(HlsOptions options, String extension, boolean hevc) throws Exception {
        HlsServer hls = HlsServer.builder(kit).host("127.0.0.1").port(0).options(options).build().start();
        String base = "http://127.0.0.1:" + hls.localAddress().getPort() + "/live/show/";
        String codec = hevc ? "hevc" : "h264";
        Process publisher = hevc
                ? publishHevc()
                : peers.publish("publisher", 12, "rtmp://127.0.0.1:" + rtmpPort + "/live/show");
        RecordingSink.await(T, () -> kit.findStream("live/show").map(s -> s.state() == StreamState.LIVE).orElse(
                false), "the RTMP publish");

        // the first request starts the packager and waits for its first segment
        String probe = peers.run("ffprobe", T, List.of(Peers.require("ffprobe"), "-v", "error", "-show_entries",
                "stream=codec_name,width,height", "-of", "compact", base + "index.m3u8"));
        assertTrue(probe.contains("codec_name=" + codec + "|width=1280|height=720"), codec + " 1280x720 in " + probe);
        assertTrue(probe.contains("codec_name=aac"), "AAC in " + probe);
        String index = get(base + "index.m3u8");
        assertTrue(index.contains(hevc ? "CODECS=\"hvc1." : "CODECS=\"avc1.64"), index);
        assertTrue(index.contains("mp4a.40.2\",RESOLUTION=1280x720"), index);

        Path crc = dir.resolve("frames.crc");
        Process player = peers.start("player", List.of(Peers.require("ffmpeg"), "-hide_banner", "-v", "error", "-y",
                "-live_start_index", "0", "-i", base + "index.m3u8", "-map", "0:v:0", "-map", "0:a:0", "-f",
                "framecrc", crc.toString()));
        Path parts = options.lowLatency() ? partsOfOneSegment(base) : null;

        assertEquals(0, Peers.await(publisher, T), () -> "publisher failed: " + log("publisher"));
        assertEquals(0, Peers.await(player, T), () -> "player failed: " + log("player"));
        assertEquals("", peers.log("player").strip(), "FFmpeg reads and decodes every segment without an error");
        int[] frames = count(Files.readString(crc));
        assertTrue(frames[0] >= 200, "video frames decoded: " + frames[0]);
        assertTrue(frames[1] >= 300, "audio frames decoded: " + frames[1]);
        String header = Files.readString(crc);
        assertTrue(header.contains("#dimensions 0: 1280x720"), "decoded 1280x720");

        HlsStats stats = hls.stats("live/show").orElseThrow();
        assertTrue(stats.ended(), "the playlist ended with the publisher: " + stats);
        assertTrue(stats.segments() >= 4, stats.toString());
        String media = get(base + "stream.m3u8");
        assertTrue(media.contains("#EXT-X-ENDLIST"), media);
        for (String line : media.split("\n")) {
            if (!line.startsWith("#")) {
                assertTrue(line.endsWith(extension), line);
            }
        }
        if (parts != null) {
            assertEquals("", peers.decodeErrors(parts), "init + the parts of a segment decode");
            String partsProbe = peers.probe(parts);
            assertTrue(partsProbe.contains("codec_name=" + codec + "|width=1280|height=720"), partsProbe);
        }
    }

    /** Low-latency: downloads the init segment and every part of the first complete segment listed with parts. */
    private Path partsOfOneSegment(String base) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Path out = dir.resolve("parts.mp4");
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            String media = get(base + "stream.m3u8");
            List<String> partUris = new ArrayList<>();
            String init = null;
            for (String line : media.split("\n")) {
                Matcher map = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"").matcher(line);
                if (map.matches()) {
                    init = map.group(1);
                }
                Matcher part = Pattern.compile("#EXT-X-PART:.*URI=\"([^\"]+)\".*").matcher(line);
                if (part.matches()) {
                    partUris.add(part.group(1));
                } else if (!line.startsWith("#") && !partUris.isEmpty()) {
                    // the parts just before a segment URI make up that segment
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    bytes.write(http.send(HttpRequest.newBuilder(URI.create(base + init)).build(),
                            HttpResponse.BodyHandlers.ofByteArray()).body());
                    for (String p : partUris) {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + p)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        assertEquals(200, r.statusCode(), p);
                        assertEquals("video/mp4", r.headers().firstValue("content-type").orElse(""));
                        bytes.write(r.body());
                    }
                    Files.write(out, bytes.toByteArray());
                    return out;
                } else if (!line.startsWith("#")) {
                    partUris.clear();
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no segment listed with its parts");
    }

    private static String get(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r.body();
    }

    /** @return frames of stream 0 (video) and 1 (audio) in a framecrc file */
    private static int[] count(String framecrc) {
        int[] n = new int[2];
        Matcher m = FRAME.matcher(framecrc);
        while (m.find()) {
            int stream = Integer.parseInt(m.group(1));
            if (stream < 2) {
                n[stream]++;
            }
        }
        return n;
    }

    private String log(String name) {
        try {
            return peers.log(name);
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
