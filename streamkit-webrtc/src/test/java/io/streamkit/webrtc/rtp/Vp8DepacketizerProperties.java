package io.streamkit.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Vp8DepacketizerProperties {

    /** Splits a frame into packets with RFC 7741 descriptors of the given shape. */
    private static List<byte[]> packetize(byte[] frame, int mtu, boolean extended, int pictureIdBits) {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < frame.length; off += mtu) {
            int n = Math.min(mtu, frame.length - off);
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            int first = (extended ? 0x80 : 0) | (off == 0 ? 0x10 : 0);
            p.write(first);
            if (extended) {
                p.write(pictureIdBits == 0 ? 0x00 : 0x80 | 0x40 | 0x20);
                if (pictureIdBits == 7) {
                    p.write(0x12);
                } else if (pictureIdBits == 15) {
                    p.write(0x80 | 0x34);
                    p.write(0x56);
                }
                if (pictureIdBits != 0) {
                    p.write(0x07); // TL0PICIDX
                    p.write(0x20); // TID/Y/KEYIDX
                }
            }
            p.write(frame, off, n);
            out.add(p.toByteArray());
        }
        return out;
    }

    @Property(tries = 300)
    void framesRoundTripThroughAnyPacketization(@ForAll @Size(min = 1, max = 5000) byte[] body,
            @ForAll @IntRange(min = 1, max = 1200) int mtu, @ForAll boolean extended,
            @ForAll("pictureIdBits") int pictureIdBits, @ForAll @IntRange(min = 0, max = 65535) int firstSeq) {
        byte[] frame = body.clone();
        frame[0] &= (byte) 0xFE; // keyframe
        Vp8Depacketizer d = new Vp8Depacketizer();
        List<byte[]> packets = packetize(frame, mtu, extended, pictureIdBits);
        Vp8Depacketizer.Frame got = null;
        for (int i = 0; i < packets.size(); i++) {
            Vp8Depacketizer.Frame f = d.add((firstSeq + i) & 0xFFFF, 1234L, i == packets.size() - 1, packets.get(i));
            if (i < packets.size() - 1) {
                assertNull(f);
            } else {
                got = f;
            }
        }
        assertNotNull(got);
        assertArrayEquals(frame, got.data());
        assertTrue(got.keyframe());
        assertEquals(1234L, got.rtpTimestamp());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> pictureIdBits() {
        return net.jqwik.api.Arbitraries.of(0, 7, 15);
    }

    @Property(tries = 500)
    void randomPayloadsGiveOnlyFramesOrRtpException(@ForAll List<@Size(max = 40) byte[]> payloads) {
        Vp8Depacketizer d = new Vp8Depacketizer();
        int seq = 0;
        for (byte[] p : payloads) {
            try {
                d.add(seq++, 0, (seq & 1) == 0, p);
            } catch (RtpException e) {
                assertTrue(e.getMessage().startsWith("VP8 payload descriptor truncated") || e.getMessage().equals(
                        "empty VP8 payload"), e.getMessage());
            }
        }
    }

    @Test
    void aLostPacketDropsFramesUntilTheNextKeyframe() {
        Vp8Depacketizer d = new Vp8Depacketizer();
        byte[] key = {0x00, 1, 2, 3, 4, 5};
        byte[] delta = {0x01, 9, 9, 9};
        List<byte[]> k = packetize(key, 3, false, 0);
        assertNull(d.add(0, 100, false, k.get(0)));
        assertNotNull(d.add(1, 100, true, k.get(1)));
        List<byte[]> dl = packetize(delta, 2, false, 0);
        assertNull(d.add(2, 200, false, dl.get(0)));
        // packet 3 is lost
        assertNull(d.add(4, 300, true, packetize(delta, 10, false, 0).get(0)), "a delta after a loss is dropped");
        assertTrue(d.waitingForKeyframe());
        assertNotNull(d.add(5, 400, true, packetize(key, 10, false, 0).get(0)));
        assertEquals(false, d.waitingForKeyframe());
        assertEquals(2, d.discarded(), "the cut frame and the delta after it");
    }
}
