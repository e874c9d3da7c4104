package io.streamkit.relay.internal;

import io.streamkit.api.CodecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An H.264 {@code AVCDecoderConfigurationRecord} (ISO/IEC 14496-15 5.3.3.1, the {@code avcC} box
 * body and the FLV AVC sequence header) and the picture size from its first SPS.
 *
 * @param profile {@code AVCProfileIndication}
 * @param compatibility {@code profile_compatibility}
 * @param level {@code AVCLevelIndication}
 * @param nalLengthSize bytes of each NAL unit length prefix (1, 2 or 4)
 * @param sps the sequence parameter sets, each a whole NAL unit
 * @param pps the picture parameter sets, each a whole NAL unit
 */
public record AvcConfig(int profile, int compatibility, int level, int nalLengthSize, List<byte[]> sps,
        List<byte[]> pps) {

    /** Profiles whose SPS carries chroma format, bit depths and scaling matrices (7.3.2.1.1). */
    private static final Set<Integer> HIGH_PROFILES = Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134,
            135);

    /** Freezes the lists. */
    public AvcConfig {
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
    }

    /**
     * A picture size in pixels after cropping.
     *
     * @param width the width
     * @param height the height
     */
    public record Dimensions(int width, int height) {
    }

    /**
     * @param avcC the record bytes
     * @return the parsed record
     * @throws CodecException when the record is malformed or truncated
     */
    public static AvcConfig parse(byte[] avcC) {
        if (avcC.length < 7) {
            throw new CodecException("avcC of " + avcC.length + " bytes is shorter than the 7-byte minimum");
        }
        if (avcC[0] != 1) {
            throw new CodecException("avcC configurationVersion " + (avcC[0] & 0xFF) + " is not 1");
        }
        int lengthSize = (avcC[4] & 0x03) + 1;
        if (lengthSize == 3) {
            throw new CodecException("avcC lengthSizeMinusOne 2 is not allowed");
        }
        int pos = 5;
        int spsCount = avcC[pos++] & 0x1F;
        List<byte[]> sps = new ArrayList<>(spsCount);
        for (int i = 0; i < spsCount; i++) {
            pos = readParameterSet(avcC, pos, sps, "SPS");
        }
        if (pos >= avcC.length) {
            throw new CodecException("avcC truncated before the PPS count");
        }
        int ppsCount = avcC[pos++] & 0xFF;
        List<byte[]> pps = new ArrayList<>(Math.min(ppsCount, 32));
        for (int i = 0; i < ppsCount; i++) {
            pos = readParameterSet(avcC, pos, pps, "PPS");
        }
        // High-profile trailers (chroma format, bit depths, SPS extensions) are not needed here.
        return new AvcConfig(avcC[1] & 0xFF, avcC[2] & 0xFF, avcC[3] & 0xFF, lengthSize, sps, pps);
    }

    private static int readParameterSet(byte[] avcC, int pos, List<byte[]> into, String kind) {
        if (pos + 2 > avcC.length) {
            throw new CodecException("avcC truncated in the length of " + kind + " " + into.size());
        }
        int length = ((avcC[pos] & 0xFF) << 8) | (avcC[pos + 1] & 0xFF);
        pos += 2;
        if (length > avcC.length - pos) {
            throw new CodecException("avcC " + kind + " " + into.size() + " of " + length + " bytes exceeds the "
                    + (avcC.length - pos) + " remaining bytes");
        }
        byte[] set = new byte[length];
        System.arraycopy(avcC, pos, set, 0, length);
        into.add(set);
        return pos + length;
    }

    /**
     * @return the picture size from the first SPS
     * @throws CodecException when there is no SPS or it is malformed
     */
    public Dimensions dimensions() {
        if (sps.isEmpty()) {
            throw new CodecException("avcC has no SPS");
        }
        return spsDimensions(sps.get(0));
    }

    /**
     * Parses the picture size of an SPS NAL unit (ITU-T H.264 7.3.2.1.1), honouring frame
     * cropping, field coding and the chroma format.
     *
     * @param nal the SPS NAL unit including its one-byte header, with emulation prevention bytes
     * @return the cropped picture size
     * @throws CodecException when the NAL unit is not a well-formed SPS
     */
    public static Dimensions spsDimensions(byte[] nal) {
        if (nal.length < 4) {
            throw new CodecException("H.264 SPS of " + nal.length + " bytes is too short");
        }
        if ((nal[0] & 0x1F) != 7) {
            throw new CodecException("NAL unit type " + (nal[0] & 0x1F) + " is not an H.264 SPS (7)");
        }
        BitReader r = new BitReader(BitReader.unescapeRbsp(nal, 1, nal.length), "H.264 SPS");
        int profile = r.readBits(8);
        r.skip(8); // constraint flags, reserved bits
        r.skip(8); // level_idc
        r.readUe(); // seq_parameter_set_id
        int chromaFormat = 1;
        boolean separateColourPlanes = false;
        if (HIGH_PROFILES.contains(profile)) {
            chromaFormat = r.readUe();
            if (chromaFormat > 3) {
                throw new CodecException("H.264 SPS chroma_format_idc " + chromaFormat + " out of range");
            }
            if (chromaFormat == 3) {
                separateColourPlanes = r.readFlag();
            }
            r.readUe(); // bit_depth_luma_minus8
            r.readUe(); // bit_depth_chroma_minus8
            r.skip(1); // qpprime_y_zero_transform_bypass_flag
            if (r.readFlag()) { // seq_scaling_matrix_present_flag
                int lists = chromaFormat != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.readFlag()) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.readUe(); // log2_max_frame_num_minus4
        int pocType = r.readUe();
        if (pocType == 0) {
            r.readUe(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (pocType == 1) {
            r.skip(1); // delta_pic_order_always_zero_flag
            r.readSe(); // offset_for_non_ref_pic
            r.readSe(); // offset_for_top_to_bottom_field
            int cycle = r.readUe();
            if (cycle > 255) {
                throw new CodecException("H.264 SPS num_ref_frames_in_pic_order_cnt_cycle " + cycle + " exceeds 255");
            }
            for (int i = 0; i < cycle; i++) {
                r.readSe();
            }
        } else if (pocType != 2) {
            throw new CodecException("H.264 SPS pic_order_cnt_type " + pocType + " out of range");
        }
        r.readUe(); // max_num_ref_frames
        r.skip(1); // gaps_in_frame_num_value_allowed_flag
        long widthMbs = r.readUe() + 1L;
        long heightMapUnits = r.readUe() + 1L;
        boolean frameMbsOnly = r.readFlag();
        if (!frameMbsOnly) {
            r.skip(1); // mb_adaptive_frame_field_flag
        }
        r.skip(1); // direct_8x8_inference_flag
        long width = widthMbs * 16;
        long height = heightMapUnits * 16 * (frameMbsOnly ? 1 : 2);
        if (r.readFlag()) { // frame_cropping_flag
            long left = r.readUe();
            long right = r.readUe();
            long top = r.readUe();
            long bottom = r.readUe();
            int chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
            long cropX;
            long cropY;
            if (chromaArrayType == 0) {
                cropX = 1;
                cropY = frameMbsOnly ? 1 : 2;
            } else {
                cropX = chromaFormat == 3 ? 1 : 2;
                cropY = (chromaFormat == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
            }
            width -= (left + right) * cropX;
            height -= (top + bottom) * cropY;
        }
        if (width <= 0 || height <= 0 || width > 65535 || height > 65535) {
            throw new CodecException("H.264 SPS gives an implausible picture size " + width + "x" + height);
        }
        return new Dimensions((int) width, (int) height);
    }

    private static void skipScalingList(BitReader r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                int delta = r.readSe();
                next = Math.floorMod(last + delta + 256, 256);
            }
            last = next == 0 ? last : next;
        }
    }
}
