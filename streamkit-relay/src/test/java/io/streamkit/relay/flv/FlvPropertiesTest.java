package io.streamkit.relay.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.Payload;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.TestMedia;
import io.streamkit.relay.internal.AacConfig;
import io.streamkit.relay.internal.AvcConfig;
import io.streamkit.relay.internal.HevcConfig;
import io.streamkit.relay.internal.ByteBufPayload;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Round trips through {@link FlvWriter} and {@link FlvReader}, and robustness of the reader. */
class FlvPropertiesTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final TrackInfo HEVC = FlvReaderWriterTest.HEVC_1080P;

    @Property(tries = 300)
    void h264FramesRoundTrip(@ForAll @Size(max = 2000) byte[] bytes,
            @ForAll @LongRange(min = 0, max = 1L << 40) long dts,
            @ForAll @IntRange(min = -1000, max = 1000) int cts, @ForAll boolean keyframe,
            @ForAll boolean byteBufPayload) {
        roundTrip(TestMedia.videoTrack(), bytes, dts, cts, keyframe, byteBufPayload);
    }

    @Property(tries = 300)
    void hevcFramesRoundTripThroughEnhancedRtmp(@ForAll @Size(max = 2000) byte[] bytes,
            @ForAll @LongRange(min = 0, max = 1L << 40) long dts, @ForAll @IntRange(min = -1000, max = 1000) int cts,
            @ForAll boolean keyframe, @ForAll boolean byteBufPayload) {
        roundTrip(HEVC, bytes, dts, cts, keyframe, byteBufPayload);
    }

    @Property(tries = 300)
    void aacFramesRoundTrip(@ForAll @Size(max = 2000) byte[] bytes,
            @ForAll @LongRange(min = 0, max = 1L << 40) long dts,
            @ForAll boolean byteBufPayload) {
        roundTrip(TestMedia.audioTrack(), bytes, dts, 0, true, byteBufPayload);
    }

    private static void roundTrip(TrackInfo track, byte[] bytes, long dts, int cts, boolean keyframe,
            boolean byteBufPayload) {
        RecordingListener listener = new RecordingListener();
        FlvReader reader = new FlvReader(listener);
        ByteBuf header = track.mediaType() == MediaType.VIDEO
                ? FlvWriter.videoSequenceHeader(ALLOC,
                        track)
                : FlvWriter.audioSequenceHeader(ALLOC, track);
        feed(reader, track, header, 0);
        assertEquals(List.of(List.of(track)), listener.trackUpdates);

        ByteBuf backing = byteBufPayload ? Unpooled.buffer(bytes.length).writeBytes(bytes) : null;
        Payload payload = byteBufPayload ? ByteBufPayload.of(backing) : Payload.wrap(bytes.clone());
        MediaPacket in = MediaPacket.of(track, dts, dts + cts, keyframe, payload);
        ByteBuf body = FlvWriter.frame(ALLOC, track, in);
        in.release();
        feed(reader, track, body, dts);

        MediaPacket out = listener.onlyPacket();
        try {
            assertArrayEquals(bytes, out.payload().toByteArray());
            assertEquals(dts, out.dts());
            assertEquals(dts + cts, out.pts());
            assertEquals(keyframe, out.isKeyframe());
            assertEquals(track.id(), out.trackId());
            assertEquals(track.mediaType(), out.mediaType());
        } finally {
            listener.releaseAll();
        }
        assertEquals(0, payload.refCnt());
        if (backing != null) {
            assertEquals(0, backing.refCnt());
        }
    }

    private static void feed(FlvReader reader, TrackInfo track, ByteBuf body, long ts) {
        try {
            if (track.mediaType() == MediaType.VIDEO) {
                reader.video(body, ts);
            } else {
                reader.audio(body, ts);
            }
        } finally {
            body.release();
        }
    }

    @Property(tries = 200)
    void sequenceHeadersRoundTrip(@ForAll @Size(min = 1, max = 300) byte[] av1C,
            @ForAll("aacConfigs") byte[] asc) {
        RecordingListener listener = new RecordingListener();
        FlvReader reader = new FlvReader(listener);
        TrackInfo av1 = TrackInfo.builder(0, Codec.AV1).config(CodecConfig.of(av1C)).build();
        AacConfig parsed = AacConfig.parse(asc);
        TrackInfo aac = TrackInfo.builder(1, Codec.AAC).config(CodecConfig.of(asc)).audio(parsed.sampleRate(),
                parsed.channels()).build();
        feed(reader, av1, FlvWriter.videoSequenceHeader(ALLOC, av1), 0);
        feed(reader, aac, FlvWriter.audioSequenceHeader(ALLOC, aac), 0);
        feed(reader, TestMedia.videoTrack(), FlvWriter.videoSequenceHeader(ALLOC, TestMedia.videoTrack()), 0);
        feed(reader, HEVC, FlvWriter.videoSequenceHeader(ALLOC, HEVC), 0);
        assertEquals(List.of(List.of(av1), List.of(av1, aac), List.of(TestMedia.videoTrack(), aac), List.of(HEVC,
                aac)), listener.trackUpdates);
    }

    @Property(tries = 2000)
    void corruptedCodecConfigsThrowOnlyCodecException(@ForAll @IntRange(min = 0, max = 2) int which,
            @ForAll @Size(min = 1, max = 4) List<Integer> corruptions, @ForAll @IntRange(min = 0, max = 100) int cut) {
        byte[] config = HexFormat.of().parseHex(switch (which) {
            case 0 -> HexFormat.of().formatHex(CodecConfigKnownAnswerTest.avcC(CodecConfigKnownAnswerTest.SPS_1920X1080,
                    CodecConfigKnownAnswerTest.PPS));
            case 1 -> CodecConfigKnownAnswerTest.HVCC_1920X1080;
            default -> "2b1188";
        });
        for (int c : corruptions) {
            config[Math.floorMod(c, config.length)] ^= (byte) (c >>> 8);
        }
        byte[] truncated = Arrays.copyOf(config, config.length * cut / 100);
        for (byte[] bytes : List.of(config, truncated)) {
            try {
                switch (which) {
                    case 0 -> AvcConfig.parse(bytes).dimensions();
                    case 1 -> HevcConfig.dimensions(bytes);
                    default -> AacConfig.parse(bytes);
                }
            } catch (CodecException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
            }
        }
    }

    @Provide
    Arbitrary<byte[]> aacConfigs() {
        return Combinators
                .combine(Arbitraries.integers().between(1, 30).filter(t -> t != 5 && t != 29),
                        Arbitraries.of(7350, 8000,
                                11025, 16000, 22050, 32000, 44100, 48000, 96000, 12345, 50000),
                        Arbitraries.of(1, 2, 3, 4, 5, 6, 8))
                .as(AacConfig::build);
    }

    @Property(tries = 3000)
    void malformedBodiesThrowOnlyCodecExceptionAndLeakNothing(@ForAll("bodies") byte[] bytes,
            @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll boolean configured) {
        RecordingListener listener = new RecordingListener();
        FlvReader reader = new FlvReader(listener);
        if (configured) {
            feed(reader, TestMedia.videoTrack(), FlvWriter.videoSequenceHeader(ALLOC, TestMedia.videoTrack()), 0);
            feed(reader, HEVC, FlvWriter.videoSequenceHeader(ALLOC, HEVC), 0);
            feed(reader, TestMedia.audioTrack(), FlvWriter.audioSequenceHeader(ALLOC, TestMedia.audioTrack()), 0);
        }
        ByteBuf body = Unpooled.buffer(bytes.length).writeBytes(bytes);
        try {
            switch (kind) {
                case 0 -> reader.video(body, 1000);
                case 1 -> reader.audio(body, 1000);
                default -> reader.data(body);
            }
        } catch (CodecException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
        } finally {
            listener.releaseAll();
            assertTrue(body.release(), "a packet or the reader kept a reference to the body");
        }
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> tails = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<byte[]> prefixes = Arbitraries.of(new byte[0], new byte[]{0x17}, new byte[]{0x27, 0},
                new byte[]{0x17, 1}, new byte[]{0x17, 0, 0, 0, 0, 1}, new byte[]{0x1c},
                new byte[]{(byte) 0x90, 'h', 'v', 'c', '1'}, new byte[]{(byte) 0x91, 'h', 'v', 'c', '1'},
                new byte[]{(byte) 0x93, 'a', 'v', 'c', '1'}, new byte[]{(byte) 0x90, 'a', 'v', 'c', '1'},
                new byte[]{(byte) 0x91, 'a', 'v', '0', '1'}, new byte[]{(byte) 0xaf, 0}, new byte[]{
                        (byte) 0xaf, 1},
                new byte[]{0x2f}, new byte[]{2, 0, 10, 'o', 'n', 'M', 'e', 't', 'a',
                        'D', 'a', 't', 'a', 8});
        return Combinators.combine(prefixes, tails).as((p, t) -> {
            byte[] out = new byte[p.length + t.length];
            System.arraycopy(p, 0, out, 0, p.length);
            System.arraycopy(t, 0, out, p.length, t.length);
            return out;
        });
    }
}
