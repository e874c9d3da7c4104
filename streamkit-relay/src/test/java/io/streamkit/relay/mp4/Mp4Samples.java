package io.streamkit.relay.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-side reconstruction of the samples of an MP4, independent of the production parsing in
 * {@link Mp4Finalizer}: from the {@code moof}s of a fragmented file or the sample tables of a
 * progressive one.
 */
final class Mp4Samples {
    /**
     * One sample as stored.
     *
     * @param track MP4 track id
     * @param dts decode time in the media timescale
     * @param cto composition offset
     * @param sync whether it is a sync sample
     * @param bytes the sample data
     */
    record Sample(int track, long dts, long cto, boolean sync, byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Sample s && s.track == track && s.dts == dts && s.cto == cto && s.sync == sync
                    && Arrays.equals(s.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(dts) * 31 + track;
        }

        @Override
        public String toString() {
            return "Sample[track=" + track + ", dts=" + dts + ", cto=" + cto + ", sync=" + sync + ", " + bytes.length
                    + " bytes]";
        }
    }

    private Mp4Samples() {
    }

    /** @return the samples of a fragmented file per track id, in decode order */
    static Map<Integer, List<Sample>> fromFragments(ByteBuf file) {
        List<Mp4Box> top = Mp4BoxReader.parse(file);
        Map<Integer, List<Sample>> out = new TreeMap<>();
        int base = file.readerIndex();
        for (Mp4Box moof : top) {
            if (!moof.type().equals("moof")) {
                continue;
            }
            for (Mp4Box traf : moof.children("traf")) {
                ByteBuffer tfhd = traf.find("tfhd").payload();
                int flags = tfhd.getInt() & 0xFFFFFF;
                assertEquals(0x020000, flags, "tfhd flags: default-base-is-moof only");
                int track = tfhd.getInt();
                ByteBuffer tfdt = traf.find("tfdt").payload();
                assertEquals(1, tfdt.get(0), "tfdt version 1");
                long dts = tfdt.getLong(4);
                for (Mp4Box trun : traf.children("trun")) {
                    ByteBuffer b = trun.payload();
                    int version = b.get() & 0xFF;
                    int f = b.getInt(0) & 0xFFFFFF;
                    b.position(4);
                    int count = b.getInt();
                    assertTrue((f & 1) != 0, "data offset present");
                    long pos = moof.offset() + b.getInt();
                    for (int i = 0; i < count; i++) {
                        long duration = b.getInt() & 0xFFFFFFFFL;
                        int size = b.getInt();
                        int sampleFlags = b.getInt();
                        long cto = 0;
                        if ((f & 0x800) != 0) {
                            cto = version == 1 ? b.getInt() : b.getInt() & 0xFFFFFFFFL;
                        }
                        byte[] bytes = new byte[size];
                        file.getBytes(base + (int) pos, bytes);
                        out.computeIfAbsent(track, k -> new ArrayList<>()).add(new Sample(track, dts, cto,
                                (sampleFlags & 0x00010000) == 0, bytes));
                        pos += size;
                        dts += duration;
                    }
                    assertEquals(0, b.remaining(), "trun fully consumed");
                }
            }
        }
        return out;
    }

    /** @return the samples of a progressive file per track id, in decode order */
    static Map<Integer, List<Sample>> fromSampleTables(ByteBuf file) {
        List<Mp4Box> top = Mp4BoxReader.parse(file);
        Map<Integer, List<Sample>> out = new TreeMap<>();
        Mp4Box moov = top.stream().filter(b -> b.type().equals("moov")).findFirst().orElseThrow();
        for (Mp4Box trak : moov.children("trak")) {
            ByteBuffer tkhd = trak.find("tkhd").payload();
            int track = tkhd.getInt(tkhd.get(0) == 1 ? 20 : 12);
            Mp4Box stbl = trak.find("mdia/minf/stbl");
            ByteBuffer stsz = stbl.find("stsz").payload();
            int constant = stsz.getInt(4);
            int n = stsz.getInt(8);
            int[] sizes = new int[n];
            for (int i = 0; i < n; i++) {
                sizes[i] = constant != 0 ? constant : stsz.getInt(12 + 4 * i);
            }
            long[] dts = new long[n];
            ByteBuffer stts = stbl.find("stts").payload();
            int k = 0;
            long t = 0;
            for (int e = 0, entries = stts.getInt(4); e < entries; e++) {
                int count = stts.getInt(8 + 8 * e);
                long delta = stts.getInt(12 + 8 * e) & 0xFFFFFFFFL;
                for (int i = 0; i < count; i++) {
                    dts[k++] = t;
                    t += delta;
                }
            }
            assertEquals(n, k, "stts sample count");
            long[] cto = new long[n];
            if (stbl.has("ctts")) {
                ByteBuffer ctts = stbl.find("ctts").payload();
                k = 0;
                for (int e = 0, entries = ctts.getInt(4); e < entries; e++) {
                    int count = ctts.getInt(8 + 8 * e);
                    long off = ctts.get(0) == 1 ? ctts.getInt(12 + 8 * e) : ctts.getInt(12 + 8 * e) & 0xFFFFFFFFL;
                    for (int i = 0; i < count; i++) {
                        cto[k++] = off;
                    }
                }
                assertEquals(n, k, "ctts sample count");
            }
            boolean[] sync = new boolean[n];
            if (stbl.has("stss")) {
                ByteBuffer stss = stbl.find("stss").payload();
                for (int e = 0, entries = stss.getInt(4); e < entries; e++) {
                    sync[stss.getInt(8 + 4 * e) - 1] = true;
                }
            } else {
                Arrays.fill(sync, true);
            }
            long[] chunkOffsets;
            if (stbl.has("stco")) {
                ByteBuffer stco = stbl.find("stco").payload();
                chunkOffsets = new long[stco.getInt(4)];
                for (int i = 0; i < chunkOffsets.length; i++) {
                    chunkOffsets[i] = stco.getInt(8 + 4 * i) & 0xFFFFFFFFL;
                }
            } else {
                ByteBuffer co64 = stbl.find("co64").payload();
                chunkOffsets = new long[co64.getInt(4)];
                for (int i = 0; i < chunkOffsets.length; i++) {
                    chunkOffsets[i] = co64.getLong(8 + 8 * i);
                }
            }
            ByteBuffer stsc = stbl.find("stsc").payload();
            int stscEntries = stsc.getInt(4);
            List<Sample> samples = new ArrayList<>();
            int sample = 0;
            for (int e = 0; e < stscEntries; e++) {
                int firstChunk = stsc.getInt(8 + 12 * e);
                int perChunk = stsc.getInt(12 + 12 * e);
                int lastChunk = e + 1 < stscEntries ? stsc.getInt(8 + 12 * (e + 1)) - 1 : chunkOffsets.length;
                for (int c = firstChunk; c <= lastChunk; c++) {
                    long pos = chunkOffsets[c - 1];
                    for (int s = 0; s < perChunk; s++, sample++) {
                        byte[] bytes = new byte[sizes[sample]];
                        file.getBytes(file.readerIndex() + (int) pos, bytes);
                        samples.add(new Sample(track, dts[sample], cto[sample], sync[sample], bytes));
                        pos += bytes.length;
                    }
                }
            }
            assertEquals(n, sample, "stsc covers every sample");
            out.put(track, samples);
        }
        return out;
    }

    /** @return the types of the top-level boxes */
    static List<String> topLevelTypes(List<Mp4Box> boxes) {
        return boxes.stream().map(Mp4Box::type).toList();
    }
}
