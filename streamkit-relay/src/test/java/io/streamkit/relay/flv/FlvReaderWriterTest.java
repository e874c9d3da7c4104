package io.streamkit.relay.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Payload;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.TestMedia;
import io.streamkit.relay.amf.Amf0;
import io.streamkit.relay.internal.ByteBufPayload;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Example-based tests of {@link FlvReader} and {@link FlvWriter}. */
class FlvReaderWriterTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final RecordingListener listener = new RecordingListener();
    private final FlvReader reader = new FlvReader(listener);

    private final List<ByteBuf> bodies = new ArrayList<>();

    @AfterEach
    void releasePacketsAndCheckForLeaks() {
        listener.releaseAll();
        for (ByteBuf body : bodies) {
            assertEquals(0, body.refCnt(), "a packet or the reader kept a reference to a body");
        }
    }

    static ByteBuf buf(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        return Unpooled.buffer(bytes.length).writeBytes(bytes);
    }

    private void video(ByteBuf body, long ts) {
        bodies.add(body);
        try {
            reader.video(body, ts);
        } finally {
            body.release();
        }
    }

    private void audio(ByteBuf body, long ts) {
        bodies.add(body);
        try {
            reader.audio(body, ts);
        } finally {
            body.release();
        }
    }

    @Test
    void h264SequenceHeaderGivesTheTrackWithDimensions() {
        ByteBuf header = FlvWriter.videoSequenceHeader(ALLOC, TestMedia.videoTrack());
        assertEquals("1700000000", ByteBufUtil.hexDump(header, 0, 5));
        video(header, 0);
        assertEquals(List.of(List.of(TestMedia.videoTrack())), listener.trackUpdates);

        // the same header again changes nothing
        video(FlvWriter.videoSequenceHeader(ALLOC, TestMedia.videoTrack()), 40);
        assertEquals(1, listener.trackUpdates.size());

        byte[] avcC1080 = CodecConfigKnownAnswerTest.avcC(CodecConfigKnownAnswerTest.SPS_1920X1080,
                CodecConfigKnownAnswerTest.PPS);
        TrackInfo hd = TestMedia.videoTrack().toBuilder().config(CodecConfig.of(avcC1080)).dimensions(1920, 1080)
                .build();
        video(FlvWriter.videoSequenceHeader(ALLOC, hd), 80);
        assertEquals(List.of(hd), listener.trackUpdates.get(1));
    }

    @Test
    void h264FrameIsAZeroCopySliceWithCompositionTime() {
        video(FlvWriter.videoSequenceHeader(ALLOC, TestMedia.videoTrack()), 0);
        // inter frame, NALU, cts = -2 (0xfffffe), one 2-byte NAL unit
        ByteBuf body = buf("27 01 fffffe 00000002 4101");
        reader.video(body, 1000);
        MediaPacket p = listener.onlyPacket();
        assertEquals(1000, p.dts());
        assertEquals(998, p.pts());
        assertFalse(p.isKeyframe());
        assertEquals(0, p.trackId());
        assertEquals(1000, p.timescale());
        assertEquals("000000024101", HexFormat.of().formatHex(p.payload().toByteArray()));
        ByteBuf slice = (ByteBuf) p.payload().unwrap();
        assertSame(body.array(), slice.array(), "the payload must share the body's memory");
        assertFalse(body.release());
        listener.releaseAll();
        assertEquals(0, body.refCnt());
    }

    static final TrackInfo HEVC_1080P = TrackInfo.builder(0, Codec.H265).config(CodecConfig.of(HexFormat.of()
            .parseHex(CodecConfigKnownAnswerTest.HVCC_1920X1080))).dimensions(1920, 1080).build();

    @Test
    void legacyHevcCodecId12IsAccepted() {
        video(buf("1c 00 000000" + CodecConfigKnownAnswerTest.HVCC_1920X1080), 0);
        assertEquals(List.of(List.of(HEVC_1080P)), listener.trackUpdates);
        video(buf("1c 01 000010 00000001 26"), 5);
        MediaPacket p = listener.onlyPacket();
        assertEquals(21, p.pts());
        assertTrue(p.isKeyframe());
    }

    @Test
    void enhancedRtmpHevc() {
        ByteBuf header = FlvWriter.videoSequenceHeader(ALLOC, HEVC_1080P);
        assertEquals("90" + "68766331" + CodecConfigKnownAnswerTest.HVCC_1920X1080, ByteBufUtil.hexDump(header));
        video(header, 0);
        assertEquals(List.of(List.of(HEVC_1080P)), listener.trackUpdates);

        // CodedFramesX (no composition time), inter frame
        video(buf("a3 68766331 00000001 02"), 33);
        assertEquals(33, listener.onlyPacket().pts());
        listener.releaseAll();
        // CodedFrames with cts 66, key frame
        video(buf("91 68766331 000042 00000001 26"), 33);
        MediaPacket p = listener.onlyPacket();
        assertEquals(99, p.pts());
        assertTrue(p.isKeyframe());
        assertEquals("0000000126", HexFormat.of().formatHex(p.payload().toByteArray()));
    }

    @Test
    void enhancedRtmpAvc() {
        video(buf("90 61766331" + HexFormat.of().formatHex(TestMedia.AVCC)), 0);
        assertEquals(List.of(List.of(TestMedia.videoTrack())), listener.trackUpdates);
        video(buf("91 61766331 fffff6 00000001 65"), 100); // cts -10
        MediaPacket p = listener.onlyPacket();
        assertEquals(90, p.pts());
        assertEquals("0000000165", HexFormat.of().formatHex(p.payload().toByteArray()));
    }

    @Test
    void enhancedRtmpAv1AndVp9HaveNoCompositionTime() {
        for (Codec codec : List.of(Codec.AV1, Codec.VP9)) {
            RecordingListener l = new RecordingListener();
            FlvReader r = new FlvReader(l);
            TrackInfo track = TrackInfo.builder(0, codec).config(CodecConfig.of(new byte[]{(byte) 0x81, 0}))
                    .build();
            ByteBuf header = FlvWriter.videoSequenceHeader(ALLOC, track);
            r.video(header, 0);
            header.release();
            assertEquals(List.of(track), l.trackUpdates.get(0));
            Payload payload = Payload.wrap(new byte[]{9, 8, 7});
            MediaPacket in = MediaPacket.of(track, 40, 40, true, payload);
            ByteBuf body = FlvWriter.frame(ALLOC, track, in);
            in.release();
            assertEquals(1, payload.refCnt(), "the written body holds the payload");
            assertEquals(8, body.readableBytes());
            assertEquals(0x91, body.getUnsignedByte(0));
            r.video(body, 40);
            body.release();
            MediaPacket out = l.onlyPacket();
            assertEquals(40, out.pts());
            assertArrayEquals(new byte[]{9, 8, 7}, out.payload().toByteArray());
            assertEquals(1, payload.refCnt(), "the read packet holds the body, which holds the payload");
            l.releaseAll();
            assertEquals(0, payload.refCnt());
        }
    }

    @Test
    void skipsCommandFramesMetadataAndEndOfSequence() {
        video(buf("52 01"), 0);
        video(buf("17 02 000000"), 0);
        video(buf("d0 68766331 00"), 0); // enhanced command frame
        video(buf("84 68766331 02 0000"), 0); // enhanced metadata
        video(buf("92 68766331"), 0); // sequence end
        video(buf("95 68766331"), 0); // MPEG-2 TS sequence start
        assertTrue(listener.trackUpdates.isEmpty());
        assertTrue(listener.packets.isEmpty());
        assertEquals(0, reader.droppedBeforeConfig());
    }

    @Test
    void dropsAndCountsFramesBeforeTheirSequenceHeader() {
        video(buf("17 01 000000 00000001 65"), 0);
        audio(buf("af 01 2100"), 0);
        video(buf("93 68766331 00000001 26"), 0);
        assertTrue(listener.packets.isEmpty());
        assertEquals(3, reader.droppedBeforeConfig());
        // an H.264 track does not accept H.265 frames
        video(FlvWriter.videoSequenceHeader(ALLOC, TestMedia.videoTrack()), 0);
        video(buf("93 68766331 00000001 26"), 0);
        assertEquals(4, reader.droppedBeforeConfig());
    }

    @Test
    void aacSequenceHeaderAndFrames() {
        ByteBuf header = FlvWriter.audioSequenceHeader(ALLOC, TestMedia.audioTrack());
        assertEquals("af001190", ByteBufUtil.hexDump(header));
        audio(header, 0);
        assertEquals(List.of(List.of(TestMedia.audioTrack())), listener.trackUpdates);

        video(FlvWriter.videoSequenceHeader(ALLOC, TestMedia.videoTrack()), 0);
        assertEquals(List.of(TestMedia.videoTrack(), TestMedia.audioTrack()), listener.trackUpdates.get(1));

        audio(buf("af 01 21 10 04"), 23);
        MediaPacket p = listener.onlyPacket();
        assertEquals(1, p.trackId());
        assertEquals(23, p.dts());
        assertEquals(23, p.pts());
        assertTrue(p.isKeyframe());
        assertEquals("211004", HexFormat.of().formatHex(p.payload().toByteArray()));
    }

    @Test
    void aacSequenceHeaderIsBuiltWhenTheTrackHasNoConfig() {
        TrackInfo bare = TrackInfo.builder(1, Codec.AAC).audio(44100, 2).build();
        ByteBuf header = FlvWriter.audioSequenceHeader(ALLOC, bare);
        assertEquals("af001210", ByteBufUtil.hexDump(header));
        header.release();
        TrackInfo unknown = TrackInfo.builder(1, Codec.AAC).build();
        assertThrows(CodecException.class, () -> FlvWriter.audioSequenceHeader(ALLOC, unknown));
    }

    @Test
    void mp3TrackComesFromTheFlags() {
        TrackInfo mp3 = TrackInfo.builder(1, Codec.MP3).audio(44100, 2).build();
        assertNull(FlvWriter.audioSequenceHeader(ALLOC, mp3));
        MediaPacket in = MediaPacket.of(mp3, 10, 10, true, ByteBufPayload.of(Unpooled.wrappedBuffer(new byte[]{
                (byte) 0xff, (byte) 0xfb, 0x50})));
        ByteBuf body = FlvWriter.frame(ALLOC, mp3, in);
        in.release();
        assertEquals("2ffffb50", ByteBufUtil.hexDump(body));
        audio(body, 10);
        assertEquals(List.of(List.of(mp3)), listener.trackUpdates);
        assertEquals("fffb50", HexFormat.of().formatHex(listener.onlyPacket().payload().toByteArray()));
        listener.releaseAll();
        audio(buf("2a fffb50"), 36); // 22 kHz mono: the track changes
        assertEquals(List.of(TrackInfo.builder(1, Codec.MP3).audio(22050, 1).build()), listener.trackUpdates.get(1));
    }

    @Test
    void writerIsZeroCopy() {
        ByteBuf data = Unpooled.buffer(16).writeBytes(new byte[]{0, 0, 0, 2, 0x65, 1});
        MediaPacket in = MediaPacket.of(TestMedia.videoTrack(), 100, 140, true, ByteBufPayload.of(data));
        ByteBuf body = FlvWriter.frame(ALLOC, TestMedia.videoTrack(), in);
        CompositeByteBuf composite = assertInstanceOf(CompositeByteBuf.class, body);
        assertEquals(2, composite.numComponents());
        assertEquals("1701000028", ByteBufUtil.hexDump(composite.component(0)));
        assertSame(data.array(), composite.component(1).array(), "the payload must not be copied");
        assertTrue(in.release(), "the packet's payload is freed...");
        assertEquals(1, data.refCnt(), "...but the body still holds the buffer");
        assertTrue(body.release());
        assertEquals(0, data.refCnt());
    }

    @Test
    void foreignPayloadStaysAliveWhileTheBodyLives() {
        AtomicInteger freed = new AtomicInteger();
        Payload payload = Payload.wrap(ByteBuffer.wrap(new byte[]{1, 2, 3}), freed::incrementAndGet);
        MediaPacket in = MediaPacket.of(TestMedia.audioTrack(), 0, 0, true, payload);
        ByteBuf body = FlvWriter.frame(ALLOC, TestMedia.audioTrack(), in);
        in.release();
        assertEquals(0, freed.get());
        assertEquals("af01010203", ByteBufUtil.hexDump(body));
        body.release();
        assertEquals(1, freed.get());
    }

    @Test
    void writerRejectsWhatFlvCannotCarry() {
        TrackInfo vp8 = TrackInfo.builder(0, Codec.VP8).config(CodecConfig.of(new byte[]{1})).build();
        assertEquals("FLV cannot carry video codec VP8", assertThrows(CodecException.class,
                () -> FlvWriter.videoSequenceHeader(ALLOC, vp8)).getMessage());
        TrackInfo opus = TrackInfo.builder(1, Codec.OPUS).build();
        assertThrows(CodecException.class, () -> FlvWriter.audioSequenceHeader(ALLOC, opus));
        MediaPacket p = MediaPacket.of(opus, 0, 0, true, Payload.wrap(new byte[1]));
        assertThrows(CodecException.class, () -> FlvWriter.frame(ALLOC, opus, p));
        MediaPacket late = MediaPacket.of(TestMedia.videoTrack(), 0, 1 << 24, true, Payload.wrap(new byte[1]));
        assertThrows(CodecException.class, () -> FlvWriter.frame(ALLOC, TestMedia.videoTrack(), late));
        assertThrows(IllegalArgumentException.class, () -> FlvWriter.frame(ALLOC, TestMedia.audioTrack(), late));
        TrackInfo noConfig = TrackInfo.builder(0, Codec.H264).build();
        assertThrows(CodecException.class, () -> FlvWriter.videoSequenceHeader(ALLOC, noConfig));
    }

    @Test
    void onMetaDataRoundTrip() {
        ByteBuf body = FlvWriter.onMetaData(ALLOC, TestMedia.tracks());
        List<Object> values = Amf0.decodeAll(body.duplicate());
        assertEquals("onMetaData", values.get(0));
        assertInstanceOf(io.streamkit.relay.amf.AmfEcmaArray.class, values.get(1));
        reader.data(body);
        body.release();
        Map<String, Object> meta = reader.metadata();
        assertEquals(640.0, meta.get("width"));
        assertEquals(360.0, meta.get("height"));
        assertEquals(7.0, meta.get("videocodecid"));
        assertEquals(10.0, meta.get("audiocodecid"));
        assertEquals(48000.0, meta.get("audiosamplerate"));
        assertEquals(2.0, meta.get("audiochannels"));
        assertEquals(true, meta.get("stereo"));
        assertEquals("StreamKit", meta.get("encoder"));

        // a publisher's @setDataFrame form, with an object instead of an ECMA array
        ByteBuf published = Unpooled.buffer();
        Amf0.encodeAll(published, "@setDataFrame", "onMetaData", Map.of("framerate", 30.0));
        reader.data(published);
        published.release();
        assertEquals(Map.of("framerate", 30.0), reader.metadata());

        ByteBuf other = Unpooled.buffer();
        Amf0.encodeAll(other, "onTextData", Map.of("text", "hi"));
        reader.data(other);
        other.release();
        assertEquals(Map.of("framerate", 30.0), reader.metadata());

        ByteBuf hevcMeta = FlvWriter.onMetaData(ALLOC, List.of(TrackInfo.builder(0, Codec.H265).build()));
        reader.data(hevcMeta);
        hevcMeta.release();
        assertEquals((double) 0x68766331, reader.metadata().get("videocodecid"));
    }

    @Test
    void malformedBodiesHaveSpecificMessages() {
        assertEquals("empty FLV video body", assertThrows(CodecException.class, () -> video(buf(""), 0))
                .getMessage());
        assertEquals("FLV H264 video body of 3 bytes is shorter than the 5-byte header", assertThrows(
                CodecException.class, () -> video(buf("170100"), 0)).getMessage());
        assertEquals("unsupported FLV video codec id 2", assertThrows(CodecException.class, () -> video(buf(
                "22 00"), 0)).getMessage());
        assertEquals("unknown Enhanced RTMP video FourCC 'abcd' (0x61626364)", assertThrows(CodecException.class,
                () -> video(buf("90 61626364 00"), 0)).getMessage());
        assertEquals("empty FLV H264 sequence header", assertThrows(CodecException.class, () -> video(buf(
                "17 00 000000"), 0)).getMessage());
        assertEquals("unsupported FLV sound format 11", assertThrows(CodecException.class, () -> audio(buf(
                "b6 00"), 0)).getMessage());
        assertEquals("FLV AAC audio body of 1 byte is shorter than the 2-byte header", assertThrows(
                CodecException.class, () -> audio(buf("af"), 0)).getMessage());
        assertThrows(CodecException.class, () -> audio(buf("af 00 12"), 0));
        assertTrue(listener.trackUpdates.isEmpty());
    }
}
