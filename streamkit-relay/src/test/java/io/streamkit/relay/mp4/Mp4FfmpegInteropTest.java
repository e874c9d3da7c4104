package io.streamkit.relay.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.ts.TsDemuxer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interoperability with Debian's ffmpeg: a real H.264 + AAC MPEG-TS stream made by ffmpeg,
 * demuxed by {@link TsDemuxer}, recorded with {@link FragmentedMp4Writer} and finalized with
 * {@link Mp4Finalizer}, must probe and decode without a single error.
 */
class Mp4FfmpegInteropTest {
    private static final Logger log = LoggerFactory.getLogger(Mp4FfmpegInteropTest.class);
    private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final Path FFPROBE = Path.of("/usr/bin/ffprobe");

    @TempDir
    static Path dir;
    private static Path ts;

    @BeforeAll
    static void generateStream() throws Exception {
        if (!Files.isExecutable(FFMPEG) || !Files.isExecutable(FFPROBE)) {
            fail("ffmpeg/ffprobe not found in /usr/bin: apt-get install -y ffmpeg");
        }
        ts = dir.resolve("x.ts");
        run(FFMPEG.toString(), "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f",
                "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "4", "-c:v", "libx264", "-g", "30",
                "-bf", "2", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts", ts.toString());
    }

    @Test
    void recordedFileProbesAndDecodes() throws Exception {
        Path mp4 = record("rec.mp4");
        assertProbe(mp4, 4.0);
        assertDecodesCleanly(mp4);
    }

    @Test
    void finalizedFileHasMoovFirstAndDecodes() throws Exception {
        Path mp4 = record("rec2.mp4");
        Path fast = dir.resolve("fast.mp4");
        Mp4Finalizer.Summary summary = Mp4Finalizer.toProgressive(mp4, fast);
        assertEquals(2, summary.tracks());
        assertTrue(!summary.truncated());
        assertEquals(List.of("ftyp", "moov", "mdat"), topLevel(fast));
        assertProbe(fast, 4.0);
        assertDecodesCleanly(fast);
    }

    @Test
    void truncatedRecordingStaysReadable() throws Exception {
        Path mp4 = record("rec3.mp4");
        List<Mp4BoxReader.Header> boxes;
        try (FileChannel ch = FileChannel.open(mp4, StandardOpenOption.READ)) {
            boxes = Mp4BoxReader.topLevel(ch);
        }
        Mp4BoxReader.Header lastMoof = boxes.get(boxes.size() - 2);
        Mp4BoxReader.Header lastMdat = boxes.get(boxes.size() - 1);
        assertEquals("moof", lastMoof.type());
        assertEquals("mdat", lastMdat.type());
        double full = probeDuration(mp4);
        int fullPackets = readPackets(mp4);

        // killed while writing the last fragment: the writer labels a fragment 'moof' only once it
        // is complete, so the file ends in a truncated 'free' box, which readers skip
        Path inMdat = truncatedCopy(mp4, "cut-mdat.mp4", lastMdat.offset() + lastMdat.size() / 2, lastMoof
                .offset());
        Path inMoof = truncatedCopy(mp4, "cut-moof.mp4", lastMoof.offset() + lastMoof.size() / 2, lastMoof
                .offset());
        for (Path truncated : List.of(inMdat, inMoof)) {
            assertEquals(List.of("h264", "aac"), probe(truncated).get("codec_name"));
            double shorter = probeDuration(truncated);
            int packets = readPackets(truncated);
            log.info("{}: {} s, {} packets (complete: {} s, {} packets)", truncated.getFileName(), shorter, packets,
                    full, fullPackets);
            assertTrue(shorter > 2.0 && shorter < full - 0.1, "truncated duration " + shorter + " vs " + full);
            assertTrue(packets < fullPackets && packets > fullPackets / 2, packets + " of " + fullPackets);
            assertDecodesCleanly(truncated);
        }

        // the label matters: with a truncated 'moof' ffmpeg 5.1 rejects the whole file
        Path badLabel = truncatedCopy(mp4, "cut-moof-labelled.mp4", lastMoof.offset() + lastMoof.size() / 2, -1);
        log.info("truncated moof readable by ffprobe: {}", probeSucceeds(badLabel));

        // the finalizer keeps the complete samples of both
        for (Path truncated : List.of(inMdat, inMoof)) {
            Path fast = dir.resolve("fast-" + truncated.getFileName());
            Mp4Finalizer.Summary summary = Mp4Finalizer.toProgressive(truncated, fast);
            assertTrue(summary.truncated());
            assertEquals(List.of("ftyp", "moov", "mdat"), topLevel(fast));
            double finalized = probeDuration(fast);
            log.info("{} finalized: {} s, {} samples", truncated.getFileName(), finalized, summary.samples());
            assertTrue(finalized > 2.0 && finalized < full - 0.1, "finalized truncated duration " + finalized);
            assertDecodesCleanly(fast);
        }
    }

    /** Copies the first bytes of a file, relabelling the box at {@code freeAt} (if &gt;= 0) 'free'. */
    private static Path truncatedCopy(Path file, String name, long length, long freeAt) throws IOException {
        Path truncated = dir.resolve(name);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(truncated, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            long done = 0;
            while (done < length) {
                done += in.transferTo(done, length - done, out);
            }
            if (freeAt >= 0) {
                out.write(java.nio.ByteBuffer.wrap("free".getBytes(StandardCharsets.US_ASCII)), freeAt + 4);
            }
        }
        return truncated;
    }

    private static boolean probeSucceeds(Path file) throws Exception {
        Process p = new ProcessBuilder(FFPROBE.toString(), "-v", "quiet", file.toString()).redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static int readPackets(Path file) throws Exception {
        String out = run(FFPROBE.toString(), "-v", "quiet", "-count_packets", "-show_entries",
                "stream=nb_read_packets", "-of", "default=noprint_wrappers=1:nokey=1", file.toString());
        int total = 0;
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                total += Integer.parseInt(line.trim());
            }
        }
        return total;
    }

