package io.streamkit.relay.hls;

/**
 * The container of HLS media segments.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216#section-3">RFC 8216, section 3: Media Segments</a>
 */
public enum HlsFormat {
    /**
     * Fragmented MP4 (CMAF): one initialization segment ({@code init.mp4}, referenced by
     * {@code EXT-X-MAP}) and {@code .m4s} media segments of {@code moof}+{@code mdat} fragments.
     * Carries H.264, H.265, AAC and Opus, and is the only format of low-latency HLS.
     */
    FMP4("m4s"),
    /**
     * MPEG-2 transport stream {@code .ts} segments, for old players. Carries H.264, H.265 and
     * AAC.
     */
    MPEG_TS("ts");

    private final String extension;

    HlsFormat(String extension) {
        this.extension = extension;
    }

    /** @return the file extension of media segments, without the dot */
    public String segmentExtension() {
        return extension;
    }
}
