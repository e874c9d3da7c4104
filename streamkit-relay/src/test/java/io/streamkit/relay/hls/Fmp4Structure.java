package io.streamkit.relay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.streamkit.relay.mp4.Mp4Box;
import io.streamkit.relay.mp4.Mp4BoxReader;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Structural ISO BMFF checks of what the HLS packager produces, independent of the muxer: an
 * initialization segment is {@code ftyp} + {@code moov} with a {@code trex} per track; a media
 * segment or part is a sequence of {@code moof}+{@code mdat} pairs whose {@code trun}s describe
 * exactly the bytes of the following {@code mdat}.
 */
final class Fmp4Structure {
    private Fmp4Structure() {
    }

    /** @return the MP4 track ids of an initialization segment */
    static Set<Integer> checkInit(ByteBuf init) {
        List<Mp4Box> top = Mp4BoxReader.parse(init);
        assertEquals(List.of("ftyp", "moov"), top.stream().map(Mp4Box::type).toList(), "init segment boxes");
        Mp4Box moov = top.get(1);
        Set<Integer> ids = new HashSet<>();
        for (Mp4Box trak : moov.children("trak")) {
            ByteBuffer tkhd = trak.find("tkhd").payload();
            ids.add(tkhd.getInt(tkhd.get(0) == 1 ? 20 : 12));
            assertTrue(trak.has("mdia/minf/stbl/stsd"), "sample description in " + trak);
        }
        assertEquals(ids.size(), moov.find("mvex").children("trex").size(), "one trex per track");
        return ids;
    }

    /**
     * Checks a media segment or part.
     *
     * @param segment the bytes
     * @param tracks the MP4 track ids the init segment declares
     * @param lastSequence the {@code mfhd} sequence number before this segment
     * @return the last {@code mfhd} sequence number of the segment
     */
    static int checkFragments(ByteBuf segment, Set<Integer> tracks, int lastSequence) {
        List<Mp4Box> top = Mp4BoxReader.parse(segment);
        assertTrue(!top.isEmpty() && top.size() % 2 == 0, "moof/mdat pairs: " + top);
        int sequence = lastSequence;
        for (int i = 0; i < top.size(); i += 2) {
            Mp4Box moof = top.get(i);
            Mp4Box mdat = top.get(i + 1);
            assertEquals("moof", moof.type());
            assertEquals("mdat", mdat.type());
            int seq = moof.find("mfhd").payload().getInt(4);
            assertTrue(seq > sequence, "mfhd sequence numbers increase: " + seq + " after " + sequence);
            sequence = seq;
            long mdatStart = mdat.bodyOffset();
            long expected = mdatStart;
            for (Mp4Box traf : moof.children("traf")) {
                ByteBuffer tfhd = traf.find("tfhd").payload();
                int track = tfhd.getInt(4);
                assertTrue(tracks.contains(track), "traf of a declared track: " + track + " in " + tracks);
                assertEquals(1, traf.find("tfdt").version(), "64-bit tfdt");
                for (Mp4Box trun : traf.children("trun")) {
                    ByteBuffer b = trun.payload();
                    int flags = b.getInt(0) & 0xFFFFFF;
                    int count = b.getInt(4);
                    assertTrue(count > 0, "trun with samples");
                    assertTrue((flags & 0x1) != 0, "data offset present");
                    long dataStart = moof.offset() + b.getInt(8);
                    assertEquals(expected, dataStart, "samples follow each other in the mdat");
                    int perSample = Integer.bitCount(flags & 0xF00) * 4;
                    int pos = 12 + ((flags & 0x4) != 0 ? 4 : 0);
                    long bytes = 0;
                    for (int s = 0; s < count; s++) {
                        int field = pos;
                        if ((flags & 0x100) != 0) {
                            field += 4;
                        }
                        bytes += b.getInt(field) & 0xFFFFFFFFL;
                        pos += perSample;
                    }
                    assertEquals(b.limit(), pos, "trun fully described");
                    expected = dataStart + bytes;
                }
            }
            assertEquals(mdat.offset() + mdat.size(), expected, "the trun sample sizes fill the mdat");
        }
        return sequence;
    }
}