    /** Demuxes the MPEG-TS with {@link TsDemuxer} and records it. */
    private static Path record(String name) throws IOException {
        List<MediaPacket> packets = new ArrayList<>();
        List<List<TrackInfo>> announcements = new ArrayList<>();
        TsDemuxer demuxer = new TsDemuxer(new TsDemuxer.Listener() {
            @Override
            public void onTracks(List<TrackInfo> tracks) {
                announcements.add(tracks);
            }

            @Override
            public void onPacket(MediaPacket packet) {
                packets.add(packet);
            }
        });
        byte[] bytes = Files.readAllBytes(ts);
        for (int i = 0; i < bytes.length; i += 1316) {
            ByteBuf chunk = Unpooled.wrappedBuffer(bytes, i, Math.min(1316, bytes.length - i));
            demuxer.feed(chunk);
            chunk.release();
        }
        demuxer.flush();
        Path out = dir.resolve(name);
        try {
            List<TrackInfo> tracks = new ArrayList<>(demuxer.tracks());
            tracks.sort(Comparator.comparing(t -> t.mediaType() == MediaType.VIDEO ? 0 : 1));
            assertEquals(2, tracks.size(), "tracks " + announcements);
            FragmentedMp4Writer writer = FragmentedMp4Writer.open(out, tracks);
            try {
                for (MediaPacket p : packets) {
                    writer.write(p);
                }
            } finally {
                writer.close();
            }
            log.info("recorded {} packets into {} fragments, {} dropped", writer.samples(), writer.fragments(),
                    writer.droppedPackets());
            assertTrue(writer.fragments() >= 4, "a fragment per keyframe (every 30 frames)");
        } finally {
            packets.forEach(MediaPacket::release);
        }
        return out;
    }

    private static List<String> topLevel(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return Mp4BoxReader.topLevel(ch).stream().map(Mp4BoxReader.Header::type).toList();
        }
    }

    private static void assertProbe(Path file, double duration) throws Exception {
        Map<String, List<String>> probe = probe(file);
        assertEquals(List.of("h264", "aac"), probe.get("codec_name"), probe.toString());
        assertEquals(List.of("1280"), probe.get("width"), probe.toString());
        assertEquals(List.of("720"), probe.get("height"), probe.toString());
        double actual = probeDuration(file);
        assertTrue(Math.abs(actual - duration) <= 0.1, "duration " + actual + " of " + file);
    }

    private static double probeDuration(Path file) throws Exception {
        return Double.parseDouble(probe(file).get("duration").get(0));
    }

    private static Map<String, List<String>> probe(Path file) throws Exception {
        String out = run(FFPROBE.toString(), "-v", "error", "-show_entries",
                "stream=codec_name,width,height:format=duration", "-of", "default=noprint_wrappers=1", file
                        .toString());
        Map<String, List<String>> values = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.endsWith("=N/A")) {
                values.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1)
                        .trim());
            }
        }
        return values;
    }

    private static void assertDecodesCleanly(Path file) throws Exception {
        String out = run(FFMPEG.toString(), "-v", "error", "-i", file.toString(), "-f", "null", "-");
        assertEquals("", out.trim(), "ffmpeg decode errors for " + file);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed: " + text);
        return text;
    }
}
