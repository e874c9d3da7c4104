package io.streamkit.relay.record;

import io.streamkit.api.Uris;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a stream is recorded; also the query of a {@code file:} output URI, so a recording is an
 * output like any other ({@code stream.addOutput(options.toUri())}):
 * {@code file:///var/rec?segment=600&finalize=true&keepSeconds=172800&keepBytes=10000000000&format=mp4}.
 *
 * <p>URI parameters, all optional: {@code format} ({@code mp4}, the default, or {@code ts}),
 * {@code segment} (seconds, 0 = one file per publishing session), {@code finalize}
 * ({@code true} or {@code false}, MP4 only), {@code keepSeconds} and {@code keepBytes} (0 = no
 * limit). An unknown parameter or a bad value is rejected with a message naming it.
 *
 * @param directory the root folder; files go to {@code directory/{stream path}/}
 * @param format the container
 * @param segment the file length (a new file starts at the first keyframe after it), or
 *        {@link Duration#ZERO} for one file per publishing session
 * @param finalizeMp4 whether each closed file is rewritten as a progressive MP4 with {@code moov}
 *        first (the fragmented original is then removed); MP4 only
 * @param keep files older than this are deleted ({@link Duration#ZERO}: keep all)
 * @param keepBytes when a stream's folder exceeds this, its oldest files are deleted (0: no limit)
 */
public record RecordingOptions(Path directory, RecordingFormat format, Duration segment, boolean finalizeMp4,
        Duration keep, long keepBytes) {
    private static final Set<String> PARAMETERS = Set.of("format", "segment", "finalize", "keepSeconds",
            "keepBytes");
    private static final Duration LONGEST = Duration.ofDays(36500);

    /** Validates every field. */
    public RecordingOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(keep, "keep");
        if (segment.isNegative() || keep.isNegative() || keepBytes < 0) {
            throw new IllegalArgumentException("segment, keep and keepBytes must be >= 0");
        }
        if (!segment.isZero() && segment.toSeconds() < 1) {
            throw new IllegalArgumentException("segment must be at least 1 s, was " + segment);
        }
        if (segment.compareTo(LONGEST) > 0 || keep.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("segment and keep must be at most " + LONGEST.toDays() + " days");
        }
        if (finalizeMp4 && format != RecordingFormat.MP4) {
            throw new IllegalArgumentException("finalize applies to the mp4 format only, not to " + format
                    .uriValue());
        }
    }

    /**
     * MP4 options, as before the format was selectable.
     *
     * @param directory the root folder
     * @param segment the file length, or zero
     * @param finalizeMp4 whether to finalize each closed file
     * @param keep the retention age, or zero
     * @param keepBytes the retention size per stream, or 0
     */
    public RecordingOptions(Path directory, Duration segment, boolean finalizeMp4, Duration keep, long keepBytes) {
        this(directory, RecordingFormat.MP4, segment, finalizeMp4, keep, keepBytes);
    }

    /**
     * @param directory the root folder
     * @return one fragmented MP4 per publishing session, not finalized, kept forever
     */
    public static RecordingOptions mp4(Path directory) {
        return new RecordingOptions(directory, RecordingFormat.MP4, Duration.ZERO, false, Duration.ZERO, 0);
    }

    /**
     * @param directory the root folder
     * @return one MPEG-TS file per publishing session, kept forever
     */
    public static RecordingOptions mpegTs(Path directory) {
        return new RecordingOptions(directory, RecordingFormat.MPEG_TS, Duration.ZERO, false, Duration.ZERO, 0);
    }

    /**
     * @param value the container (switching to MPEG-TS turns finalization off)
     * @return a copy
     */
    public RecordingOptions format(RecordingFormat value) {
        return new RecordingOptions(directory, value, segment, finalizeMp4 && value == RecordingFormat.MP4, keep,
                keepBytes);
    }

    /** @param length file length @return a copy */
    public RecordingOptions segment(Duration length) {
        return new RecordingOptions(directory, format, length, finalizeMp4, keep, keepBytes);
    }

    /**
     * @param on whether to finalize into progressive MP4
     * @return a copy
     * @throws IllegalArgumentException when {@code on} and the format is not MP4
     */
    public RecordingOptions finalizeMp4(boolean on) {
        return new RecordingOptions(directory, format, segment, on, keep, keepBytes);
    }

    /** @param age the retention age @param bytes the retention size per stream @return a copy */
    public RecordingOptions retain(Duration age, long bytes) {
        return new RecordingOptions(directory, format, segment, finalizeMp4, age, bytes);
    }

    /** @return the {@code file:} URI of an output that records with these options */
    public URI toUri() {
        return URI.create(directory.toAbsolutePath().toUri() + "?segment=" + segment.toSeconds() + "&finalize="
                + finalizeMp4 + "&keepSeconds=" + keep.toSeconds() + "&keepBytes=" + keepBytes + "&format=" + format
                        .uriValue());
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
            if (!PARAMETERS.contains(key)) {
                throw new IllegalArgumentException("unknown recording parameter '" + key
                        + "' (format, segment, finalize, keepSeconds, keepBytes)");
            }
        }
        RecordingFormat format = RecordingFormat.fromUriValue(q.getOrDefault("format", "mp4"));
        String finalize = q.getOrDefault("finalize", "false");
        if (!finalize.equals("true") && !finalize.equals("false")) {
            throw new IllegalArgumentException("recording parameter finalize must be true or false, got '" + finalize
                    + "'");
        }
        return new RecordingOptions(Path.of(uri.getPath()), format, Duration.ofSeconds(wholeNumber(q, "segment")),
                Boolean.parseBoolean(finalize), Duration.ofSeconds(wholeNumber(q, "keepSeconds")), wholeNumber(q,
                        "keepBytes"));
    }

    private static long wholeNumber(Map<String, String> q, String key) {
        String value = q.getOrDefault(key, "0");
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new IllegalArgumentException("recording parameter " + key + " must be >= 0, got " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("recording parameter " + key + " must be a whole number, got '"
                    + value + "'", e);
        }
    }
}
