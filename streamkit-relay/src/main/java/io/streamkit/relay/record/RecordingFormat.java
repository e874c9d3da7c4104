package io.streamkit.relay.record;

/**
 * The container a recording is written in; both are written progressively, so a file stays
 * playable while it grows and after the process dies.
 */
public enum RecordingFormat {
    /**
     * Fragmented MP4 ({@code .mp4}, or {@code .fmp4} while growing when finalization is on): one
     * fragment per video GOP, optionally rewritten with {@code moov} first when the file closes.
     */
    MP4("mp4", ".mp4"),
    /**
     * MPEG-2 transport stream ({@code .ts}): PAT/PMT first, written to disk GOP by GOP; H.264,
     * H.265, AAC, MP3 and Opus tracks (others are left out of the file).
     */
    MPEG_TS("ts", ".ts");

    private final String uriValue;
    private final String extension;

    RecordingFormat(String uriValue, String extension) {
        this.uriValue = uriValue;
        this.extension = extension;
    }

    /** @return the value of the {@code format} URI parameter ({@code mp4} or {@code ts}) */
    public String uriValue() {
        return uriValue;
    }

    /** @return the extension of a finished file, with its dot */
    public String extension() {
        return extension;
    }

    /**
     * @param value a {@code format} URI parameter
     * @return the format it names
     * @throws IllegalArgumentException naming the accepted values
     */
    public static RecordingFormat fromUriValue(String value) {
        for (RecordingFormat f : values()) {
            if (f.uriValue.equals(value)) {
                return f;
            }
        }
        throw new IllegalArgumentException("recording parameter format must be mp4 or ts, got '" + value + "'");
    }
}
