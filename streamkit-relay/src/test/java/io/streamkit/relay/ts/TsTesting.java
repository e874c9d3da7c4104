package io.streamkit.relay.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers of the MPEG-TS tests: a recording listener, muxing to bytes, and Debian's ffmpeg. */
final class TsTesting {
    static final String INSTALL = "apt-get install -y ffmpeg";
    private static byte[] sample;

    private TsTesting() {
    }

    /** What a {@link TsDemuxer} emitted; {@link #releaseAll()} drops the packets' references. */
    static class Recorder implements TsDemuxer.Listener {
        final List<List<TrackInfo>> trackUpdates = new ArrayList<>();
        final List<MediaPacket> packets = new ArrayList<>();
        /** Track ids in the order they were first announced. */
        final List<Integer> announced = new ArrayList<>();
        boolean packetBeforeTrack;

        @Override
        public void onTracks(List<TrackInfo> tracks) {
            trackUpdates.add(tracks);
            tracks.forEach(t -> {
                if (!announced.contains(t.id())) {
                    announced.add(t.id());
                }
            });
        }

        @Override
        public void onPacket(MediaPacket packet) {
            packetBeforeTrack |= !announced.contains(packet.trackId());
            packets.add(packet);
        }

        List<TrackInfo> lastTracks() {
            return trackUpdates.isEmpty() ? List.of() : trackUpdates.get(trackUpdates.size() - 1);
        }

        List<MediaPacket> track(int id) {
            return packets.stream().filter(p -> p.trackId() == id).toList();
        }

        void releaseAll() {
            packets.forEach(MediaPacket::release);
            packets.clear();
        }
    }

    /** One packet reduced to what identifies it, so that the packet itself can be released. */
    record Summary(int trackId, long dts, long pts, boolean keyframe, int length, int hash) {
        static Summary of(MediaPacket p) {
            return new Summary(p.trackId(), p.dts(), p.pts(), p.isKeyframe(), p.size(), Arrays.hashCode(p.payload()
                    .toByteArray()));
        }
    }

    /**
     * Muxes packets (not released) through a {@link TsChunker}.
     *
     * @return the transport stream
     */
    static byte[] mux(List<TrackInfo> tracks, List<MediaPacket> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> sizes = new ArrayList<>();
        try (TsChunker chunker = new TsChunker(ByteBufAllocator.DEFAULT, chunk -> {
            try {
                sizes.add(chunk.readableBytes());
                byte[] b = new byte[chunk.readableBytes()];
                chunk.readBytes(b);
                out.writeBytes(b);
            } finally {
                chunk.release();
            }
        })) {
            TsMuxer muxer = new TsMuxer(tracks, chunker);
            packets.forEach(muxer::write);
            if (muxer.droppedPackets() != 0) {
                throw new AssertionError("muxer dropped " + muxer.droppedPackets() + " packets");
            }
            chunker.flush();
        }
        for (int i = 0; i < sizes.size(); i++) {
            int size = sizes.get(i);
            if (i < sizes.size() - 1
                    ? size != TsChunker.CHUNK_SIZE
                    : size % TsPackets.SIZE != 0
                            || size > TsChunker.CHUNK_SIZE) {
                throw new AssertionError("chunk " + i + " of " + sizes.size() + " has " + size + " bytes");
            }
        }
        return out.toByteArray();
    }

    /**
     * Feeds bytes in pieces cut at the given points (any order, out of range ignored) and flushes.
     */
    static TsDemuxer demux(byte[] ts, List<Integer> cuts, TsDemuxer.Listener listener) {
        TsDemuxer demuxer = new TsDemuxer(listener);
        int[] points = cuts.stream().mapToInt(c -> Math.floorMod(c, ts.length + 1)).sorted().toArray();
        int from = 0;
        for (int p : points) {
            feed(demuxer, ts, from, p);
            from = Math.max(from, p);
        }
        feed(demuxer, ts, from, ts.length);
        demuxer.flush();
        return demuxer;
    }

    private static void feed(TsDemuxer demuxer, byte[] ts, int from, int to) {
        if (to <= from) {
            return;
        }
        // a buffer with other bytes around the fed range, to check that indexes are honoured
        ByteBuf b = Unpooled.buffer(to - from + 10);
        b.writeBytes(new byte[]{0x47, 0x47, 0x47, 0x47, 0x47});
        b.writeBytes(ts, from, to - from);
        b.writeBytes(new byte[]{0x47, 0, 0, 0, 0});
        b.readerIndex(5).writerIndex(5 + to - from);
        try {
            demuxer.feed(b);
            if (b.readerIndex() != 5 || b.writerIndex() != 5 + to - from) {
                throw new AssertionError("feed moved the indexes");
            }
        } finally {
            b.release();
        }
    }

    /**
     * Runs a tool of Debian's ffmpeg package.
     *
     * @return what it printed on stdout and stderr
     */
    static String run(Path dir, String tool, String... args) throws IOException, InterruptedException {
        Path exe = Path.of("/usr/bin", tool);
        if (!Files.isExecutable(exe)) {
            throw new AssertionError(tool + " is missing; the MPEG-TS interop tests need Debian's ffmpeg: " + INSTALL);
        }
        List<String> command = new ArrayList<>();
        command.add(exe.toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, tool, ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log
                .toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(tool + " timed out: " + command);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(tool + " failed (" + p.exitValue() + "): " + command + "\n" + output);
        }
        return output;
    }

    /**
     * @return a small real transport stream (1 s of 320x240 H.264 at 30 fps and 48 kHz AAC)
     *         made once per test JVM by ffmpeg
     */
    static synchronized byte[] ffmpegSample() {
        if (sample == null) {
            try {
                Path dir = Files.createTempDirectory("ts-sample");
                try {
                    run(dir, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f",
                            "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "1", "-c:v", "libx264",
                            "-g", "15", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts", "sample.ts");
                    sample = Files.readAllBytes(dir.resolve("sample.ts"));
                } finally {
                    try (var files = Files.list(dir)) {
                        for (Path f : files.toList()) {
                            Files.delete(f);
                        }
                    }
                    Files.delete(dir);
                }
            } catch (IOException e) {
                throw new AssertionError("cannot make the ffmpeg sample", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return sample.clone();
    }
}
