package io.streamkit.relay.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.streamkit.api.MediaPacket;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When {@link TsDemuxer} completes a video PES whose length field is 0: at the next PES start, or
 * early at the packet whose adaptation field stuffs it up to the packet end. The streams are our
 * muxer's, packetized again by hand to choose what each packet's adaptation field carries.
 */
class TsDemuxerPesEndTest {
    private static final int FRAMES = 8;
    private static final int VIDEO_PID = 0x100;

    /** How the last packet of each PES is filled up when its payload is short of 184 bytes. */
    private enum Fill {
        /** Adaptation field stuffing, as FFmpeg and our muxer do. */
        STUFFING,
        /** Transport private data of the right length: a full packet without stuffing. */
        PRIVATE_DATA
    }

    /** Our muxer's PAT and PMT packets, and the video PES packets, each whole and made unbounded. */
    private record Parsed(List<byte[]> psi, List<byte[]> pes) {
    }

    private static Parsed parse(byte[] ts) {
        List<byte[]> psi = new ArrayList<>();
        List<byte[]> pes = new ArrayList<>();
        ByteArrayOutputStream current = null;
        for (int off = 0; off < ts.length; off += TsPackets.SIZE) {
            int pid = ((ts[off + 1] & 0x1F) << 8) | (ts[off + 2] & 0xFF);
            boolean unitStart = (ts[off + 1] & 0x40) != 0;
            int adaptation = (ts[off + 3] >> 4) & 3;
            int p = off + 4 + ((adaptation & 2) != 0 ? 1 + (ts[off + 4] & 0xFF) : 0);
            if (pid == TsPackets.PAT_PID || pid != VIDEO_PID && psi.size() < 2 && pid != TsPackets.NULL_PID) {
                if (psi.size() < 2) {
                    psi.add(Arrays.copyOfRange(ts, off, off + TsPackets.SIZE));
                }
                continue;
            }
            if (pid != VIDEO_PID || (adaptation & 1) == 0) {
                continue;
            }
            if (unitStart) {
                if (current != null) {
                    pes.add(current.toByteArray());
                }
                current = new ByteArrayOutputStream();
            }
            current.write(ts, p, off + TsPackets.SIZE - p);
        }
        pes.add(current.toByteArray());
        for (byte[] b : pes) {
            b[4] = 0; // PES_packet_length 0, as FFmpeg writes for video (our muxer writes it when it fits)
            b[5] = 0;
        }
        return new Parsed(psi, pes);
    }

    /** Writes TS packets of the video PID; {@link #packet} returns where each one ends. */
    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int cc;

