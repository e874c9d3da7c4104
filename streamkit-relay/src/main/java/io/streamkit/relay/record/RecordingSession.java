package io.streamkit.relay.record;

import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.spi.OutputSession;
import io.streamkit.relay.mp4.Mp4Finalizer;
import io.streamkit.relay.mp4.RecordingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one stream: a fragmented MP4 or an MPEG-TS file per segment, written on a dedicated
 * thread (file I/O never runs on a network thread), started at a keyframe, with timestamps from
 * zero in each file.
 */
final class RecordingSession implements OutputSession {
    private static final Logger log = LoggerFactory.getLogger(RecordingSession.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");
    private static final java.util.regex.Pattern FILE_NAME = java.util.regex.Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2})(-\\d+)?\\.(f?mp4|ts)");

    private final RecordingOptions options;
    private final String streamPath;
    private final Path dir;
    private final ExecutorService executor;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private List<TrackInfo> tracks = List.of();
    private boolean hasVideo;
    private RecordingFileWriter writer;
    private List<TrackInfo> fileTracks = List.of();
    private long fileStartNanos;
    private boolean rotatePending;

    RecordingSession(RecordingOptions options, String streamPath) throws IOException {
        this.options = options;
        this.streamPath = streamPath;
        this.dir = Files.createDirectories(options.directory().resolve(streamPath));
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "streamkit-recorder " + streamPath);
            t.setDaemon(true);
            return t;
        });
    }

    static Instant startFromName(String fileName) {
        java.util.regex.Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        try {
            return LocalDateTime.parse(m.group(1), NAME).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public java.util.concurrent.Executor executor() {
        return executor;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    @Override
    public void onTracks(List<TrackInfo> newTracks) {
        if (writer != null && !newTracks.equals(tracks)) {
            rotatePending = true; // a new codec configuration starts a new file at the next keyframe
        }
        tracks = newTracks;
        hasVideo = newTracks.stream().anyMatch(t -> t.mediaType() == MediaType.VIDEO);
    }

    @Override
    public void onPacket(MediaPacket packet) {
        if (closed.isDone()) {
            return;
        }
        boolean cutPoint = !hasVideo || (packet.mediaType() == MediaType.VIDEO && packet.isKeyframe());
        try {
            if (writer != null && cutPoint && (rotatePending || (!options.segment().isZero() && packet.dtsNanos()
                    - fileStartNanos >= options.segment().toNanos()))) {
                closeFile();
            }
            if (writer == null) {
                if (!cutPoint) {
                    return;
                }
                openFile(packet);
            }
            if (!hasTrack(fileTracks, packet.trackId())) {
                return; // a track announced after the file started: it joins at the next file
            }
            writer.write(packet);
        } catch (RecordingException e) {
            fail(e);
        } catch (CodecException e) {
            fail(new RecordingException("cannot record " + streamPath + " as " + options.format().uriValue() + ": "
                    + e.getMessage(), e));
        }
    }

    private void openFile(MediaPacket first) {
        String base = LocalDateTime.now(ZoneOffset.UTC).format(NAME);
        String finished = options.format().extension();
        String ext = options.finalizeMp4() ? ".fmp4" : finished;
        Path file = dir.resolve(base + ext);
        for (int i = 1; i < 1000
                && (Files.exists(file) || Files.exists(file.resolveSibling(stem(file) + finished))); i++) {
            file = dir.resolve(base + "-" + i + ext);
        }
        writer = RecordingFileWriter.open(options.format(), file, tracks);
        fileTracks = tracks;
        fileStartNanos = first.dtsNanos();
        rotatePending = false;
        log.info("recording {} to {}", streamPath, file);
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    private static boolean hasTrack(List<TrackInfo> list, int id) {
        for (TrackInfo t : list) {
            if (t.id() == id) {
                return true;
            }
        }
        return false;
    }

    private void closeFile() {
        RecordingFileWriter w = writer;
        writer = null;
        if (w == null) {
            return;
        }
        w.close();
        Path file = w.path();
        if (options.finalizeMp4()) {
            String name = file.getFileName().toString();
            Path mp4 = file.resolveSibling(name.substring(0, name.length() - ".fmp4".length()) + ".mp4");
            try {
                Mp4Finalizer.toProgressive(file, mp4);
                Files.delete(file);
                file = mp4;
            } catch (IOException | RuntimeException e) {
                log.warn("recording {}: cannot finalize {} ({}); the fragmented file is kept", streamPath, file, e
                        .getMessage());
            }
        }
        log.info("recording {} closed {} ({} packets)", streamPath, file, w.samples());
        Retention.apply(dir, options, file);
    }

    private void fail(RecordingException e) {
        log.warn("recording {} stopped: {}", streamPath, e.getMessage());
        RecordingFileWriter w = writer;
        writer = null;
        if (w != null) {
            try {
                w.close();
            } catch (RuntimeException ignored) {
                // already failing; the original error is reported
            }
        }
        closed.completeExceptionally(e);
        executor.shutdown();
    }

    @Override
    public void onUnpublished() {
        executor.execute(this::closeFileQuietly);
    }

    private void closeFileQuietly() {
        try {
            closeFile();
        } catch (RecordingException e) {
            fail(e);
        }
    }

    @Override
    public void close() {
        if (executor.isShutdown()) {
            closed.complete(null);
            return;
        }
        executor.execute(() -> {
            closeFileQuietly();
            closed.complete(null);
            executor.shutdown();
        });
    }
}
