package io.streamkit.relay.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.api.Codec;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Payload;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.internal.ByteBufPayload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packet layer {@link TsMuxer} writes: PSI and PCR timing, continuity, stuffing, drops. */
class TsMuxerTest {
    private static final TrackInfo VIDEO = TsRoundTripTest.videoTrack(Codec.H264);
    private static final TrackInfo AUDIO = TsRoundTripTest.audioTrack(Codec.AAC, 3);

    /** One parsed TS packet with the DTS of the media packet that produced it. */
    record Ts(int pid, boolean unitStart, int cc, boolean payload, long pcr, boolean randomAccess, long dts) {
    }

    @Test
    void packetLayerFollowsTheTimingRules() {
        List<Ts> packets = new ArrayList<>();
        long[] currentDts = {0};
        TsMuxer muxer = new TsMuxer(List.of(VIDEO, AUDIO), out -> {
            try {
                assertEquals(0, out.readableBytes() % TsPackets.SIZE);
                while (out.isReadable()) {
                    packets.add(parse(out.readSlice(TsPackets.SIZE), currentDts[0]));
                }
            } finally {
                out.release();
            }
        });
        Random random = new Random(1);
        List<MediaPacket> in = new ArrayList<>();
        for (int i = 0; i < 90; i++) { // 3 s of 30 fps video, keyframe every second
            in.add(MediaPacket.of(VIDEO, 3000L * i, 3000L * i + 3000, i % 30 == 0, Payload.wrap(TsRoundTripTest
                    .accessUnit(false, i % 30 == 0, random, 5))));
        }
        for (int i = 0; i < 140; i++) { // AAC at 48 kHz: 1920 ticks per frame
            in.add(MediaPacket.of(AUDIO, 1920L * i, 1920L * i, true, Payload.wrap(new byte[100 + i])));
        }
        in.sort(java.util.Comparator.comparingLong(MediaPacket::dts));
        for (MediaPacket p : in) {
            currentDts[0] = p.dts();
            muxer.write(p);
            p.release();
        }
        assertEquals(0, muxer.droppedPackets());
        assertEquals(0, packets.get(0).pid(), "PAT first");
        assertEquals(TsMuxer.PMT_PID, packets.get(1).pid(), "PMT second");

        Map<Integer, Integer> cc = new HashMap<>();
        long lastPat = -1;
        long lastPcr = Long.MIN_VALUE;
        long lastPcrDts = -1;
        for (int i = 0; i < packets.size(); i++) {
            Ts p = packets.get(i);
            if (p.payload()) {
                Integer previous = cc.put(p.pid(), p.cc());
                if (previous != null) {
                    assertEquals((previous + 1) & 15, p.cc(), "continuity of PID " + p.pid());
                }
            }
            if (p.pid() == 0) {
                assertTrue(lastPat < 0 || p.dts() - lastPat <= 9000, "PAT every 100 ms");
                lastPat = p.dts();
                assertEquals(TsMuxer.PMT_PID, packets.get(i + 1).pid());
            }
            if (p.randomAccess()) {
                assertEquals(0, packets.get(i - 2).pid(), "PAT/PMT right before a keyframe");
                assertEquals(TsMuxer.FIRST_ES_PID, p.pid());
            }
            if (p.pcr() >= 0) {
                assertEquals(TsMuxer.FIRST_ES_PID, p.pid(), "PCR on the video PID");
                assertTrue(p.pcr() >= lastPcr, "PCR never goes back");
                assertTrue(p.pcr() <= p.dts(), "PCR not after the DTS");
                assertTrue(lastPcrDts < 0 || p.dts() - lastPcrDts <= 3600, "PCR every 40 ms");
                lastPcr = p.pcr();
                lastPcrDts = p.dts();
            }
        }
        assertEquals(3, packets.stream().filter(Ts::randomAccess).count());
    }

    private static Ts parse(ByteBuf p, long dts) {
        assertEquals(TsPackets.SYNC, p.getUnsignedByte(0));
        int pid = p.getUnsignedShort(1) & 0x1FFF;
        int flags = p.getUnsignedByte(3);
        long pcr = -1;
        boolean randomAccess = false;
        if ((flags & 0x20) != 0) {
            int length = p.getUnsignedByte(4);
            assertTrue(length <= 183);
            if (length > 0) {
                int af = p.getUnsignedByte(5);
                randomAccess = (af & 0x40) != 0;
                if ((af & 0x10) != 0) {
                    pcr = (p.getUnsignedInt(6) << 1) | (p.getUnsignedByte(10) >> 7);
                }
            }
        }
        return new Ts(pid, (p.getUnsignedByte(1) & 0x40) != 0, flags & 15, (flags & 0x10) != 0, pcr, randomAccess,
                dts);
    }

    @Test
    void badPacketsAreDroppedAndCounted() {
        List<ByteBuf> out = new ArrayList<>();
        TsMuxer muxer = new TsMuxer(List.of(VIDEO, TrackInfo.builder(5, Codec.VP8).build()), out::add);
        ByteBuf truncated = Unpooled.buffer().writeInt(100).writeByte(0x65);
        MediaPacket bad = MediaPacket.of(VIDEO, 0, 0, true, ByteBufPayload.of(truncated));
        muxer.write(bad);
        MediaPacket vp8 = MediaPacket.of(5, Codec.VP8.mediaType(), 0, 0, 1000, true, Payload.wrap(new byte[10]));
        muxer.write(vp8);
        MediaPacket unknown = MediaPacket.of(AUDIO, 0, 0, true, Payload.wrap(new byte[10]));
        muxer.write(unknown);
        assertEquals(3, muxer.droppedPackets());
        assertTrue(out.isEmpty());
        assertEquals(1, bad.refCnt(), "write does not release");
        bad.release();
        vp8.release();
        unknown.release();
    }

    @Test
    void updatedTracksKeepTheirPidAndGetANewPmtVersion() {
        List<ByteBuf> out = new ArrayList<>();
        TsMuxer muxer = new TsMuxer(List.of(AUDIO), out::add);
        MediaPacket frame = MediaPacket.of(AUDIO, 0, 0, true, Payload.wrap(new byte[10]));
        try {
            muxer.write(frame);
            muxer.updateTracks(List.of(VIDEO, AUDIO));
            muxer.write(frame);
            assertEquals(2, out.size());
            ByteBuf first = out.get(0);
            ByteBuf second = out.get(1);
            assertEquals(0, (first.getUnsignedByte(TsPackets.SIZE + 10) >> 1) & 0x1F, "PMT version 0");
            assertEquals(1, (second.getUnsignedByte(TsPackets.SIZE + 10) >> 1) & 0x1F, "PMT version 1");
            // the audio PID stays 0x100; the video track gets the next one and the PCR
            assertEquals(TsMuxer.FIRST_ES_PID, last(first).getUnsignedShort(1) & 0x1FFF);
            assertEquals(TsMuxer.FIRST_ES_PID, last(second).getUnsignedShort(1) & 0x1FFF);
            assertEquals(TsMuxer.FIRST_ES_PID + 1, second.getUnsignedShort(TsPackets.SIZE + 13) & 0x1FFF, "PCR PID");
        } finally {
            frame.release();
            out.forEach(ByteBuf::release);
        }
    }

    private static ByteBuf last(ByteBuf b) {
        return b.slice(b.writerIndex() - TsPackets.SIZE, TsPackets.SIZE);
    }
}
