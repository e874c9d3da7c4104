package io.streamkit.relay.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Payload;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.internal.AacConfig;
import io.streamkit.relay.internal.NalUnits;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link TsMuxer} then {@link TsDemuxer} is the identity on access-unit sequences that follow the
 * demuxer's rules: H.264/H.265 payloads without access unit delimiters and parameter sets (those
 * travel in the configuration), NAL units that are escaped and do not end in a zero byte, keyframes
 * exactly when an IDR/IRAP slice is present, the first video frame a keyframe, and timestamps that
 * start below 2^33 (they may run across the wrap).
 */
class TsRoundTripTest {
    static final byte[] SPS_1280X720 = hex("6764001facd9405005bb0110000003001000000303c0f1831960");
    static final byte[] PPS = hex("68ebe3cb22c0");
    /** From the FLV known-answer test: libx265 640x360 (VPS, SPS, PPS). */
    static final byte[] HVCC_640X360 = hex(
            "0101600000009000000000003ff000fcfdf8f800000f03a00001001840010c01ffff0160000003"
                    + "0090000003000003003f959809a10001002a42010101600000030090000003000003003fa00502016965959a4932bc05a02"
                    + "0000003002000000303c1a2000100074401c172b46240");
    private static final int[] AAC_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
            11025, 8000, 7350};

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** The shape of one generated stream; its frames derive from {@code seed}. */
    record Spec(Codec video, Codec audio, long base, long seed, int videoFrames, int audioFrames, int zeroPercent,
            int audioVariant) {
    }

    @Provide
    Arbitrary<Spec> specs() {
        Arbitrary<Codec> video = Arbitraries.of(Codec.H264, Codec.H265, Codec.VP8); // VP8 = no video track
        Arbitrary<Codec> audio = Arbitraries.of(Codec.AAC, Codec.MP3, Codec.OPUS, Codec.G722); // G722 = none
        Arbitrary<Long> base = Arbitraries.oneOf(Arbitraries.longs().between(0, (1L << 33) - 10_001),
                Arbitraries.longs().between((1L << 33) - 200_000, (1L << 33) - 10_001), Arbitraries.just(0L));
        return Combinators.combine(video, audio, base, Arbitraries.longs(), Arbitraries.integers().between(1, 25),
                Arbitraries.integers().between(1, 40), Arbitraries.integers().between(0, 60), Arbitraries.integers()
                        .between(0, 1000))
                .as(Spec::new)
                .filter(s -> s.video() != Codec.VP8 || s.audio() != Codec.G722);
    }

    @Property(tries = 250)
    void muxThenDemuxIsIdentity(@ForAll("specs") Spec spec) {
        Random random = new Random(spec.seed());
        List<TrackInfo> tracks = new ArrayList<>();
        List<MediaPacket> in = new ArrayList<>();
        if (spec.video() != Codec.VP8) {
            TrackInfo track = videoTrack(spec.video());
            tracks.add(track);
            long dts = spec.base() + random.nextInt(10_000);
            for (int i = 0; i < spec.videoFrames(); i++) {
                boolean key = i == 0 || random.nextInt(5) == 0;
                long pts = dts + (random.nextBoolean() ? 0 : random.nextInt(9000));
                in.add(MediaPacket.of(track, dts, pts, key, Payload.wrap(accessUnit(spec.video() == Codec.H265, key,
                        random, spec.zeroPercent()))));
                dts += 1 + random.nextInt(6000);
            }
        }
        if (spec.audio() != Codec.G722) {
            TrackInfo track = audioTrack(spec.audio(), spec.audioVariant());
            tracks.add(track);
            long dts = spec.base() + random.nextInt(10_000);
            for (int i = 0; i < spec.audioFrames(); i++) {
                in.add(MediaPacket.of(track, dts, dts, true, Payload.wrap(audioFrame(track, random, spec
                        .audioVariant()))));
                dts += 1 + random.nextInt(4000);
            }
        }
        in.sort(Comparator.comparingLong(MediaPacket::dts));
        byte[] ts;
        try {
            ts = TsTesting.mux(tracks, in);
        } catch (RuntimeException | Error e) {
            in.forEach(MediaPacket::release);
            throw e;
        }
        TsTesting.Recorder recorder = new TsTesting.Recorder();
        try {
            TsDemuxer demuxer = TsTesting.demux(ts, List.of(), recorder);
            assertEquals(tracks, recorder.lastTracks());
            assertFalse(recorder.packetBeforeTrack, "a packet came before its track");
            assertEquals(List.of(0L, 0L, 0L, 0L, 0L), List.of(demuxer.continuityErrors(), demuxer.syncLosses(),
                    demuxer.pesErrors(), demuxer.psiErrors(), demuxer.droppedBeforeConfig()));
            for (TrackInfo track : tracks) {
                List<MediaPacket> expected = in.stream().filter(p -> p.trackId() == track.id()).toList();
                List<MediaPacket> actual = recorder.track(track.id());
                assertEquals(expected.size(), actual.size(), "packets of track " + track.id());
                for (int i = 0; i < expected.size(); i++) {
                    MediaPacket e = expected.get(i);
                    MediaPacket a = actual.get(i);
                    String where = "track " + track.id() + " packet " + i;
                    assertEquals(e.dts(), a.dts(), where + " dts");
                    assertEquals(e.pts(), a.pts(), where + " pts");
                    assertEquals(e.isKeyframe(), a.isKeyframe(), where + " keyframe");
                    assertEquals(TsPackets.TIMESCALE, a.timescale());
                    assertArrayEquals(e.payload().toByteArray(), a.payload().toByteArray(), where + " payload");
                }
            }
        } finally {
            recorder.releaseAll();
            in.forEach(MediaPacket::release);
        }
    }

    static TrackInfo videoTrack(Codec codec) {
        if (codec == Codec.H264) {
            return TrackInfo.builder(0, Codec.H264).timescale(TsPackets.TIMESCALE).config(CodecConfig.of(NalUnits.avcC(
                    List.of(SPS_1280X720), List.of(PPS)))).dimensions(1280, 720).build();
        }
        List<byte[]> nals = NalUnits.hvcCNalUnits(HVCC_640X360);
        byte[] hvcC = NalUnits.hvcC(List.of(nals.get(0)), List.of(nals.get(1)), List.of(nals.get(2)));
        return TrackInfo.builder(0, Codec.H265).timescale(TsPackets.TIMESCALE).config(CodecConfig.of(hvcC))
                .dimensions(640, 360).build();
    }

    static TrackInfo audioTrack(Codec codec, int variant) {
        TrackInfo.Builder b = TrackInfo.builder(1, codec).timescale(TsPackets.TIMESCALE);
        return switch (codec) {
            case AAC -> {
                int objectType = 1 + variant % 4;
                int rate = AAC_RATES[variant % AAC_RATES.length];
                int channels = new int[]{1, 2, 3, 4, 5, 6, 8}[variant % 7];
                yield b.config(CodecConfig.of(AacConfig.build(objectType, rate, channels))).audio(rate, channels)
                        .build();
            }
            case MP3 -> b.audio(new int[]{44100, 48000, 32000}[variant % 3], variant % 2 == 0 ? 1 : 2).build();
            case OPUS -> {
                int channels = 1 + variant % 2;
                yield b.config(CodecConfig.of(OpusReader.opusHead(channels))).audio(48000, channels).build();
            }
            default -> throw new IllegalArgumentException(codec.toString());
        };
    }

    static byte[] audioFrame(TrackInfo track, Random random, int variant) {
        return switch (track.codec()) {
            case AAC -> randomBytes(random, 1 + random.nextInt(2000), 10);
            case OPUS -> randomBytes(random, 1 + random.nextInt(1200), 10);
            case MP3 -> {
                int rateIndex = variant % 3;
                int bitrateIndex = 1 + random.nextInt(14);
                int padding = random.nextInt(2);
                int bitrate = new int[]{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}[bitrateIndex];
                int length = 144 * bitrate * 1000 / track.sampleRate() + padding;
                byte[] frame = randomBytes(random, length, 10);
                frame[0] = (byte) 0xFF;
                frame[1] = (byte) 0xFB;
                frame[2] = (byte) ((bitrateIndex << 4) | (rateIndex << 2) | (padding << 1));
                frame[3] = (byte) ((track.channels() == 1 ? 3 : 0) << 6);
                yield frame;
            }
            default -> throw new IllegalArgumentException(track.codec().toString());
        };
    }

    /** @return 1 to 4 NAL units, 4-byte-length-prefixed, of the kind the demuxer passes through */
    static byte[] accessUnit(boolean hevc, boolean keyframe, Random random, int zeroPercent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 1 + random.nextInt(4);
        int slice = random.nextInt(count); // the keyframe's IDR/IRAP slice
        for (int i = 0; i < count; i++) {
            byte[] header;
            if (hevc) {
                int type;
                if (keyframe && i == slice) {
                    type = 16 + random.nextInt(6); // BLA, IDR, CRA
                } else {
                    type = new int[]{0, 1, 2, 8, 39, 40}[random.nextInt(6)];
                }
                header = new byte[]{(byte) (type << 1), 1};
            } else {
                int type;
                if (keyframe && i == slice) {
                    type = 5;
                } else {
                    type = new int[]{1, 2, 6, 12, keyframe ? 5 : 1}[random.nextInt(5)];
                }
                header = new byte[]{(byte) ((random.nextInt(4) << 5) | type)};
            }
            byte[] raw = randomBytes(random, random.nextInt(3000), zeroPercent);
            byte[] nal = escape(header, raw);
            out.writeBytes(new byte[]{(byte) (nal.length >>> 24), (byte) (nal.length >>> 16), (byte) (nal.length >>> 8),
                    (byte) nal.length});
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    static byte[] randomBytes(Random random, int length, int zeroPercent) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        for (int i = 0; i < length; i++) {
            if (random.nextInt(100) < zeroPercent) {
                b[i] = (byte) random.nextInt(4); // 0..3 make start code emulation likely
            }
        }
        return b;
    }

    /** Emulation prevention over header and payload, and a last byte that is not zero. */
    static byte[] escape(byte[] header, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int zeros = 0;
        byte[] all = new byte[header.length + raw.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(raw, 0, all, header.length, raw.length);
        for (byte b : all) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        if (all[all.length - 1] == 0) {
            out.write(0x80);
        }
        return out.toByteArray();
    }

    @Property(tries = 100)
    void escapedNalUnitsSurviveAnnexB(@ForAll @Size(max = 8) List<@Size(max = 300) byte[]> bodies,
            @ForAll @IntRange(min = 0, max = 3) int extraZeros) {
        List<byte[]> nals = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] body : bodies) {
            byte[] nal = escape(new byte[]{0x41}, body);
            nals.add(nal);
            stream.writeBytes(new byte[extraZeros]);
            stream.writeBytes(new byte[]{0, 0, 1});
            stream.writeBytes(nal);
        }
        byte[] data = stream.toByteArray();
        List<byte[]> found = new ArrayList<>();
        NalUnits.annexB(data, 0, data.length, (o, l) -> found.add(java.util.Arrays.copyOfRange(data, o, o + l)));
        assertEquals(nals.size(), found.size());
        for (int i = 0; i < nals.size(); i++) {
            assertArrayEquals(nals.get(i), found.get(i));
        }
    }
}
