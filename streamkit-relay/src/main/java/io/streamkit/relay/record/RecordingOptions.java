package io.streamkit.relay.record;

import io.streamkit.api.Uris;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a stream is recorded; also the query of a {@code file:} output URI, so a recording is an
 * output like any other ({@code stream.addOutput(options.toUri())}):
 * {@code file:///var/rec?segment=600&finalize=true&keepHours=48&keepMegabytes=10000}.
 *
 * @param directory the root folder; files go to {@code directory/{stream path}/}
 * @param segment the file length (a new file starts at the first keyframe after it), or
 *        {@link Duration#ZERO} for one file per publishing session
 * @param finalizeMp4 whether each closed file is rewritten as a progressive MP4 with {@code moov}
 *        first (the fragmented original is then removed)
 * @param keep files older than this are deleted ({@link Duration#ZERO}: keep all)
 * @param keepBytes when a stream's folder exceeds this, its oldest files are deleted (0: no limit)
 */
public record RecordingOptions(Path directory, Duration segment, boolean finalizeMp4, Duration keep, long keepBytes) {

    /** Validates every field. */
    public RecordingOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(keep, "keep");
        if (segment.isNegative() || keep.isNegative() || keepBytes < 0) {
            throw new IllegalArgumentException("segment, keep and keepBytes must be >= 0");
        }
        if (!segment.isZero() && segment.toSeconds() < 1) {
            throw new IllegalArgumentException("segment must be at least 1 s, was " + segment);
        }
    }

    /**
     * @param directory the root folder
     * @return one fragmented MP4 per publishing session, not finalized, kept forever
     */
    public static RecordingOptions mp4(Path directory) {
        return new RecordingOptions(directory, Duration.ZERO, false, Duration.ZERO, 0);
    }

    /** @param length file length @return a copy */
    public RecordingOptions segment(Duration length) {
        return new RecordingOptions(directory, length, finalizeMp4, keep, keepBytes);
    }

    /** @param on whether to finalize into progressive MP4 @return a copy */
    public RecordingOptions finalizeMp4(boolean on) {
        return new RecordingOptions(directory, segment, on, keep, keepBytes);
    }

    /** @param age the retention age @param bytes the retention size per stream @return a copy */
    public RecordingOptions retain(Duration age, long bytes) {
        return new RecordingOptions(directory, segment, finalizeMp4, age, bytes);
    }

    /** @return the {@code file:} URI of an output that records with these options */
    public URI toUri() {
        return URI.create(directory.toAbsolutePath().toUri() + "?segment=" + segment.toSeconds() + "&finalize="
                + finalizeMp4 + "&keepSeconds=" + keep.toSeconds() + "&keepBytes=" + keepBytes);
    }

    /**
     * @param uri a {@code file:} URI
     * @return the options it describes
     * @throws IllegalArgumentException with a specific message for a bad parameter
     */
    public static RecordingOptions fromUri(URI uri) {
        if (!"file".equalsIgnoreCase(uri.getScheme()) || uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("recording needs a file:///directory URI, got " + Uris.redact(uri));
        }
        String malformed = Uris.malformedQueryPair(uri);
        if (malformed != null) {
            throw new IllegalArgumentException("malformed recording parameter '" + malformed + "'");
        }
        Map<String, String> q = Uris.query(uri);
        for (String key : q.keySet()) {
            if (!key.equals("segment") && !key.equals("finalize") && !key.equals("keepSeconds") && !key.equals(
                    "keepBytes")) {
                throw new IllegalArgumentException("unknown recording parameter '" + key
                        + "' (segment, finalize, keepSeconds, keepBytes)");
            }
        }
        try {
            return new RecordingOptions(Path.of(uri.getPath()), Duration.ofSeconds(Long.parseLong(q.getOrDefault(
                    "segment", "0"))), Boolean.parseBoolean(q.getOrDefault("finalize", "false")), Duration.ofSeconds(
                            Long.parseLong(q.getOrDefault("keepSeconds", "0"))),
                    Long.parseLong(q.getOrDefault(
                            "keepBytes", "0")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("recording parameters segment, keepSeconds and keepBytes are whole "
                    + "numbers: " + e.getMessage(), e);
        }
    }
}
