package io.streamkit.relay.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.api.CodecException;
import io.streamkit.relay.internal.AacConfig;
import io.streamkit.relay.internal.AdtsHeader;
import io.streamkit.relay.internal.NalUnits;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Known answers and round trips of the helpers the MPEG-TS code uses: NAL framing and ADTS. */
class TsHelpersTest {
    /** libx265 1920x1080 from the FLV known-answer test. */
    private static final byte[] HVCC_1920X1080 = TsRoundTripTest.hex(
            "01016000000090000000000078f000fcfdf8f800000f03a00001001840010c01ffff016000000300900000030000030078959809a1"
                    + "0001002a420101016000000300900000030000030078a003c080"
                    + "10e596566924caf0168080000003008000000f04a2"
                    + "000100074401c172b46240");

    @Test
    void hvcCIsRebuiltExactlyFromItsParameterSets() {
        for (byte[] hvcC : List.of(HVCC_1920X1080, TsRoundTripTest.HVCC_640X360)) {
            List<byte[]> nals = NalUnits.hvcCNalUnits(hvcC);
            assertEquals(3, nals.size());
            assertArrayEquals(hvcC, NalUnits.hvcC(List.of(nals.get(0)), List.of(nals.get(1)), List.of(nals.get(2))));
        }
    }

    @Test
    void avcCHasTheFlvTestLayout() {
        byte[] avcC = NalUnits.avcC(List.of(TsRoundTripTest.SPS_1280X720), List.of(TsRoundTripTest.PPS));
        assertEquals("0164001fffe1001a6764001facd9405005bb0110000003001000000303c0f183196001000668ebe3cb22c0",
                java.util.HexFormat.of().formatHex(avcC));
        assertThrows(CodecException.class, () -> NalUnits.avcC(List.of(), List.of(TsRoundTripTest.PPS)));
    }

    @Test
    void annexBSkipsLeadingBytesAndTrailingZeros() {
        byte[] stream = {9, 9, 0, 0, 0, 1, 0x09, (byte) 0xF0, 0, 0, 1, 0x65, 1, 2, 0, 0, 0, 0, 0, 1, 0x41, 0, 0, 1};
        List<String> nals = new ArrayList<>();
        NalUnits.annexB(stream, 0, stream.length, (o, l) -> nals.add(o + "+" + l));
        assertEquals(List.of("6+2", "11+3", "20+1"), nals);
    }

    @Property(tries = 200)
    void adtsHeadersRoundTrip(@ForAll @IntRange(min = 1, max = 4) int objectType,
            @ForAll @IntRange(min = 0, max = 12) int rateIndex, @ForAll @IntRange(min = 1, max = 7) int channelConfig,
            @ForAll @IntRange(min = 0, max = 8184) int rawLength) {
        AdtsHeader header = new AdtsHeader(objectType, rateIndex, channelConfig, AdtsHeader.LENGTH + rawLength, false);
        ByteBuf out = Unpooled.buffer();
        header.write(out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        assertEquals(header, AdtsHeader.parse(bytes, 0, bytes.length));
        assertEquals(header, AdtsHeader.fromAudioSpecificConfig(header.audioSpecificConfig(), rawLength));
        AacConfig asc = AacConfig.parse(header.audioSpecificConfig());
        assertEquals(header.sampleRate(), asc.sampleRate());
        assertEquals(header.channels(), asc.channels());
    }

    @Test
    void adtsKnownAnswers() {
        // AAC-LC 48 kHz stereo, 7 + 100 bytes, as ffmpeg writes it
        byte[] header = TsRoundTripTest.hex("fff14c800d7ffc");
        AdtsHeader parsed = AdtsHeader.parse(header, 0, header.length);
        assertEquals(new AdtsHeader(2, 3, 2, 107, false), parsed);
        assertArrayEquals(new byte[]{0x11, (byte) 0x90}, parsed.audioSpecificConfig());
        // explicit HE-AAC (SBR, 24 kHz core, 48 kHz output) is written as its AAC-LC core
        byte[] heAac = TsRoundTripTest.hex("2b098800");
        assertEquals(new AdtsHeader(2, 6, 1, 17, false), AdtsHeader.fromAudioSpecificConfig(heAac, 10));
        assertThrows(CodecException.class, () -> AdtsHeader.fromAudioSpecificConfig(new byte[]{(byte) 0xF8, 0}, 1));
        assertNull(AdtsHeader.parse(new byte[]{(byte) 0xFF, (byte) 0xF1, 0x50, 0, 0, 0, 0}, 0, 7), "length < 7");
    }
}