        /**
         * @param field the adaptation field after its length byte (flags first), or null for none
         * @param stuff whether to fill the packet with stuffing bytes in the adaptation field
         * @return the payload bytes written
         */
        int packet(boolean unitStart, byte[] field, byte[] payload, int from, boolean stuff) {
            int fieldBytes = field == null ? 0 : 1 + field.length;
            int room = 184 - fieldBytes;
            int n = Math.min(room, payload.length - from);
            int stuffing = stuff ? room - n : 0;
            if (!stuff && n < room) {
                throw new AssertionError("a short packet needs stuffing or a longer field");
            }
            boolean hasField = field != null || stuffing > 0;
            out.write(TsPackets.SYNC);
            out.write((unitStart ? 0x40 : 0) | (VIDEO_PID >> 8));
            out.write(VIDEO_PID & 0xFF);
            out.write((hasField ? 0x20 : 0) | 0x10 | cc);
            cc = (cc + 1) & 0x0F;
            if (hasField) {
                byte[] f = field == null ? new byte[0] : field;
                if (field == null) {
                    // stuffing only: the length byte alone is one byte of it, then flags and 0xFF bytes
                    out.write(stuffing - 1);
                    if (stuffing > 1) {
                        out.write(0);
                    }
                    stuffing = Math.max(0, stuffing - 2);
                } else {
                    out.write(f.length + stuffing);
                }
                out.writeBytes(f);
                for (int i = 0; i < stuffing; i++) {
                    out.write(0xFF);
                }
            }
            out.write(payload, from, n);
            return n;
        }
    }

    private static byte[] pcrOnly() {
        return new byte[]{0x10, 0, 0, 0, 0, 0x7E, 0};
    }

    /** A full-packet filler without stuffing: flags with transport_private_data of the missing length. */
    private static byte[] privateData(int missing) {
        // field bytes: flags, private_data_length, data; plus the length byte = missing
        if (missing < 3) {
            throw new AssertionError("cannot fill " + missing + " bytes without stuffing; choose other frame sizes");
        }
        byte[] f = new byte[missing - 1];
        f[0] = 0x02;
        f[1] = (byte) (missing - 3);
        return f;
    }

    /**
     * Packetizes the PES again: 184-byte payloads, a PCR-only adaptation field in the second
     * packet of frame {@code pcrFrame}, a stuffed packet inside frame {@code stuffedInside}, and
     * the end of each PES filled as {@code fill} says.
     *
     * @return the stream and, per frame, the index of its last TS packet
     */
    private static byte[] packetize(Parsed parsed, Fill fill, int pcrFrame, int stuffedInside,
            List<Integer> lastPackets) {
        Writer w = new Writer();
        parsed.psi().forEach(w.out::writeBytes);
        int packets = parsed.psi().size();
        for (int f = 0; f < parsed.pes().size(); f++) {
            byte[] pes = parsed.pes().get(f);
            int at = 0;
            int index = 0;
            while (at < pes.length) {
                int left = pes.length - at;
                byte[] field = null;
                boolean stuff = false;
                if (f == pcrFrame && index == 1) {
                    field = pcrOnly();
                } else if (f == stuffedInside && index == 1) {
                    stuff = true;
                    left = 100; // a short packet in the middle of the PES
                    byte[] part = Arrays.copyOfRange(pes, at, at + left);
                    at += w.packet(false, null, part, 0, true);
                    index++;
                    packets++;
                    continue;
                } else if (left < 184) {
                    if (fill == Fill.STUFFING) {
                        stuff = true;
                    } else {
                        field = privateData(184 - left);
                    }
                }
                at += w.packet(index == 0, field, pes, at, stuff);
                index++;
                packets++;
            }
            lastPackets.add(packets - 1);
        }
        return w.out.toByteArray();
    }

    /** Feeds packet by packet and notes after which packet each frame came out. */
    private static final class Timed extends TsTesting.Recorder {
        int fed;
        final List<Integer> emittedAfter = new ArrayList<>();

        @Override
        public void onPacket(MediaPacket packet) {
            super.onPacket(packet);
            emittedAfter.add(fed);
        }
    }

    private static TsDemuxer feedPacketByPacket(byte[] ts, Timed timed) {
        TsDemuxer demuxer = new TsDemuxer(timed);
        for (int off = 0; off < ts.length; off += TsPackets.SIZE) {
            timed.fed = off / TsPackets.SIZE;
            demuxer.feed(Unpooled.wrappedBuffer(ts, off, TsPackets.SIZE));
        }
        timed.fed = -1; // flush
        demuxer.flush();
        return demuxer;
    }

    private static List<TsTesting.Summary> summaries(List<MediaPacket> packets) {
        return packets.stream().map(TsTesting.Summary::of).toList();
    }

    private static final byte[] SOURCE = TsDemuxerTest.videoStream(FRAMES, 1000);

    private static List<TsTesting.Summary> expected() {
        TsTesting.Recorder r = new TsTesting.Recorder();
        try {
            TsTesting.demux(SOURCE, List.of(), r);
            assertEquals(FRAMES, r.packets.size());
            return summaries(r.packets);
        } finally {
            r.releaseAll();
        }
    }

    private record Run(List<Integer> lastPackets, List<Integer> emittedAfter, List<TsTesting.Summary> frames,
            long pesErrors) {
    }

    private static Run run(Fill fill, int pcrFrame, int stuffedInside) {
        Parsed parsed = parse(SOURCE);
        assertEquals(2, parsed.psi().size());
        assertEquals(FRAMES, parsed.pes().size());
        List<Integer> last = new ArrayList<>();
        byte[] ts = packetize(parsed, fill, pcrFrame, stuffedInside, last);
        Timed timed = new Timed();
        try {
            TsDemuxer demuxer = feedPacketByPacket(ts, timed);
            assertEquals(0, demuxer.continuityErrors());
            return new Run(last, List.copyOf(timed.emittedAfter), summaries(timed.packets), demuxer.pesErrors());
        } finally {
            timed.releaseAll();
        }
    }

    @Test
    void aStuffedLastPacketEndsThePesOnceTheStreamHasShownItsHabit() {
        Run r = run(Fill.STUFFING, -1, -1);
        assertEquals(expected(), r.frames());
        for (int f = 0; f < FRAMES; f++) {
            int expectedAt = f < TsDemuxer.STUFFING_CONFIRMATIONS
                    ? r.lastPackets().get(f) + 1 // learning: the next PES start ends it
                    : r.lastPackets().get(f); // at its own stuffed last packet
            assertEquals(expectedAt, r.emittedAfter().get(f), "frame " + f + "; last packets " + r.lastPackets());
        }
        assertEquals(0, r.pesErrors());
    }

    @Test
    void aPcrOnlyAdaptationFieldInsideAPesDoesNotEndIt() {
        int frame = 4;
        Run r = run(Fill.STUFFING, frame, -1);
        assertEquals(expected(), r.frames(), "frame " + frame + " whole");
        assertEquals(r.lastPackets().get(frame), r.emittedAfter().get(frame));
        assertEquals(0, r.pesErrors());
    }

    @Test
    void withoutStuffingTheNextPesStartEndsIt() {
        Run r = run(Fill.PRIVATE_DATA, -1, -1);
        assertEquals(expected(), r.frames());
        for (int f = 0; f < FRAMES - 1; f++) {
            assertEquals(r.lastPackets().get(f) + 1, r.emittedAfter().get(f), "frame " + f);
        }
        assertEquals(-1, r.emittedAfter().get(FRAMES - 1), "the last frame waits for the flush");
        assertEquals(0, r.pesErrors());
    }

    @Test
    void aMuxerThatStuffsInsideAPesKeepsTheNextStartRule() {
        Run r = run(Fill.STUFFING, -1, 0);
        assertEquals(expected(), r.frames());
        for (int f = 0; f < FRAMES - 1; f++) {
            assertEquals(r.lastPackets().get(f) + 1, r.emittedAfter().get(f), "frame " + f);
        }
        assertEquals(0, r.pesErrors());
    }

    @Test
    void stuffingInsideAPesAfterTheHabitWasLearntCutsOneFrameAndTurnsTheRuleOff() {
        int frame = 5;
        Run r = run(Fill.STUFFING, -1, frame);
        List<TsTesting.Summary> want = new ArrayList<>(expected());
        assertEquals(1, r.pesErrors(), "the frame cut short is counted");
        assertTrue(r.frames().size() <= FRAMES);
        // the frames before and after the damaged one are intact; later ones end at the next start again
        assertEquals(want.subList(0, frame), r.frames().subList(0, frame));
        assertEquals(want.subList(frame + 1, FRAMES), r.frames().subList(r.frames().size() - (FRAMES - frame - 1),
                r.frames().size()));
        assertEquals(r.lastPackets().get(frame + 1) + 1, r.emittedAfter().get(r.emittedAfter().size() - 2));
    }

    @Test
    void ffmpegsVideoFramesComeOutAtTheirLastPacket() {
        byte[] ts = TsTesting.ffmpegSample();
        Timed timed = new Timed();
        try {
            TsDemuxer demuxer = feedPacketByPacket(ts, timed);
            List<Integer> video = new ArrayList<>();
            for (int i = 0; i < timed.packets.size(); i++) {
                if (timed.packets.get(i).trackId() == 0) {
                    video.add(timed.emittedAfter.get(i));
                }
            }
            assertEquals(30, video.size(), "video frames");
            assertEquals(0, demuxer.pesErrors() + demuxer.continuityErrors());
            // FFmpeg stuffs the last packet of every PES: after the first frames, none waits for the next
            // PES start, and the last one does not wait for the flush
            int ended = 0;
            for (int at : video) {
                if (at >= 0 && (ts[at * TsPackets.SIZE + 1] & 0x40) == 0) {
                    ended++; // came out at a packet that starts no PES: its own last one
                }
            }
            assertEquals(video.size() - TsDemuxer.STUFFING_CONFIRMATIONS, ended, "frames out at their last packet: "
                    + video);
        } finally {
            timed.releaseAll();
        }
    }
}
