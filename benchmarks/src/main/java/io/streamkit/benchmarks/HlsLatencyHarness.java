package io.streamkit.benchmarks;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.MediaType;
import io.streamkit.api.StreamKit;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.hls.HlsOptions;
import io.streamkit.relay.hls.HlsServer;
import io.streamkit.relay.rtmp.RtmpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load harness: glass-to-playlist latency of live HLS, the time from when the first frame of a
 * segment (or of a low-latency part) entered the stream to when a client polling the playlist
 * first sees that segment (or part) listed.
 *
 * <p>One Debian FFmpeg encodes a 1280x720 30 fps H.264 + AAC test signal in real time ({@code -re},
 * x264 {@code zerolatency}, GOP exactly 1 s) and, through its {@code tee} muxer (no re-encoding,
 * the same packets at the same moment), sends it both over RTMP to a {@link StreamKit} in this JVM
 * and to FFmpeg's own HLS muxer ({@code -f hls -hls_time 2}, MPEG-TS segments, playlist on disk),
 * the anchor. The kit serves the stream with two {@link HlsServer}s: regular HLS (fMP4, 2 s target)
 * and low-latency HLS (fMP4, 2 s target, 300 ms parts). A sink subscribed to the kit's stream before
 * the publisher arrives stamps every video frame when it enters the stream.
 *
 * <p>Clients, all in this JVM, on 127.0.0.1:
 *
 * <ul>
 *   <li>regular HLS (StreamKit over HTTP, FFmpeg on disk): a player-like poll every target
 *       duration / 2 = 1 s (each interval drawn from 0.75 to 1.25 s, so the poll phase does not stay
 *       locked to the 2 s segment cadence), and an edge poll every 20 ms that shows when the server
 *       lists a segment, whatever the client;</li>
 *   <li>low-latency HLS: blocking playlist reload, each request asking with
 *       {@code _HLS_msn}/{@code _HLS_part} for the part the last response hinted.</li>
 * </ul>
 *
 * <p>A listed item's first frame: FFmpeg's segment N starts at the sum of the {@code EXTINF} of
 * segments 0 to N-1 (its playlist keeps every segment); StreamKit's segment starts at the keyframe
 * whose arrival is nearest its {@code EXT-X-PROGRAM-DATE-TIME} (keyframes are 1 s apart, so the date
 * only picks one), its part I at that keyframe plus the durations of parts 0 to I-1. Positions are
 * rounded to whole frames and checked to start on keyframes (segments) or frames (parts). Items
 * whose first frame entered in the first 5 s are left out (JIT warm-up).
 */
