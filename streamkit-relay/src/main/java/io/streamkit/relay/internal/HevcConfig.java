package io.streamkit.relay.internal;

import io.streamkit.api.CodecException;

/**
 * The picture size of an H.265 {@code HEVCDecoderConfigurationRecord} (ISO/IEC 14496-15 8.3.3.1,
 * the {@code hvcC} box body and the FLV/Enhanced RTMP HEVC sequence header), read from its first
 * SPS (ITU-T H.265 7.3.2.2).
 */
public final class HevcConfig {
    private static final int SPS_NAL_TYPE = 33;

    private HevcConfig() {
    }

    /**
     * @param hvcC the record bytes
     * @return the cropped picture size from the record's first SPS
     * @throws CodecException when the record is malformed or holds no SPS
     */
    public static AvcConfig.Dimensions dimensions(byte[] hvcC) {
        if (hvcC.length < 23) {
            throw new CodecException("hvcC of " + hvcC.length + " bytes is shorter than the 23-byte minimum");
        }
        if (hvcC[0] != 1) {
            throw new CodecException("hvcC configurationVersion " + (hvcC[0] & 0xFF) + " is not 1");
        }
        int arrays = hvcC[22] & 0xFF;
        int pos = 23;
        for (int a = 0; a < arrays; a++) {
            if (pos + 3 > hvcC.length) {
                throw new CodecException("hvcC truncated in the header of NAL unit array " + a);
            }
            int type = hvcC[pos] & 0x3F;
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
                if (type == SPS_NAL_TYPE) {
                    byte[] nal = new byte[length];
                    System.arraycopy(hvcC, pos, nal, 0, length);
                    return spsDimensions(nal);
                }
                pos += length;
            }
        }
        throw new CodecException("hvcC has no SPS");
    }

    /**
     * Parses the picture size of an H.265 SPS NAL unit, honouring the conformance window.
     *
     * @param nal the SPS NAL unit including its two-byte header, with emulation prevention bytes
     * @return the cropped picture size
     * @throws CodecException when the NAL unit is not a well-formed SPS
     */
    public static AvcConfig.Dimensions spsDimensions(byte[] nal) {
        if (nal.length < 3) {
            throw new CodecException("H.265 SPS of " + nal.length + " bytes is too short");
        }
        int type = (nal[0] >> 1) & 0x3F;
        if (type != SPS_NAL_TYPE) {
            throw new CodecException("NAL unit type " + type + " is not an H.265 SPS (33)");
        }
        BitReader r = new BitReader(BitReader.unescapeRbsp(nal, 2, nal.length), "H.265 SPS");
        r.skip(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = r.readBits(3);
        r.skip(1); // sps_temporal_id_nesting_flag
        // profile_tier_level(1, maxSubLayersMinus1): the general part is 88 bits plus level_idc
        r.skip(88 + 8);
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = r.readFlag();
            levelPresent[i] = r.readFlag();
        }
        if (maxSubLayersMinus1 > 0) {
            r.skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                r.skip(88);
            }
            if (levelPresent[i]) {
                r.skip(8);
            }
        }
        r.readUe(); // sps_seq_parameter_set_id
        int chromaFormat = r.readUe();
        if (chromaFormat > 3) {
            throw new CodecException("H.265 SPS chroma_format_idc " + chromaFormat + " out of range");
        }
        boolean separateColourPlanes = chromaFormat == 3 && r.readFlag();
        long width = r.readUe();
        long height = r.readUe();
        if (r.readFlag()) { // conformance_window_flag
            long left = r.readUe();
            long right = r.readUe();
            long top = r.readUe();
            long bottom = r.readUe();
            int chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
            int subWidth = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
            int subHeight = chromaArrayType == 1 ? 2 : 1;
            width -= subWidth * (left + right);
            height -= subHeight * (top + bottom);
        }
        if (width <= 0 || height <= 0 || width > 65535 || height > 65535) {
            throw new CodecException("H.265 SPS gives an implausible picture size " + width + "x" + height);
        }
        return new AvcConfig.Dimensions((int) width, (int) height);
    }
}
