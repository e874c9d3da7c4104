package io.streamkit.api;

/**
 * The codecs StreamKit carries. Payload conventions (see {@link MediaPacket}):
 * <ul>
 * <li>{@link #H264}, {@link #H265}: one access unit as NAL units each prefixed by a 4-byte
 * big-endian length (the ISO BMFF / FLV form, not Annex B); configuration is the
 * {@code AVCDecoderConfigurationRecord} / {@code HEVCDecoderConfigurationRecord}.</li>
 * <li>{@link #AAC}: one raw AAC frame without ADTS header; configuration is the
 * {@code AudioSpecificConfig}.</li>
 * <li>{@link #OPUS}: one Opus packet; configuration is the {@code OpusHead} structure.</li>
 * <li>{@link #VP8}, {@link #VP9}, {@link #AV1}: one frame (AV1 as a temporal unit of OBUs).</li>
 * <li>{@link #MP3}, {@link #G711_ALAW}, {@link #G711_ULAW}, {@link #G722}: one frame, no
 * configuration.</li>
 * </ul>
 */
public enum Codec {
    /** H.264 / AVC. */
    H264(MediaType.VIDEO),
    /** H.265 / HEVC. */
    H265(MediaType.VIDEO),
    /** VP8. */
    VP8(MediaType.VIDEO),
    /** VP9. */
    VP9(MediaType.VIDEO),
    /** AV1. */
    AV1(MediaType.VIDEO),
    /** AAC (any profile). */
    AAC(MediaType.AUDIO),
    /** Opus. */
    OPUS(MediaType.AUDIO),
    /** MPEG-1/2 Layer III. */
    MP3(MediaType.AUDIO),
    /** G.711 A-law. */
    G711_ALAW(MediaType.AUDIO),
    /** G.711 mu-law. */
    G711_ULAW(MediaType.AUDIO),
    /** G.722. */
    G722(MediaType.AUDIO);

    private final MediaType mediaType;

    Codec(MediaType mediaType) {
        this.mediaType = mediaType;
    }

    /** @return whether this codec carries video or audio */
    public MediaType mediaType() {
        return mediaType;
    }
}
