package io.streamkit.relay.flv;

import io.streamkit.api.Codec;

/** Constants of FLV tag bodies and Enhanced RTMP shared by {@link FlvReader} and {@link FlvWriter}. */
final class FlvTags {
    static final int VIDEO_TRACK_ID = 0;
    static final int AUDIO_TRACK_ID = 1;
    static final int TIMESCALE = 1000;

    static final int FRAME_KEY = 1;
    static final int FRAME_INTER = 2;
    static final int FRAME_COMMAND = 5;

    static final int CODEC_AVC = 7;
    static final int CODEC_HEVC_LEGACY = 12;

    static final int AVC_SEQUENCE_HEADER = 0;
    static final int AVC_NALU = 1;
    static final int AVC_END_OF_SEQUENCE = 2;

    static final int EX_HEADER = 0x80;
    static final int EX_SEQUENCE_START = 0;
    static final int EX_CODED_FRAMES = 1;
    static final int EX_SEQUENCE_END = 2;
    static final int EX_CODED_FRAMES_X = 3;
    static final int EX_METADATA = 4;
    static final int EX_MPEG2TS_SEQUENCE_START = 5;

    static final int FOURCC_AVC1 = fourCc("avc1");
    static final int FOURCC_HVC1 = fourCc("hvc1");
    static final int FOURCC_AV01 = fourCc("av01");
    static final int FOURCC_VP09 = fourCc("vp09");

    static final int SOUND_MP3 = 2;
    static final int SOUND_AAC = 10;
    static final int AAC_SEQUENCE_HEADER = 0;
    static final int AAC_RAW = 1;

    /** MP3 sample rates by the FLV SoundRate field. */
    static final int[] SOUND_RATES = {5512, 11025, 22050, 44100};

    private FlvTags() {
    }

    static int fourCc(String s) {
        return (s.charAt(0) << 24) | (s.charAt(1) << 16) | (s.charAt(2) << 8) | s.charAt(3);
    }

    static String fourCcString(int fourCc) {
        StringBuilder sb = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (fourCc >>> shift) & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return String.format("'%s' (0x%08x)", sb, fourCc);
    }

    /** @return the Enhanced RTMP FourCC of a video codec, or 0 when it has none */
    static int fourCcOf(Codec codec) {
        return switch (codec) {
            case H264 -> FOURCC_AVC1;
            case H265 -> FOURCC_HVC1;
            case AV1 -> FOURCC_AV01;
            case VP9 -> FOURCC_VP09;
            default -> 0;
        };
    }
}
