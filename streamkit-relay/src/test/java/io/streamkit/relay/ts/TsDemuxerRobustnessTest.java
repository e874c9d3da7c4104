package io.streamkit.relay.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.Codec;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Payload;
import io.streamkit.api.TrackInfo;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link TsDemuxer} on random and corrupted input: it throws nothing (no exception but a
 * {@link CodecException} would be acceptable; none is documented for feeding), every packet it
 * emits is well formed and releasable, and how the bytes are split across calls does not matter.
 */
class TsDemuxerRobustnessTest {
    /** A stream of the other codecs (H.265, Opus, MP3) made by the muxer, to corrupt too. */
    private static byte[] otherCodecs;

    /** What one run produced, packets reduced to summaries and released. */
    record Result(List<List<TrackInfo>> tracks, List<TsTesting.Summary> packets, List<Long> counters) {
    }

    static Result run(byte[] ts, List<Integer> cuts) {
        List<TsTesting.Summary> packets = new ArrayList<>();
        List<List<TrackInfo>> tracks = new ArrayList<>();
        TsDemuxer demuxer;
        try {
            demuxer = TsTesting.demux(ts, cuts, new TsDemuxer.Listener() {
                @Override
                public void onTracks(List<TrackInfo> t) {
                    tracks.add(t);
                }

                @Override
                public void onPacket(MediaPacket packet) {
                    try {
                        assertEquals(1, packet.refCnt());
                        assertEquals(TsPackets.TIMESCALE, packet.timescale());
                        assertTrue(tracks.stream().anyMatch(l -> l.stream().anyMatch(t -> t.id() == packet
                                .trackId())), "packet before its track");
                        packets.add(TsTesting.Summary.of(packet));
                    } finally {
                        packet.release();
                    }
                }
            });
        } catch (CodecException allowed) {
            return new Result(tracks, packets, List.of(-1L));
        }
        return new Result(tracks, packets, List.of(demuxer.continuityErrors(), demuxer.syncLosses(), demuxer
                .pesErrors(), demuxer.psiErrors(), demuxer.droppedBeforeConfig(), demuxer.packets()));
    }

    @Property(tries = 300)
    void randomBytesAreSurvived(@ForAll("noise") byte[] bytes, @ForAll @Size(max = 6) List<Integer> cuts) {
        Result whole = run(bytes, List.of());
        assertEquals(whole, run(bytes, cuts));
    }

