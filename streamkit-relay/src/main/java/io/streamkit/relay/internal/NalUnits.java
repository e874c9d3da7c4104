package io.streamkit.relay.internal;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.CodecException;
import java.util.ArrayList;
import java.util.List;

/**
 * H.264/H.265 NAL unit framing: Annex B byte streams (ITU-T H.264 Annex B, start codes
 * {@code 00 00 01}), 4-byte length prefixes (ISO/IEC 14496-15), and the {@code avcC}/{@code hvcC}
 * records built from parameter sets.
 */
public final class NalUnits {
    /** H.264 NAL unit type of an IDR slice. */
    public static final int H264_IDR = 5;
    /** H.264 NAL unit type of a sequence parameter set. */
    public static final int H264_SPS = 7;
    /** H.264 NAL unit type of a picture parameter set. */
    public static final int H264_PPS = 8;
    /** H.264 NAL unit type of an access unit delimiter. */
    public static final int H264_AUD = 9;
    /** H.265 NAL unit type of the first IRAP slice type (BLA_W_LP). */
    public static final int H265_IRAP_FIRST = 16;
    /** H.265 NAL unit type of the last (reserved) IRAP slice type. */
    public static final int H265_IRAP_LAST = 23;
    /** H.265 NAL unit type of a video parameter set. */
    public static final int H265_VPS = 32;
    /** H.265 NAL unit type of a sequence parameter set. */
    public static final int H265_SPS = 33;
    /** H.265 NAL unit type of a picture parameter set. */
    public static final int H265_PPS = 34;
    /** H.265 NAL unit type of an access unit delimiter. */
    public static final int H265_AUD = 35;

    private NalUnits() {
    }

