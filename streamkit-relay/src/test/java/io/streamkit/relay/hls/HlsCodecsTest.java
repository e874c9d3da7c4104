package io.streamkit.relay.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.CodecException;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.TestMedia;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6381 codec strings and resolutions from real codec configurations. */
class HlsCodecsTest {
    /** hvcC of an x265 640x360 stream (Main profile, level_idc 63), as in the relay's FLV known-answer tests. */
    static final String HVCC_640X360 = "0101600000009000000000003ff000fcfdf8f800000f03a00001001840010c01ffff0160000003"
            + "0090000003000003003f959809a10001002a42010101600000030090000003000003003fa00502016965959a4932bc05a02"
            + "0000003002000000303c1a2000100074401c172b46240";

    @Test
    void codecStrings() {
        assertEquals("avc1.64001e", HlsCodecs.codecString(TestMedia.videoTrack()));
        TrackInfo hevc = TrackInfo.builder(0, Codec.H265).config(CodecConfig.of(HexFormat.of().parseHex(
                HVCC_640X360))).build();
        assertEquals("hvc1.1.6.L63.90", HlsCodecs.codecString(hevc));
        assertEquals("mp4a.40.2", HlsCodecs.codecString(TestMedia.audioTrack()));
        // HE-AAC v1 signalled explicitly: object type 5 (SBR), 24 kHz core, 48 kHz output, stereo
        TrackInfo heAac = TrackInfo.builder(1, Codec.AAC).config(CodecConfig.of(new byte[]{0x2B, (byte) 0x11,
                (byte) 0x88, 0x00})).build();
        assertEquals("mp4a.40.5", HlsCodecs.codecString(heAac));
        assertEquals("opus", HlsCodecs.codecString(TrackInfo.builder(2, Codec.OPUS).build()));
        assertEquals("avc1.64001e,mp4a.40.2", HlsCodecs.codecs(List.of(TestMedia.videoTrack(), TestMedia
                .audioTrack())));
        assertThrows(CodecException.class, () -> HlsCodecs.codecString(TrackInfo.builder(0, Codec.VP8).build()));
        assertThrows(CodecException.class, () -> HlsCodecs.codecString(TrackInfo.builder(0, Codec.H264).build()));
    }

    @Test
    void resolutionFromTheTrackOrItsConfiguration() {
        assertArrayEquals(new int[]{640, 360}, HlsCodecs.resolution(TestMedia.videoTrack()));
        assertArrayEquals(new int[]{640, 360}, HlsCodecs.resolution(TestMedia.videoTrack().toBuilder().dimensions(0,
                0).build()), "from the SPS");
        TrackInfo hevc = TrackInfo.builder(0, Codec.H265).config(CodecConfig.of(HexFormat.of().parseHex(
                HVCC_640X360))).build();
        assertArrayEquals(new int[]{640, 360}, HlsCodecs.resolution(hevc));
        assertNull(HlsCodecs.resolution(TrackInfo.builder(0, Codec.H264).build()));
    }
}
