package io.streamkit.relay.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.Codec;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Payload;
import io.streamkit.api.TrackInfo;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TsDemuxer} on damaged streams: what it drops, what it counts, and what it keeps. */
class TsDemuxerTest {
    private static final TrackInfo VIDEO = TsRoundTripTest.videoTrack(Codec.H264);

    /** 10 video frames of 1000 bytes, the first and sixth keyframes; dts 3000 apart. */
    static byte[] videoStream(int frames, int size) {
        Random random = new Random(3);
        List<MediaPacket> in = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            byte[] nal = TsRoundTripTest.escape(new byte[]{(byte) (i % 5 == 0 ? 0x65 : 0x41)}, TsRoundTripTest
                    .randomBytes(random, size, 0));
            byte[] au = new byte[4 + nal.length];
            au[0] = (byte) (nal.length >>> 24);
            au[1] = (byte) (nal.length >>> 16);
            au[2] = (byte) (nal.length >>> 8);
            au[3] = (byte) nal.length;
            System.arraycopy(nal, 0, au, 4, nal.length);
            in.add(MediaPacket.of(VIDEO, 3000L * i, 3000L * i, i % 5 == 0, Payload.wrap(au)));
        }
        byte[] ts = TsTesting.mux(List.of(VIDEO), in);
        in.forEach(MediaPacket::release);
        return ts;
    }

    private static byte[] withoutPacket(byte[] ts, int index) {
        byte[] out = new byte[ts.length - TsPackets.SIZE];
        System.arraycopy(ts, 0, out, 0, index * TsPackets.SIZE);
        System.arraycopy(ts, (index + 1) * TsPackets.SIZE, out, index * TsPackets.SIZE, ts.length - (index + 1)
                * TsPackets.SIZE);
        return out;
    }

    private static List<Long> dts(TsTesting.Recorder recorder) {
        return recorder.packets.stream().map(MediaPacket::dts).toList();
    }

    @Test
    void aLostPacketDropsOnlyItsFrame() {
        byte[] ts = videoStream(10, 1000);
        // packets: PAT, PMT, then 6 per frame (1000 + header bytes); index 10 is inside frame 1
        TsTesting.Recorder recorder = new TsTesting.Recorder();
        try {
            TsDemuxer demuxer = TsTesting.demux(withoutPacket(ts, 10), List.of(), recorder);
            assertEquals(1, demuxer.continuityErrors());
            assertEquals(0, demuxer.syncLosses());
            List<Long> expected = new ArrayList<>(List.of(0L, 3000L, 6000L, 9000L, 12000L, 15000L, 18000L, 21000L,
                    24000L, 27000L));
            expected.remove(1);
            assertEquals(expected, dts(recorder));
        } finally {
            recorder.releaseAll();
        }
    }

    @Test
    void aDuplicatePacketIsIgnored() {
        byte[] ts = videoStream(3, 1000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ts, 0, 5 * TsPackets.SIZE);
        out.write(ts, 4 * TsPackets.SIZE, ts.length - 4 * TsPackets.SIZE);
        TsTesting.Recorder recorder = new TsTesting.Recorder();
        try {
            TsDemuxer demuxer = TsTesting.demux(out.toByteArray(), List.of(), recorder);
            assertEquals(0, demuxer.continuityErrors() + demuxer.pesErrors());
            assertEquals(List.of(0L, 3000L, 6000L), dts(recorder));
        } finally {
            recorder.releaseAll();
        }
    }

    @Test
    void garbageBetweenPacketsIsASyncLoss() {
        byte[] ts = videoStream(10, 1000);
        int at = 20 * TsPackets.SIZE;
        byte[] garbage = new byte[77];
        Arrays.fill(garbage, (byte) 0x47); // sync bytes that do not repeat 188 bytes on
        garbage[76] = 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ts, 0, at);
        out.writeBytes(garbage);
        out.write(ts, at, ts.length - at);
        TsTesting.Recorder recorder = new TsTesting.Recorder();
        try {
            TsDemuxer demuxer = TsTesting.demux(out.toByteArray(), List.of(), recorder);
            assertEquals(1, demuxer.syncLosses());
            assertEquals(10, recorder.packets.size(), "no packet was lost, only bytes between packets");
        } finally {
            recorder.releaseAll();
        }
    }

    @Test
    void framesBeforeTheFirstParameterSetsAreDropped() {
        byte[] ts = videoStream(10, 1000);
        // cut PAT/PMT and the first keyframe (with its SPS/PPS) away, then repeat PAT/PMT
        byte[] psi = Arrays.copyOf(ts, 2 * TsPackets.SIZE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(psi);
        int secondFrame = 2 + 6; // PAT, PMT, frame 0 in 6 packets
        out.write(ts, secondFrame * TsPackets.SIZE, ts.length - secondFrame * TsPackets.SIZE);
        TsTesting.Recorder recorder = new TsTesting.Recorder();
        try {
            TsDemuxer demuxer = TsTesting.demux(out.toByteArray(), List.of(), recorder);
            assertEquals(4, demuxer.droppedBeforeConfig());
            assertEquals(List.of(15000L, 18000L, 21000L, 24000L, 27000L), dts(recorder));
            assertTrue(recorder.packets.get(0).isKeyframe());
        } finally {
            recorder.releaseAll();
        }
    }

    @Test
    void anOversizedPesIsDroppedAndCounted() {
        byte[] ts = videoStream(3, TsDemuxer.MAX_PES_SIZE + 1000);
        TsTesting.Recorder recorder = new TsTesting.Recorder();
        try {
            TsDemuxer demuxer = TsTesting.demux(ts, List.of(), recorder);
            assertEquals(3, demuxer.pesErrors());
            assertEquals(List.of(), recorder.packets);
        } finally {
            recorder.releaseAll();
        }
    }

    @Test
    void mp3FramesSplitAcrossPesPacketsAreJoinedAndStamped() {
        TrackInfo mp3 = TsRoundTripTest.audioTrack(Codec.MP3, 0); // 44.1 kHz mono
        Random random = new Random(5);
        byte[][] frames = new byte[4][];
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < frames.length; i++) {
            frames[i] = TsRoundTripTest.audioFrame(mp3, random, 0);
            all.writeBytes(frames[i]);
        }
        byte[] bytes = all.toByteArray();
        int cut = frames[0].length + frames[1].length / 2; // the second frame straddles the PES boundary
        List<MediaPacket> in = List.of(MediaPacket.of(mp3, 90_000, 90_000, true, Payload.wrap(Arrays.copyOf(bytes,
                cut))), MediaPacket.of(mp3, 100_000, 100_000, true, Payload.wrap(
                        Arrays.copyOfRange(bytes, cut,
                                bytes.length))));
        byte[] ts = TsTesting.mux(List.of(mp3), in);
        in.forEach(MediaPacket::release);
        TsTesting.Recorder recorder = new TsTesting.Recorder();
        try {
            TsDemuxer demuxer = TsTesting.demux(ts, List.of(), recorder);
            assertEquals(0, demuxer.pesErrors());
            assertEquals(List.of(mp3), recorder.lastTracks());
            // 1152 samples at 44.1 kHz are 2351.02 ticks; the third frame starts in the second PES
            assertEquals(List.of(90_000L, 92_351L, 100_000L, 102_351L), dts(recorder));
            for (int i = 0; i < frames.length; i++) {
                assertTrue(Arrays.equals(frames[i], recorder.packets.get(i).payload().toByteArray()));
            }
        } finally {
            recorder.releaseAll();
        }
    }
}