public final class HlsLatencyHarness {
    private static final Logger log = LoggerFactory.getLogger(HlsLatencyHarness.class);
    private static final int FPS = 30;
    private static final int GOP = 30;
    private static final long FRAME_NANOS = 1_000_000_000L / FPS;
    private static final int WARMUP_FRAMES = 5 * FPS;
    private static final String PATH = "live/bench";
    private static final Duration HLS_TIME = Duration.ofSeconds(2);
    private static final Duration PART = Duration.ofMillis(300);
    private static final long EDGE_POLL_MILLIS = 20;
    private static final Pattern PART_TAG = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+),URI=\"part(\\d+)\\.(\\d+)"
            + "\\.m4s\".*");
    private static final Pattern HINT = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part(\\d+)\\.(\\d+)"
            + "\\.m4s\"");

    private HlsLatencyHarness() {
    }

    /**
     * Publishes for {@code seconds}, measures every client and logs the table.
     *
     * @param seconds how long the stream runs, at least 20
     * @throws Exception when a peer fails
     */
    static void run(int seconds) throws Exception {
        if (seconds < 20) {
            throw new IllegalArgumentException("run at least 20 s, was " + seconds);
        }
        if (!Files.isExecutable(Path.of("/usr/bin/ffmpeg"))) {
            throw new IllegalStateException("/usr/bin/ffmpeg is missing: apt-get install -y ffmpeg");
        }
        Path dir = Files.createTempDirectory("hls-latency");
        log.info("HLS latency harness: {} s of 720p30 H.264 (GOP {} frames) + AAC; FFmpeg's HLS output and log in {}",
                seconds, GOP, dir);
        Ingest ingest = new Ingest((seconds + 30) * FPS);
        List<Poller> pollers = new ArrayList<>();
        Process ffmpeg = null;
        try (StreamKit kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build()) {
            RtmpServer rtmp = RtmpServer.builder(kit).host("127.0.0.1").port(0).build().start();
            HlsServer hls = HlsServer.builder(kit).host("127.0.0.1").port(0).options(HlsOptions.defaults()
                    .withSegmentDuration(HLS_TIME).withAlwaysOn(true)).build().start();
            HlsServer ll = HlsServer.builder(kit).host("127.0.0.1").port(0).options(HlsOptions.defaults()
                    .withSegmentDuration(HLS_TIME).withPartDuration(PART).withLowLatency(true).withAlwaysOn(true))
                    .build().start();
            kit.stream(PATH).subscribe(ingest, SubscribeOptions.on(Runnable::run).withGopCache(false).withLabel(
                    "ingest clock"));

            Path ffmpegPlaylist = dir.resolve("index.m3u8");
            String hlsBase = "http://127.0.0.1:" + hls.localAddress().getPort() + "/" + PATH + "/stream.m3u8";
            String llBase = "http://127.0.0.1:" + ll.localAddress().getPort() + "/" + PATH + "/stream.m3u8";
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 6);
            pollers.add(new Poller("StreamKit HLS, poll 1 s", ingest, end, http(hlsBase), HlsLatencyHarness::streamKit,
                    true));
            pollers.add(new Poller("FFmpeg hls, poll 1 s", ingest, end, file(ffmpegPlaylist), HlsLatencyHarness::ffmpeg,
                    true));
            pollers.add(
                    new Poller("StreamKit HLS, poll 20 ms", ingest, end, http(hlsBase), HlsLatencyHarness::streamKit,
                            false));
            pollers.add(new Poller("FFmpeg hls, poll 20 ms", ingest, end, file(ffmpegPlaylist),
                    HlsLatencyHarness::ffmpeg, false));
            BlockingReload blocking = new BlockingReload("StreamKit LL-HLS, blocking reload", ingest, end, llBase);
            pollers.add(blocking);

            String rtmpUrl = "rtmp://127.0.0.1:" + rtmp.localAddress().getPort() + "/" + PATH;
            ffmpeg = new ProcessBuilder("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "warning", "-re", "-f",
                    "lavfi", "-i", "testsrc2=size=1280x720:rate=" + FPS, "-f", "lavfi", "-i",
                    "sine=frequency=1000:sample_rate=48000", "-t", String.valueOf(seconds), "-map", "0:v", "-map",
                    "1:a", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v", "2M", "-g",
                    String.valueOf(GOP), "-keyint_min", String.valueOf(GOP), "-sc_threshold", "0", "-flags",
                    "+global_header", "-pix_fmt",
                    "yuv420p", "-c:a", "aac", "-b:a", "128k", "-f", "tee", "[f=flv]" + rtmpUrl + "|[f=hls:hls_time="
                            + HLS_TIME.toSeconds() + ":hls_list_size=0]" + ffmpegPlaylist)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
            List<Thread> threads = new ArrayList<>();
            for (Poller p : pollers) {
                Thread t = new Thread(p, p.name);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            if (!ffmpeg.waitFor(seconds + 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ffmpeg did not finish in " + (seconds + 30) + " s; see " + dir);
            }
            if (ffmpeg.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed (" + ffmpeg.exitValue() + "): " + Files.readString(dir
                        .resolve("ffmpeg.log")));
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(15));
            }
        } finally {
            if (ffmpeg != null && ffmpeg.isAlive()) {
                ffmpeg.destroyForcibly();
                ffmpeg.waitFor(5, TimeUnit.SECONDS);
            }
        }
        log.info("ingest: {} video frames, {} keyframes", ingest.frames(), ingest.keyframes());
        Map<String, Result> results = new LinkedHashMap<>();
        for (Poller p : pollers) {
            for (Map.Entry<String, List<Item>> e : p.items().entrySet()) {
                Result r = measure(p.name + (e.getKey().isEmpty() ? "" : ", " + e.getKey()), e.getValue(), ingest);
                results.put(r.name, r);
                log.info("{}", r);
            }
        }
        log.info(table(results));
    }

    // ---------------------------------------------------------------- the ingest clock

    /** Stamps every video frame (by its index from the first) when it enters the stream. */
    static final class Ingest implements MediaSink {
        private final long[] arrivalNanos;
        private final long[] arrivalMillis;
        private final boolean[] key;
        private final int[] keyList;
        private long firstDts = Long.MIN_VALUE;
        private volatile int count;
        private volatile int keyframes;

        Ingest(int capacity) {
            arrivalNanos = new long[capacity];
            arrivalMillis = new long[capacity];
            key = new boolean[capacity];
            keyList = new int[capacity];
        }

        @Override
        public void onTracks(List<TrackInfo> tracks) {
            // only the timestamps matter
        }

        @Override
        public void onPacket(MediaPacket p) {
            if (p.mediaType() != MediaType.VIDEO) {
                return;
            }
            long nanos = System.nanoTime();
            long millis = System.currentTimeMillis();
            if (firstDts == Long.MIN_VALUE) {
                firstDts = p.dtsNanos();
            }
            int i = (int) Math.round((p.dtsNanos() - firstDts) / (double) FRAME_NANOS);
            if (i < 0 || i >= arrivalNanos.length || arrivalNanos[i] != 0) {
                return;
            }
            arrivalNanos[i] = nanos;
            arrivalMillis[i] = millis;
            key[i] = p.isKeyframe();
            if (key[i]) {
                keyList[keyframes] = i;
                keyframes++; // published by this volatile write, after the arrays
            }
            count = Math.max(count, i + 1);
        }

        int frames() {
            return count;
        }

        int keyframes() {
            return keyframes;
        }

        /** @return when frame {@code i} entered, 0 when it did not (yet) */
        long arrival(int i) {
            return i >= 0 && i < count ? arrivalNanos[i] : 0;
        }

        boolean isKeyframe(int i) {
            return i >= 0 && i < count && key[i];
        }

        /** @return the keyframe whose arrival (wall clock) is nearest, -1 when none yet */
        int keyframeNear(long wallMillis) {
            int best = -1;
            long bestDistance = Long.MAX_VALUE;
            for (int k = 0, n = keyframes; k < n; k++) {
                int i = keyList[k];
                if (Math.abs(arrivalMillis[i] - wallMillis) < bestDistance) {
                    best = i;
                    bestDistance = Math.abs(arrivalMillis[i] - wallMillis);
                }
            }
            return best;
        }
    }

    // ----------------------------------------------------------------- playlist parsing

    /**
     * Something a client saw listed for the first time.
     *
     * @param id the segment's media sequence number, or {@code msn.part}
     * @param kind "segments" or "parts"
     * @param firstFrame the index of its first frame, -1 when unknown
     * @param seenNanos when the client first saw it
     */
    record Item(String id, String kind, int firstFrame, long seenNanos) {
    }

    /** A parsed playlist: what it lists, in order, with the position of each item's first frame. */
    @FunctionalInterface
    interface Parser {
        List<Item> parse(String playlist, long seenNanos, Ingest ingest);
    }

    /** FFmpeg's playlist, every segment listed from 0: a segment starts where the previous ones end. */
    static List<Item> ffmpeg(String playlist, long seenNanos, Ingest ingest) {
        List<Item> out = new ArrayList<>();
        long msn = 0;
        double start = 0;
        double duration = -1;
        for (String line : playlist.split("\n")) {
            if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                msn = Long.parseLong(line.substring(22).trim());
                if (msn != 0) {
                    throw new IllegalStateException("FFmpeg's playlist must list every segment (hls_list_size=0)");
                }
            } else if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
            } else if (!line.isBlank() && !line.startsWith("#") && duration >= 0) {
                out.add(new Item(String.valueOf(msn), "segments", (int) Math.round(start * FPS), seenNanos));
                start += duration;
                duration = -1;
                msn++;
            }
        }
        return out;
    }

    /**
     * StreamKit's playlist: a segment starts at the keyframe nearest its program date-time, a part
     * after the parts before it. The open segment's parts are listed with its date-time too.
     */
    static List<Item> streamKit(String playlist, long seenNanos, Ingest ingest) {
        List<Item> out = new ArrayList<>();
        long msn = -1;
        int segmentStart = -1;
        double partOffset = 0;
        for (String line : playlist.split("\n")) {
            if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                msn = Long.parseLong(line.substring(22).trim());
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                segmentStart = ingest.keyframeNear(Instant.parse(line.substring(25).trim()).toEpochMilli());
                partOffset = 0;
            } else if (line.startsWith("#EXT-X-PART:")) {
                Matcher m = PART_TAG.matcher(line);
                if (!m.matches()) {
                    throw new IllegalStateException("unexpected part tag: " + line);
                }
                int first = segmentStart < 0 ? -1 : segmentStart + (int) Math.round(partOffset * FPS);
                out.add(new Item(m.group(2) + "." + m.group(3), "parts", first, seenNanos));
                partOffset += Double.parseDouble(m.group(1));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                out.add(new Item(String.valueOf(msn), "segments", segmentStart, seenNanos));
                msn++;
                segmentStart = -1;
            }
        }
        return out;
    }

    // -------------------------------------------------------------------------- clients

    /** Reads a playlist; null when it does not exist yet. */
    @FunctionalInterface
    interface Source {
        String read() throws IOException, InterruptedException;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static Source http(String url) {
        return () -> {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(
                    10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return r.statusCode() == 200 ? r.body() : null;
        };
    }

    private static Source file(Path p) {
        return () -> {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return null;
            }
        };
    }

    /** Polls a playlist and notes when each item is first listed. */
    static class Poller implements Runnable {
        final String name;
        final long endNanos;
        private final Source source;
        private final Parser parser;
        private final boolean playerLike;
        /** The first sighting of each item, by kind then id, in order. */
        final Map<String, Map<String, Item>> seen = new LinkedHashMap<>();
        private final Ingest ingest;
        int failures;

        Poller(String name, Ingest ingest, long endNanos, Source source, Parser parser, boolean playerLike) {
            this.name = name;
            this.ingest = ingest;
            this.endNanos = endNanos;
            this.source = source;
            this.parser = parser;
            this.playerLike = playerLike;
        }

        @Override
        public void run() {
            while (System.nanoTime() < endNanos) {
                try {
                    poll();
                    long wait = playerLike
                            ? ThreadLocalRandom.current().nextLong(HLS_TIME.toMillis() * 3 / 8, HLS_TIME.toMillis()
                                    * 5 / 8 + 1)
                            : EDGE_POLL_MILLIS;
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (IOException | RuntimeException e) {
                    failures++;
                    log.debug("{}: {}", name, e.toString());
                    sleepQuietly(EDGE_POLL_MILLIS);
                }
            }
        }

        void poll() throws IOException, InterruptedException {
            String text = source.read();
            long now = System.nanoTime();
            if (text != null) {
                note(text, now);
            }
        }

        void note(String text, long now) {
            for (Item i : parser.parse(text, now, ingest)) {
                seen.computeIfAbsent(i.kind(), k -> new LinkedHashMap<>()).putIfAbsent(i.id(), i);
            }
        }

        /** @return the items first seen, by kind ("" when the client saw one kind only) */
        Map<String, List<Item>> items() {
            Map<String, List<Item>> out = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, Item>> e : seen.entrySet()) {
                out.put(seen.size() == 1 ? "" : e.getKey(), List.copyOf(e.getValue().values()));
            }
            return out;
        }
    }

    /** Low-latency client: each request blocks until the part the previous response hinted is listed. */
    static final class BlockingReload extends Poller {
        private final String url;
        private long nextMsn = -1;
        private int nextPart = -1;

        BlockingReload(String name, Ingest ingest, long endNanos, String url) {
            super(name, ingest, endNanos, null, HlsLatencyHarness::streamKit, false);
            this.url = url;
        }

        @Override
        void poll() throws IOException, InterruptedException {
            String target = nextMsn < 0 ? url : url + "?_HLS_msn=" + nextMsn + "&_HLS_part=" + nextPart;
            String text = http(target).read();
            long now = System.nanoTime();
            if (text == null) {
                nextMsn = -1;
                sleepQuietly(EDGE_POLL_MILLIS);
                return;
            }
            note(text, now);
            Matcher m = HINT.matcher(text);
            if (m.find()) {
                nextMsn = Long.parseLong(m.group(1));
                nextPart = Integer.parseInt(m.group(2));
            } else {
                nextMsn = -1;
                sleepQuietly(EDGE_POLL_MILLIS);
            }
        }

        @Override
        public void run() {
            while (System.nanoTime() < endNanos) {
                try {
                    poll();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (IOException | RuntimeException e) {
                    failures++;
                    nextMsn = -1;
                    log.debug("{}: {}", name, e.toString());
                    sleepQuietly(EDGE_POLL_MILLIS);
                }
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // -------------------------------------------------------------------------- results

    /**
     * Latencies of one client and kind of item.
     *
     * @param name the client and kind
     * @param millis sorted latencies, milliseconds
     * @param misaligned items whose computed first frame is not a keyframe (segments)
     * @param unknown items whose first frame was not found
     */
    record Result(String name, double[] millis, int misaligned, int unknown) {
        double p50() {
            return SrtRelayHarness.percentile(millis, 50);
        }

        double p99() {
            return SrtRelayHarness.percentile(millis, 99);
        }

        @Override
        public String toString() {
            return String.format("%s: %d items, p50 %.0f ms, p99 %.0f ms, min %.0f, max %.0f (first frame not a "
                    + "keyframe: %d, not found: %d)", name, millis.length, p50(), p99(),
                    SrtRelayHarness.percentile(
                            millis, 0),
                    SrtRelayHarness.percentile(millis, 100), misaligned, unknown);
        }
    }

    static Result measure(String name, List<Item> items, Ingest ingest) {
        List<Double> ms = new ArrayList<>();
        int misaligned = 0;
        int unknown = 0;
        for (Item i : items) {
            long arrival = ingest.arrival(i.firstFrame());
            if (arrival == 0) {
                unknown++;
                continue;
            }
            if (i.kind().equals("segments") && !ingest.isKeyframe(i.firstFrame())) {
                misaligned++;
            }
            if (i.firstFrame() < WARMUP_FRAMES) {
                continue;
            }
            ms.add((i.seenNanos() - arrival) / 1e6);
        }
        double[] a = ms.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return new Result(name, a, misaligned, unknown);
    }

    private static String table(Map<String, Result> results) {
        Result anchorPlayer = results.get("FFmpeg hls, poll 1 s");
        Result anchorEdge = results.get("FFmpeg hls, poll 20 ms");
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-48s %6s %9s %9s %12s %12s", "client", "items", "p50 ms", "p99 ms", "p50 ratio",
                "p99 ratio"));
        for (Result r : results.values()) {
            Result anchor = r.name.contains("20 ms") ? anchorEdge : anchorPlayer;
            rows.add(String.format("%-48s %6d %9.0f %9.0f %12.2f %12.2f", r.name, r.millis.length, r.p50(), r.p99(),
                    anchor == null ? Double.NaN : r.p50() / anchor.p50(), anchor == null
                            ? Double.NaN
                            : r.p99() / anchor.p99()));
        }
        return "Glass-to-playlist latency: first frame entered the stream -> item first listed to the client "
                + "(2 s target, 1 s GOP, LL parts " + PART.toMillis() + " ms; ratio against FFmpeg's hls muxer, "
                + "polled every 20 ms for the 20 ms rows, every 1 s for the others)\n" + String.join("\n", rows);
    }
}
