package io.streamkit.relay.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.CodecException;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.TestMedia;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Known-answer checks of the initialization segment's sample entries, and error reporting. */
class Mp4InitSegmentTest {
    /** OpusHead: version 1, 2 channels, pre-skip 312, 48000 Hz, gain 0, family 0. */
    private static final byte[] OPUS_HEAD = HexFormat.of().parseHex("4f707573486561640102380180bb0000000000");

    @Test
    void sampleEntriesCarryConfigurations() {
        TrackInfo video = TestMedia.videoTrack().toBuilder().dimensions(0, 0).build(); // size from the SPS
        TrackInfo opus = TrackInfo.builder(2, Codec.OPUS).timescale(48000).config(CodecConfig.of(OPUS_HEAD))
                .build();
        FragmentedMp4Muxer muxer = new FragmentedMp4Muxer(List.of(video, TestMedia.audioTrack(), opus));
        ByteBuf init = muxer.initSegment(Mp4MuxerPropertiesTest.ALLOC);
        try {
            List<Mp4Box> top = Mp4BoxReader.parse(init);
            assertEquals(List.of("ftyp", "moov"), Mp4Samples.topLevelTypes(top));
            assertEquals("iso6",
                    new String(top.get(0).payloadBytes(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
            List<Mp4Box> traks = top.get(1).children("trak");
            Mp4Box avc1 = traks.get(0).find("mdia/minf/stbl/stsd/avc1");
            ByteBuffer fields = avc1.payload();
            assertEquals(640, fields.getShort(24) & 0xFFFF);
            assertEquals(360, fields.getShort(26) & 0xFFFF);
            assertArrayEquals(TestMedia.AVCC, avc1.find("avcC").payloadBytes());
            assertEquals(1000, muxer.mediaTimescale(0), "video keeps the track timescale");

            Mp4Box mp4a = traks.get(1).find("mdia/minf/stbl/stsd/mp4a");
            assertEquals(2, mp4a.payload().getShort(16)); // channelcount
            assertEquals(48000, mp4a.payload().getInt(24) >>> 16);
            byte[] esds = mp4a.find("esds").payloadBytes();
            // ES_Descriptor(3) > DecoderConfigDescriptor(4, MPEG-4 audio 0x40, audio stream 0x15)
            // > DecoderSpecificInfo(5) holding the AudioSpecificConfig
            assertEquals(0x03, esds[4]);
            byte[] tail = Arrays.copyOfRange(esds, esds.length - 7, esds.length);
            assertArrayEquals(new byte[]{0x05, 0x02, 0x11, (byte) 0x90, 0x06, 0x01, 0x02}, tail);
            assertEquals(48000, muxer.mediaTimescale(1));

            Mp4Box dOps = traks.get(2).find("mdia/minf/stbl/stsd/Opus/dOps");
            assertArrayEquals(HexFormat.of().parseHex("0002013800 00bb80 0000 00".replace(" ", "")), dOps
                    .payloadBytes());
            assertEquals("soun", new String(traks.get(2).find("mdia/hdlr").payloadBytes(), 8, 4,
                    java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(4, top.get(1).find("mvhd").payload().getInt(96), "next_track_ID");
        } finally {
            init.release();
        }
    }

    @Test
    void unsupportedOrUnconfiguredTracksAreRejected() {
        CodecException vp8 = assertThrows(CodecException.class, () -> new FragmentedMp4Muxer(List.of(TrackInfo
                .builder(0, Codec.VP8).build())));
        assertTrue(vp8.getMessage().contains("VP8"), vp8.getMessage());
        CodecException noAvcC = assertThrows(CodecException.class, () -> new FragmentedMp4Muxer(List.of(TrackInfo
                .builder(0, Codec.H264).build())));
        assertTrue(noAvcC.getMessage().contains("no avcC"), noAvcC.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FragmentedMp4Muxer(List.of()));
    }

    @Test
    void ioFailuresNameTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("no/such/dir/rec.mp4");
        RecordingException e = assertThrows(RecordingException.class, () -> FragmentedMp4Writer.open(missing,
                TestMedia.tracks()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        RecordingException f = assertThrows(RecordingException.class, () -> Mp4Finalizer.toProgressive(missing, dir
                .resolve("out.mp4")));
        assertTrue(f.getMessage().contains(missing.toString()), f.getMessage());
    }
}
