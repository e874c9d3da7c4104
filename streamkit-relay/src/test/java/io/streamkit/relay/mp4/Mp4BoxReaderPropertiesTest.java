package io.streamkit.relay.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link Mp4BoxWriter} and {@link Mp4BoxReader}: nesting, sizes, and robustness to bad input. */
class Mp4BoxReaderPropertiesTest {

    @Test
    void nestedBoxesGetBackPatchedSizes() {
        ByteBuf buf = Unpooled.buffer();
        try {
            Mp4BoxWriter w = new Mp4BoxWriter(buf);
            w.start("moov").startFull("mvhd", 1, 0x000102).u32(7).end();
            w.start("trak").start("free").bytes(new byte[]{1, 2, 3}).end().end().end();
            assertEquals(0, w.depth());
            List<Mp4Box> top = Mp4BoxReader.parse(buf);
            assertEquals(1, top.size());
            Mp4Box moov = top.get(0);
            assertEquals(buf.readableBytes(), moov.size());
            assertEquals(List.of("mvhd", "trak"), Mp4Samples.topLevelTypes(moov.children()));
            Mp4Box mvhd = moov.find("mvhd");
            assertEquals(16, mvhd.size());
            assertEquals(1, mvhd.version());
            assertEquals(0x102, mvhd.flags());
            assertEquals(3, moov.find("trak/free").payloadLength());
            assertEquals(8 + 16 + 8, moov.find("trak/free").offset());
            Mp4MuxerPropertiesTest.checkSizes(top);
            assertThrows(IllegalStateException.class, w::end);
        } finally {
            buf.release();
        }
    }

    @Test
    void largeSizeAndSizeZero() {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeInt(1).writeBytes("free".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).writeLong(20)
                    .writeInt(42);
            buf.writeInt(0).writeBytes("mdat".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).writeZero(5);
            List<Mp4Box> top = Mp4BoxReader.parse(buf);
            assertEquals(2, top.size());
            assertEquals(16, top.get(0).headerSize());
            assertEquals(20, top.get(0).size());
            assertEquals(42, top.get(0).payload().getInt());
            assertEquals(13, top.get(1).size(), "size 0 runs to the end");
        } finally {
            buf.release();
        }
    }

    @Test
    void malformedInputHasSpecificMessages() {
        assertMessage("declares 100 bytes but only 8 remain", box(100, "free"));
        assertMessage("less than its 8-byte header", box(4, "free"));
        assertMessage("too few for a box header", new byte[]{0, 0, 0});
        assertMessage("truncated in its 64-bit size", box(1, "free"));
        byte[] zeroInside = new byte[16];
        System.arraycopy(box(16, "moov"), 0, zeroInside, 0, 8);
        System.arraycopy(box(0, "free"), 0, zeroInside, 8, 8);
        assertMessage("only a top-level box may have", zeroInside);
        assertMessage("fewer than its 8 bytes of fields", box(12, "stsd", 4));
        // 20 nested containers
        int depth = 20;
        byte[] nested = new byte[8 * depth];
        for (int i = 0; i < depth; i++) {
            System.arraycopy(box(8 * (depth - i), "trak"), 0, nested, 8 * i, 8);
        }
        assertMessage("nested deeper than 16 levels", nested);
    }

    private static byte[] box(int size, String type) {
        return box(size, type, 0);
    }

    private static byte[] box(int size, String type, int bodyBytes) {
        ByteBuf b = Unpooled.buffer(8 + bodyBytes);
        b.writeInt(size).writeBytes(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).writeZero(bodyBytes);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static void assertMessage(String expected, byte[] input) {
        CodecException e = assertThrows(CodecException.class, () -> Mp4BoxReader.parse(input));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Property(tries = 2000)
    void randomBytesThrowOnlyCodecException(@ForAll @Size(max = 300) byte[] bytes) {
        parseOrCodecException(bytes);
    }

    @Property(tries = 300)
    void mutatedAndTruncatedFilesThrowOnlyCodecException(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 8) int mutations) {
        byte[] file = sampleFile(seed);
        Random r = new Random(seed);
        // truncation anywhere: parses only if cut at a top-level box boundary
        int cut = r.nextInt(file.length);
        byte[] truncated = java.util.Arrays.copyOf(file, cut);
        parseOrCodecException(truncated);
        // corrupted bytes, biased towards the box headers
        byte[] mutated = file.clone();
        for (int i = 0; i < mutations; i++) {
            int at = r.nextInt(Math.min(mutated.length, r.nextBoolean() ? 1200 : mutated.length));
            mutated[at] = (byte) r.nextInt(256);
        }
        parseOrCodecException(mutated);
    }

    @Property(tries = 100)
    void everyTruncationOfAFragmentIsRejected(@ForAll long seed) {
        byte[] file = sampleFile(seed);
        List<Mp4Box> top = Mp4BoxReader.parse(file);
        java.util.Set<Long> boundaries = new java.util.HashSet<>();
        for (Mp4Box b : top) {
            boundaries.add(b.offset() + b.size());
        }
        int cut = 1 + new Random(seed).nextInt(file.length - 1);
        byte[] truncated = java.util.Arrays.copyOf(file, cut);
        if (boundaries.contains((long) cut)) {
            Mp4BoxReader.parse(truncated);
        } else {
            assertThrows(CodecException.class, () -> Mp4BoxReader.parse(truncated));
        }
    }

    private static void parseOrCodecException(byte[] bytes) {
        try {
            List<Mp4Box> boxes = Mp4BoxReader.parse(bytes);
            Mp4MuxerPropertiesTest.checkSizes(boxes);
        } catch (CodecException expected) {
            // the only acceptable failure
        }
    }

    /** An init segment and two fragments of a random stream. */
    private static byte[] sampleFile(long seed) {
        Mp4MuxerPropertiesTest.Scenario s = Mp4MuxerPropertiesTest.scenario(seed, 10, 12);
        FragmentedMp4Muxer muxer = new FragmentedMp4Muxer(List.of(Mp4MuxerPropertiesTest.VIDEO,
                Mp4MuxerPropertiesTest.AUDIO));
        CompositeByteBuf file = Unpooled.compositeBuffer();
        try {
            file.addComponent(true, muxer.initSegment(Mp4MuxerPropertiesTest.ALLOC));
            List<MediaPacket> p = s.packets();
            file.addComponent(true, muxer.fragment(Mp4MuxerPropertiesTest.ALLOC, p.subList(0, p.size() / 2), 1));
            file.addComponent(true, muxer.fragment(Mp4MuxerPropertiesTest.ALLOC, p.subList(p.size() / 2, p.size()),
                    2));
            byte[] out = new byte[file.readableBytes()];
            file.getBytes(0, out);
            return out;
        } finally {
            file.release();
            s.release();
        }
    }
}