    /** Receives the position of one NAL unit. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param offset the index of the NAL unit's first (header) byte
         * @param length its length in bytes, &gt; 0
         */
        void nal(int offset, int length);
    }

    /**
     * @param firstByte the first NAL header byte
     * @return the H.264 {@code nal_unit_type}
     */
    public static int h264Type(int firstByte) {
        return firstByte & 0x1F;
    }

    /**
     * @param firstByte the first NAL header byte
     * @return the H.265 {@code nal_unit_type}
     */
    public static int h265Type(int firstByte) {
        return (firstByte >> 1) & 0x3F;
    }

    /**
     * Finds the NAL units of an Annex B byte stream. Bytes before the first start code are ignored,
     * trailing zero bytes of each NAL unit (the {@code trailing_zero_8bits} and the leading zero of
     * a 4-byte start code) are not part of it, and empty NAL units are skipped.
     *
     * @param data the bytes
     * @param from the first index
     * @param to the end index (exclusive)
     * @param visitor called for each NAL unit in order
     * @return the number of NAL units visited
     */
    public static int annexB(byte[] data, int from, int to, Visitor visitor) {
        int count = 0;
        int nalStart = -1;
        int i = from;
        while (i + 2 < to) {
            int third = data[i + 2] & 0xFF;
            if (third > 1) {
                i += 3; // no start code can begin at i, i + 1 or i + 2
            } else if (third == 1 && data[i] == 0 && data[i + 1] == 0) {
                if (nalStart >= 0) {
                    count += visitTrimmed(data, nalStart, i, visitor);
                }
                i += 3;
                nalStart = i;
            } else {
                i++;
            }
        }
        if (nalStart >= 0) {
            count += visitTrimmed(data, nalStart, to, visitor);
        }
        return count;
    }

    private static int visitTrimmed(byte[] data, int start, int end, Visitor visitor) {
        while (end > start && data[end - 1] == 0) {
            end--;
        }
        if (end > start) {
            visitor.nal(start, end - start);
            return 1;
        }
        return 0;
    }

    /**
     * Checks that bytes are a sequence of NAL units each prefixed by a 4-byte big-endian length.
     *
     * @param buf the bytes
     * @param from the first index
     * @param to the end index (exclusive)
     * @return whether the prefixes exactly cover {@code [from, to)}
     */
    public static boolean isLengthPrefixed(ByteBuf buf, int from, int to) {
        int pos = from;
        while (pos < to) {
            if (to - pos < 4) {
                return false;
            }
            long length = buf.getUnsignedInt(pos);
            if (length > to - pos - 4) {
                return false;
            }
            pos += 4 + (int) length;
        }
        return true;
    }

    /**
     * Visits the NAL units of 4-byte-length-prefixed data that {@link #isLengthPrefixed} accepted;
     * empty NAL units are skipped.
     *
     * @param buf the bytes
     * @param from the first index
     * @param to the end index (exclusive)
     * @param visitor called for each NAL unit in order
     */
    public static void lengthPrefixed(ByteBuf buf, int from, int to, Visitor visitor) {
        int pos = from;
        while (pos + 4 <= to) {
            int length = (int) Math.min(buf.getUnsignedInt(pos), to - pos - 4);
            if (length > 0) {
                visitor.nal(pos + 4, length);
            }
            pos += 4 + length;
        }
    }

    /**
     * Builds an {@code AVCDecoderConfigurationRecord} with 4-byte NAL unit lengths (without the
     * optional high-profile trailer), profile and level taken from the first SPS.
     *
     * @param sps the sequence parameter sets, whole NAL units, 1 to 31, each at least 4 bytes
     * @param pps the picture parameter sets, whole NAL units, 1 to 255
     * @return the record
     * @throws CodecException when a list is empty or too long or a set too short or too long
     */
    public static byte[] avcC(List<byte[]> sps, List<byte[]> pps) {
        if (sps.isEmpty() || sps.size() > 31 || pps.isEmpty() || pps.size() > 255) {
            throw new CodecException("avcC needs 1 to 31 SPS and 1 to 255 PPS, got " + sps.size() + " and " + pps
                    .size());
        }
        byte[] first = sps.get(0);
        if (first.length < 4) {
            throw new CodecException("H.264 SPS of " + first.length + " bytes is too short for an avcC");
        }
        int size = 7 + 2 * (sps.size() + pps.size());
        for (byte[] s : sps) {
            size += checkedLength(s);
        }
        for (byte[] p : pps) {
            size += checkedLength(p);
        }
        byte[] out = new byte[size];
        out[0] = 1;
        out[1] = first[1];
        out[2] = first[2];
        out[3] = first[3];
        out[4] = (byte) 0xFF; // reserved bits and lengthSizeMinusOne 3
        out[5] = (byte) (0xE0 | sps.size());
        int pos = 6;
        for (byte[] s : sps) {
            pos = putSet(out, pos, s);
        }
        out[pos++] = (byte) pps.size();
        for (byte[] p : pps) {
            pos = putSet(out, pos, p);
        }
        return out;
    }

    private static int checkedLength(byte[] set) {
        if (set.length == 0 || set.length > 0xFFFF) {
            throw new CodecException("parameter set of " + set.length + " bytes does not fit a configuration record");
        }
        return set.length;
    }

    private static int putSet(byte[] out, int pos, byte[] set) {
        out[pos] = (byte) (set.length >>> 8);
        out[pos + 1] = (byte) set.length;
        System.arraycopy(set, 0, out, pos + 2, set.length);
        return pos + 2 + set.length;
    }

    /**
     * Builds an {@code HEVCDecoderConfigurationRecord} with 4-byte NAL unit lengths; profile, tier,
     * level, chroma format and bit depths are read from the first SPS.
     *
     * @param vps the video parameter sets, whole NAL units, at least one
     * @param sps the sequence parameter sets, at least one
     * @param pps the picture parameter sets, at least one
     * @return the record
     * @throws CodecException when a list is empty or the first SPS is malformed
     */
    public static byte[] hvcC(List<byte[]> vps, List<byte[]> sps, List<byte[]> pps) {
        if (vps.isEmpty() || sps.isEmpty() || pps.isEmpty()) {
            throw new CodecException("hvcC needs a VPS, an SPS and a PPS");
        }
        byte[] first = sps.get(0);
        if (first.length < 3 || h265Type(first[0]) != H265_SPS) {
            throw new CodecException("hvcC needs an H.265 SPS (type 33) first");
        }
        byte[] rbsp = BitReader.unescapeRbsp(first, 2, first.length);
        if (rbsp.length < 13) {
            throw new CodecException("H.265 SPS of " + first.length + " bytes is too short for an hvcC");
        }
        BitReader r = new BitReader(rbsp, "H.265 SPS");
        r.skip(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = r.readBits(3);
        int temporalIdNesting = r.readBit();
        r.skip(96); // general profile_tier_level, copied below
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = r.readFlag();
            levelPresent[i] = r.readFlag();
        }
        if (maxSubLayersMinus1 > 0) {
            r.skip(2 * (8 - maxSubLayersMinus1));
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            r.skip((profilePresent[i] ? 88 : 0) + (levelPresent[i] ? 8 : 0));
        }
        r.readUe(); // sps_seq_parameter_set_id
        int chromaFormat = r.readUe();
        if (chromaFormat > 3) {
            throw new CodecException("H.265 SPS chroma_format_idc " + chromaFormat + " out of range");
        }
        if (chromaFormat == 3) {
            r.skip(1); // separate_colour_plane_flag
        }
        r.readUe(); // pic_width_in_luma_samples
        r.readUe(); // pic_height_in_luma_samples
        if (r.readFlag()) { // conformance_window_flag
            for (int i = 0; i < 4; i++) {
                r.readUe();
            }
        }
        int bitDepthLuma = r.readUe();
        int bitDepthChroma = r.readUe();
        if (bitDepthLuma > 7 || bitDepthChroma > 7) {
            throw new CodecException("H.265 SPS bit depth out of range");
        }
        List<List<byte[]>> arrays = new ArrayList<>(List.of(vps, sps, pps));
        int size = 23;
        for (List<byte[]> array : arrays) {
            if (array.size() > 0xFFFF) {
                throw new CodecException("too many H.265 parameter sets: " + array.size());
            }
            size += 3;
            for (byte[] nal : array) {
                size += 2 + checkedLength(nal);
            }
        }
        byte[] out = new byte[size];
        out[0] = 1;
        System.arraycopy(rbsp, 1, out, 1, 12); // general profile space .. general_level_idc
        out[13] = (byte) 0xF0; // min_spatial_segmentation_idc 0
        out[14] = 0;
        out[15] = (byte) 0xFC; // parallelismType 0
        out[16] = (byte) (0xFC | chromaFormat);
        out[17] = (byte) (0xF8 | bitDepthLuma);
        out[18] = (byte) (0xF8 | bitDepthChroma);
        out[19] = 0; // avgFrameRate
        out[20] = 0;
        out[21] = (byte) ((Math.min(maxSubLayersMinus1 + 1, 7) << 3) | (temporalIdNesting << 2) | 3);
        out[22] = 3;
        int pos = 23;
        int[] types = {H265_VPS, H265_SPS, H265_PPS};
        for (int a = 0; a < 3; a++) {
            List<byte[]> array = arrays.get(a);
            out[pos] = (byte) (0x80 | types[a]); // array_completeness 1
            out[pos + 1] = (byte) (array.size() >>> 8);
            out[pos + 2] = (byte) array.size();
            pos += 3;
            for (byte[] nal : array) {
                pos = putSet(out, pos, nal);
            }
        }
        return out;
    }

    /**
     * @param hvcC an {@code HEVCDecoderConfigurationRecord}
     * @return the NAL units of all its arrays, in order
     * @throws CodecException when the record is malformed or truncated
     */
    public static List<byte[]> hvcCNalUnits(byte[] hvcC) {
        if (hvcC.length < 23) {
            throw new CodecException("hvcC of " + hvcC.length + " bytes is shorter than the 23-byte minimum");
        }
        int arrays = hvcC[22] & 0xFF;
        int pos = 23;
        List<byte[]> out = new ArrayList<>();
        for (int a = 0; a < arrays; a++) {
            if (pos + 3 > hvcC.length) {
                throw new CodecException("hvcC truncated in the header of NAL unit array " + a);
            }
            int count = ((hvcC[pos + 1] & 0xFF) << 8) | (hvcC[pos + 2] & 0xFF);
            pos += 3;
            for (int i = 0; i < count; i++) {
                if (pos + 2 > hvcC.length) {
                    throw new CodecException("hvcC truncated in the length of NAL unit " + i + " of array " + a);
                }
                int length = ((hvcC[pos] & 0xFF) << 8) | (hvcC[pos + 1] & 0xFF);
                pos += 2;
                if (length > hvcC.length - pos) {
                    throw new CodecException("hvcC NAL unit of " + length + " bytes exceeds the " + (hvcC.length
                            - pos) + " remaining bytes");
                }
                byte[] nal = new byte[length];
                System.arraycopy(hvcC, pos, nal, 0, length);
                out.add(nal);
                pos += length;
            }
        }
        return out;
    }
}