    /** Random bytes, and random packets with sync bytes, plausible PIDs and random payloads. */
    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> packets = Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // a valid PAT and PMT first, so that elementary stream PIDs are followed
            out.writeBytes(validHeader());
            int n = r.nextInt(40);
            for (int i = 0; i < n; i++) {
                byte[] p = new byte[TsPackets.SIZE];
                r.nextBytes(p);
                p[0] = TsPackets.SYNC;
                int pid = new int[]{0, TsMuxer.PMT_PID, 0x100, 0x101, r.nextInt(8192)}[r.nextInt(5)];
                p[1] = (byte) ((p[1] & 0xE0) | (pid >> 8));
                p[2] = (byte) pid;
                if (r.nextBoolean()) {
                    p[1] &= 0x7F; // no transport error
                    p[3] = (byte) ((p[3] & 0x3F) | 0x10 | (r.nextBoolean() ? 0x20 : 0));
                    if (r.nextBoolean()) {
                        p[4] = 0;
                        p[5] = 0;
                        p[6] = 1;
                    }
                }
                out.writeBytes(p);
            }
            return out.toByteArray();
        });
        return Arbitraries.oneOf(raw, packets);
    }

    /** @return PAT and PMT of an H.264 + AAC stream, as the muxer writes them */
    private static byte[] validHeader() {
        return TsTesting.mux(List.of(TsRoundTripTest.videoTrack(Codec.H264), TsRoundTripTest.audioTrack(Codec.AAC,
                3)), List.of());
    }

    @Property(tries = 150)
    void corruptedFfmpegStreamIsSurvivedAndSplittingDoesNotMatter(@ForAll("corruptions") List<Corruption> corruptions,
            @ForAll @Size(max = 12) List<Integer> cuts) {
        byte[] ts = corrupt(TsTesting.ffmpegSample(), corruptions);
        Result whole = run(ts, List.of());
        assertEquals(whole, run(ts, cuts));
    }

    @Property(tries = 100)
    void corruptedStreamsOfOtherCodecsAreSurvived(@ForAll("corruptions") List<Corruption> corruptions,
            @ForAll @Size(max = 12) List<Integer> cuts) {
        byte[] ts = corrupt(otherCodecs(), corruptions);
        Result whole = run(ts, List.of());
        assertEquals(whole, run(ts, cuts));
    }

    @Property(tries = 30)
    void realStreamSplitAnywhereGivesTheSameResult(@ForAll @Size(max = 40) List<Integer> cuts,
            @ForAll @IntRange(min = 1, max = 400) int step) {
        byte[] ts = TsTesting.ffmpegSample();
        Result whole = run(ts, List.of());
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L), whole.counters().subList(0, 5));
        assertEquals(whole, run(ts, cuts));
        List<Integer> regular = new ArrayList<>();
        for (int i = step; i < ts.length; i += step) {
            regular.add(i);
        }
        assertEquals(whole, run(ts, regular));
    }

    /**
     * One change: flip bits at a position, delete a range, insert random bytes, or overwrite a
     * range with a byte value.
     */
    record Corruption(int kind, int position, int length, int value) {
    }

    @Provide
    Arbitrary<List<Corruption>> corruptions() {
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers()
                .greaterOrEqual(0), Arbitraries.integers().between(1, 400), Arbitraries.integers().between(0, 255))
                .as(Corruption::new).list().ofMinSize(1).ofMaxSize(12);
    }

    static byte[] corrupt(byte[] ts, List<Corruption> corruptions) {
        byte[] b = ts;
        for (Corruption c : corruptions) {
            int pos = c.position() % b.length;
            int len = Math.min(c.length(), b.length - pos);
            switch (c.kind()) {
                case 0 -> b[pos] ^= (byte) Math.max(1, c.value());
                case 1 -> {
                    byte[] shorter = new byte[b.length - len];
                    System.arraycopy(b, 0, shorter, 0, pos);
                    System.arraycopy(b, pos + len, shorter, pos, b.length - pos - len);
                    b = shorter.length == 0 ? new byte[]{0} : shorter;
                }
                case 2 -> {
                    byte[] longer = new byte[b.length + c.length()];
                    System.arraycopy(b, 0, longer, 0, pos);
                    byte[] noise = new byte[c.length()];
                    new Random(c.value()).nextBytes(noise);
                    System.arraycopy(noise, 0, longer, pos, noise.length);
                    System.arraycopy(b, pos, longer, pos + noise.length, b.length - pos);
                    b = longer;
                }
                default -> java.util.Arrays.fill(b, pos, pos + len, (byte) c.value());
            }
        }
        return b;
    }

    private static synchronized byte[] otherCodecs() {
        if (otherCodecs == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Random random = new Random(7);
            for (Codec[] pair : new Codec[][]{{Codec.H265, Codec.OPUS}, {Codec.H264, Codec.MP3}}) {
                List<TrackInfo> tracks = List.of(TsRoundTripTest.videoTrack(pair[0]), TsRoundTripTest.audioTrack(
                        pair[1], 1));
                List<MediaPacket> packets = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    packets.add(MediaPacket.of(tracks.get(0), 3000L * i, 3000L * i + 6000, i % 10 == 0, Payload.wrap(
                            TsRoundTripTest.accessUnit(pair[0] == Codec.H265, i % 10 == 0, random, 5))));
                    packets.add(MediaPacket.of(tracks.get(1), 2000L * i, 2000L * i, true, Payload.wrap(
                            TsRoundTripTest.audioFrame(tracks.get(1), random, 1))));
                }
                packets.sort(Comparator.comparingLong(MediaPacket::dts));
                out.writeBytes(TsTesting.mux(tracks, packets));
                packets.forEach(MediaPacket::release);
            }
            otherCodecs = out.toByteArray();
        }
        return otherCodecs.clone();
    }
}
