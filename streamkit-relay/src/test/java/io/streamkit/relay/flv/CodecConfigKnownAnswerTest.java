package io.streamkit.relay.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamkit.api.CodecException;
import io.streamkit.api.testkit.TestMedia;
import io.streamkit.relay.internal.AacConfig;
import io.streamkit.relay.internal.AvcConfig;
import io.streamkit.relay.internal.HevcConfig;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known answers for the SPS and AudioSpecificConfig parsers. The SPS vectors were produced by
 * Debian's ffmpeg/libx264: {@code ffmpeg -f lavfi -i testsrc2=size=WxH:rate=30 -frames:v 1 -c:v libx264
 * -f h264 out.h264} (plus {@code -pix_fmt yuv444p -profile:v high444} for the 4:4:4 one).
 */
class CodecConfigKnownAnswerTest {
    static final String SPS_1280X720 = "6764001facd9405005bb0110000003001000000303c0f1831960";
    /** 1088 coded lines cropped to 1080. */
    static final String SPS_1920X1080 = "67640028acd940780227e5c044000003000400000300f03c60c658";
    static final String SPS_640X360 = "6764001eacd940a02ff970110000030001000003003c0f162d96";
    /** High 4:4:4 Predictive (profile 244, chroma_format_idc 3), 1088 lines cropped to 1080. */
    static final String SPS_1920X1080_444 = "67f40028919b280f0044fc4e0220000003002000000781e30632c0";
    static final String PPS = "68ebe3cb22c0";
    /**
     * hvcC records (VPS, SPS, PPS; x265's SEI dropped) from {@code ffmpeg -f lavfi -i
     * testsrc2=size=WxH:rate=30 -frames:v 1 -c:v libx265 -f mp4 out.mp4}.
     */
    static final String HVCC_1920X1080 = "01016000000090000000000078f000fcfdf8f800000f03a00001001840010c01ffff01600000030"
            + "0900000030000030078959809a10001002a420101016000000300900000030000030078a003c08010e596566924caf016808"
            + "0000003008000000f04a2000100074401c172b46240";
    static final String HVCC_640X360 = "0101600000009000000000003ff000fcfdf8f800000f03a00001001840010c01ffff0160000003"
            + "0090000003000003003f959809a10001002a42010101600000030090000003000003003fa00502016965959a4932bc05a02"
            + "0000003002000000303c1a2000100074401c172b46240";

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** @return an avcC holding one SPS and one PPS */
    static byte[] avcC(String sps, String pps) {
        byte[] s = hex(sps);
        byte[] p = hex(pps);
        String record = "01" + sps.substring(2, 8) + "ff" + "e1" + String.format("%04x", s.length) + sps + "01"
                + String.format("%04x", p.length) + pps;
        return hex(record);
    }

    @Test
    void parsesSpsDimensions() {
        assertEquals(new AvcConfig.Dimensions(1280, 720), AvcConfig.spsDimensions(hex(SPS_1280X720)));
        assertEquals(new AvcConfig.Dimensions(1920, 1080), AvcConfig.spsDimensions(hex(SPS_1920X1080)));
        assertEquals(new AvcConfig.Dimensions(640, 360), AvcConfig.spsDimensions(hex(SPS_640X360)));
        assertEquals(new AvcConfig.Dimensions(1920, 1080), AvcConfig.spsDimensions(hex(SPS_1920X1080_444)));
    }

    @Test
    void parsesHvcC() {
        assertEquals(new AvcConfig.Dimensions(1920, 1080), HevcConfig.dimensions(hex(HVCC_1920X1080)));
        assertEquals(new AvcConfig.Dimensions(640, 360), HevcConfig.dimensions(hex(HVCC_640X360)));
        assertEquals("hvcC has no SPS", assertThrows(CodecException.class, () -> HevcConfig.dimensions(hex(
                HVCC_640X360.substring(0, 44) + "00"))).getMessage());
        assertThrows(CodecException.class, () -> HevcConfig.dimensions(hex(HVCC_640X360.substring(0, 120))));
    }

    @Test
    void parsesAvcC() {
        AvcConfig config = AvcConfig.parse(avcC(SPS_1920X1080, PPS));
        assertEquals(100, config.profile());
        assertEquals(40, config.level());
        assertEquals(4, config.nalLengthSize());
        assertArrayEquals(hex(SPS_1920X1080), config.sps().get(0));
        assertArrayEquals(hex(PPS), config.pps().get(0));
        assertEquals(new AvcConfig.Dimensions(1920, 1080), config.dimensions());
        assertEquals(new AvcConfig.Dimensions(640, 360), AvcConfig.parse(TestMedia.AVCC).dimensions());
    }

    @Test
    void rejectsMalformedAvcC() {
        assertEquals("avcC of 3 bytes is shorter than the 7-byte minimum", assertThrows(CodecException.class,
                () -> AvcConfig.parse(hex("016400"))).getMessage());
        assertEquals("avcC SPS 0 of 26 bytes exceeds the 2 remaining bytes", assertThrows(CodecException.class,
                () -> AvcConfig.parse(hex("0164001fffe1001a6764"))).getMessage());
        assertEquals("NAL unit type 8 is not an H.264 SPS (7)", assertThrows(CodecException.class,
                () -> AvcConfig.spsDimensions(hex(PPS))).getMessage());
        assertThrows(CodecException.class, () -> AvcConfig.spsDimensions(hex("6764001facd9")));
    }

    @Test
    void parsesAudioSpecificConfigs() {
        assertEquals(new AacConfig(2, 44100, 2, 0), AacConfig.parse(hex("1210")));
        assertEquals(new AacConfig(2, 48000, 2, 0), AacConfig.parse(hex("1190")));
        // HE-AAC v1 signalled explicitly: SBR (5) at 24 kHz core, 48 kHz output, AAC-LC underneath
        assertEquals(new AacConfig(2, 48000, 2, 5), AacConfig.parse(hex("2b1188")));
        // escape index 0xF with an explicit 24-bit rate of 50000 Hz, mono
        byte[] explicit = AacConfig.build(2, 50_000, 1);
        assertEquals(5, explicit.length);
        assertEquals(new AacConfig(2, 50_000, 1, 0), AacConfig.parse(explicit));
        // object type escape (31 -> 32 + 6 bits): type 42 (USAC), 48 kHz, stereo
        assertEquals(new AacConfig(42, 48000, 2, 0), AacConfig.parse(hex("f94640")));
    }

    @Test
    void buildsAudioSpecificConfigs() {
        assertArrayEquals(hex("1210"), AacConfig.build(2, 44100, 2));
        assertArrayEquals(hex("1190"), AacConfig.build(2, 48000, 2));
        assertArrayEquals(TestMedia.ASC, AacConfig.build(2, 48000, 2));
    }

    @Test
    void rejectsMalformedAudioSpecificConfigs() {
        assertEquals("AudioSpecificConfig of 1 bytes is shorter than 2 bytes", assertThrows(CodecException.class,
                () -> AacConfig.parse(hex("12"))).getMessage());
        assertEquals("AudioSpecificConfig sampling frequency index 13 is reserved", assertThrows(
                CodecException.class, () -> AacConfig.parse(hex("1690"))).getMessage());
        assertThrows(CodecException.class, () -> AacConfig.parse(hex("1780")));
    }
}
