package io.streamkit.relay.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A finished or growing recording file.
 *
 * @param path the file
 * @param start when recording of the file started (from its name)
 * @param lastWrite when it was last written
 * @param size its size in bytes
 */
public record RecordedFile(Path path, Instant start, Instant lastWrite, long size) {

    /**
     * Lists the recordings of one stream, oldest first.
     *
     * @param directory the recording root
     * @param streamPath the stream path
     * @return the files ({@code .mp4} and growing {@code .fmp4})
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
                if (!Files.isRegularFile(p) || !(name.endsWith(".mp4") || name.endsWith(".fmp4"))) {
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
