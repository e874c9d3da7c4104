package io.streamkit.relay.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A finished or growing recording file: MP4 ({@code .mp4}, growing {@code .fmp4} when
 * finalization is on) or MPEG-TS ({@code .ts}).
 *
 * @param path the file
 * @param start when recording of the file started (from its name)
 * @param lastWrite when it was last written
 * @param size its size in bytes
 */
public record RecordedFile(Path path, Instant start, Instant lastWrite, long size) {

    /**
     * The recorded time, from the wall clock: from {@link #start()} (whole seconds, from the
     * name) to {@link #lastWrite()}. Files are written GOP by GOP, so this is within about one
     * GOP plus one second of the media duration; a growing file's duration grows with it.
     *
     * @return the time from start to last write, never negative
     */
    public Duration duration() {
        Duration d = Duration.between(start, lastWrite);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /**
     * Lists the recordings of one stream, oldest first.
     *
     * @param directory the recording root
     * @param streamPath the stream path
     * @return the files ({@code .mp4}, growing {@code .fmp4}, {@code .ts})
     */
    public static List<RecordedFile> list(Path directory, String streamPath) {
        Path dir = directory.resolve(streamPath);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<RecordedFile> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p)
                        || !(name.endsWith(".mp4") || name.endsWith(".fmp4") || name.endsWith(".ts"))) {
                    continue;
                }
                Instant start = RecordingSession.startFromName(name);
                out.add(new RecordedFile(p, start != null ? start : Files.getLastModifiedTime(p).toInstant(), Files
                        .getLastModifiedTime(p).toInstant(), Files.size(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list recordings in " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(RecordedFile::start).thenComparing(f -> f.path().toString()));
        return out;
    }
}
