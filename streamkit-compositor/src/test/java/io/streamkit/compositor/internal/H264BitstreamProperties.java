package io.streamkit.compositor.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.CodecException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class H264BitstreamProperties {

    /** Makes arbitrary bytes a valid NAL unit: emulation prevention, non-zero first and last bytes. */
    private static byte[] nal(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x65);
        int zeros = 0;
        for (byte b : raw) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        out.write(0x80);
        return out.toByteArray();
    }

    private static List<byte[]> nals(List<byte[]> raws) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] r : raws) {
            out.add(nal(r));
        }
        return out;
    }

    private static void assertSame(List<byte[]> want, List<byte[]> got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i), "NAL " + i);
        }
    }

    @Property
    void annexBRoundTrip(@ForAll @Size(max = 8) List<@Size(max = 300) byte[]> raws) {
        List<byte[]> nals = nals(raws);
        byte[] stream = H264Bitstream.toAnnexB(nals);
        assertSame(nals, H264Bitstream.splitAnnexB(stream, stream.length));
    }

    @Property
    void lengthPrefixedRoundTrip(@ForAll @Size(max = 8) List<@Size(max = 300) byte[]> raws) {
        List<byte[]> nals = nals(raws);
        assertSame(nals, H264Bitstream.splitLengthPrefixed(H264Bitstream.toLengthPrefixed(nals)));
    }

    @Property
    void malformedLengthPrefixedFailsOnlyWithCodecException(@ForAll @Size(max = 200) byte[] junk) {
        try {
            List<byte[]> nals = H264Bitstream.splitLengthPrefixed(junk);
            int total = 0;
            for (byte[] n : nals) {
                total += 4 + n.length;
            }
            assertEquals(junk.length, total);
        } catch (CodecException expected) {
            assertTrue(expected.getMessage().startsWith("H.264 payload"));
        }
    }

    @Property
    void annexBSplitNeverFails(@ForAll @Size(max = 500) byte[] junk) {
        int total = 0;
        for (byte[] n : H264Bitstream.splitAnnexB(junk, junk.length)) {
            assertTrue(n.length > 0 && n[n.length - 1] != 0);
            total += n.length;
        }
        assertTrue(total <= junk.length);
    }

    @Test
    void avcCHoldsTheParameterSets() {
        byte[] sps = {0x67, 0x42, (byte) 0xC0, 0x1F, 0x11, 0x22};
        byte[] pps = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};
        byte[] extradata = H264Bitstream.toAnnexB(List.of(sps, pps));
        byte[] avcC = H264Bitstream.avcCFromExtradata(extradata);
        assertArrayEquals(new byte[]{1, 0x42, (byte) 0xC0, 0x1F, (byte) 0xFF, (byte) 0xE1, 0, 6, 0x67, 0x42,
                (byte) 0xC0, 0x1F, 0x11, 0x22, 1, 0, 4, 0x68, (byte) 0xCE, 0x3C, (byte) 0x80}, avcC);
        assertArrayEquals(avcC, H264Bitstream.avcCFromExtradata(avcC), "an avcC passes through");
        assertEquals(null, H264Bitstream.avcCFromExtradata(new byte[]{0, 0, 1, 0x65, 1}));
    }
}
