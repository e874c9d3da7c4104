package io.streamkit.relay.hls;

import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.CodecException;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.internal.AacConfig;
import io.streamkit.relay.internal.AvcConfig;
import io.streamkit.relay.internal.HevcConfig;
import java.util.List;
import java.util.Locale;

/**
 * The {@code CODECS} and {@code RESOLUTION} attributes of {@code EXT-X-STREAM-INF}, derived from
 * the tracks' codec configurations: {@code avc1.PPCCLL} from the {@code avcC}, {@code hvc1.*} from
 * the {@code hvcC} (ISO/IEC 14496-15 Annex E), {@code mp4a.40.N} from the AudioSpecificConfig,
 * {@code opus}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6381#section-3">RFC 6381, section 3: the codecs parameter</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216#section-4.3.4.2">RFC 8216, section 4.3.4.2:
 *      EXT-X-STREAM-INF</a>
 */
final class HlsCodecs {
    private HlsCodecs() {
    }

    /**
     * @param track a track
     * @return its RFC 6381 codec string
     * @throws CodecException when the codec has no HLS codec string or its configuration is
     *         missing or malformed
     */
    static String codecString(TrackInfo track) {
        CodecConfig c = track.config();
        switch (track.codec()) {
            case H264 -> {
                if (c.length() < 4) {
                    throw new CodecException("H.264 track " + track.id() + " has no avcC for its codec string");
                }
                return String.format(Locale.ROOT, "avc1.%02x%02x%02x", c.unsignedByte(1), c.unsignedByte(2), c
                        .unsignedByte(3));
            }
            case H265 -> {
                return hevc(track);
            }
            case AAC -> {
                if (c.isEmpty()) {
                    return "mp4a.40.2";
                }
                AacConfig asc = AacConfig.parse(c.toByteArray());
                int type = asc.extensionObjectType() != 0 ? asc.extensionObjectType() : asc.objectType();
                return "mp4a.40." + type;
            }
            case OPUS -> {
                return "opus";
            }
            default -> throw new CodecException(track.codec() + " has no HLS codec string");
        }
    }

    /** {@code hvc1.[A-C]profile.compat.(L|H)level(.constraint)*}. */
    private static String hevc(TrackInfo track) {
        CodecConfig c = track.config();
        if (c.length() < 23) {
            throw new CodecException("H.265 track " + track.id() + " has no hvcC for its codec string");
        }
        int b1 = c.unsignedByte(1);
        int profileSpace = b1 >> 6;
        boolean highTier = (b1 & 0x20) != 0;
        int profile = b1 & 0x1F;
        long compat = 0;
        for (int i = 0; i < 4; i++) {
            compat = (compat << 8) | c.unsignedByte(2 + i);
        }
        int level = c.unsignedByte(12);
        StringBuilder sb = new StringBuilder("hvc1.");
        if (profileSpace > 0) {
            sb.append((char) ('A' + profileSpace - 1));
        }
        sb.append(profile).append('.');
        sb.append(Integer.toHexString(Integer.reverse((int) compat)).toUpperCase(Locale.ROOT)).append('.');
        sb.append(highTier ? 'H' : 'L').append(level);
        int last = -1;
        for (int i = 0; i < 6; i++) {
            if (c.unsignedByte(6 + i) != 0) {
                last = i;
            }
        }
        for (int i = 0; i <= last; i++) {
            sb.append('.').append(Integer.toHexString(c.unsignedByte(6 + i)).toUpperCase(Locale.ROOT));
        }
        return sb.toString();
    }

    /**
     * @param tracks the tracks of a rendition
     * @return their codec strings joined by commas, video first
     */
    static String codecs(List<TrackInfo> tracks) {
        StringBuilder sb = new StringBuilder();
        for (TrackInfo t : tracks) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(codecString(t));
        }
        return sb.toString();
    }

    /**
     * @param track a video track
     * @return {@code {width, height}} from the track or its configuration, {@code null} when
     *         unknown
     */
    static int[] resolution(TrackInfo track) {
        if (track.width() > 0 && track.height() > 0) {
            return new int[]{track.width(), track.height()};
        }
        try {
            AvcConfig.Dimensions d;
            if (track.codec() == Codec.H264 && !track.config().isEmpty()) {
                d = AvcConfig.parse(track.config().toByteArray()).dimensions();
            } else if (track.codec() == Codec.H265 && !track.config().isEmpty()) {
                d = HevcConfig.dimensions(track.config().toByteArray());
            } else {
                return null;
            }
            return new int[]{d.width(), d.height()};
        } catch (CodecException e) {
            return null;
        }
    }
}
