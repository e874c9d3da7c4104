package io.streamkit.compositor.internal;

import io.streamkit.api.CodecException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * H.264 bitstream forms: the Annex B byte stream that FFmpeg's encoders write (NAL units after
 * {@code 00 00 01} start codes), the length-prefixed form StreamKit carries (each NAL unit after a
 * 4-byte big-endian length, ISO/IEC 14496-15), and the {@code AVCDecoderConfigurationRecord}
 * ("avcC") that holds the SPS and PPS.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264, Annex B</a>
 * @see <a href="https://www.iso.org/standard/83336.html">ISO/IEC 14496-15, 5.3.2.1 (avcC)</a>
 */
public final class H264Bitstream {

    /** NAL unit type of a sequence parameter set. */
    public static final int NAL_SPS = 7;
    /** NAL unit type of a picture parameter set. */
    public static final int NAL_PPS = 8;
    /** NAL unit type of an access unit delimiter. */
    public static final int NAL_AUD = 9;
    /** NAL unit type of an IDR slice. */
    public static final int NAL_IDR = 5;
    /** The largest NAL unit accepted from a length-prefixed payload. */
    public static final int MAX_NAL = 16 << 20;

    private H264Bitstream() {
    }

    /**
     * Splits an Annex B byte stream into NAL units (start codes and trailing zero bytes removed).
     * Bytes before the first start code are ignored. Never fails.
     *
     * @param data   the stream
     * @param length how many bytes of {@code data} to read
     * @return the NAL units, in order; empty ones are left out
     */
    public static List<byte[]> splitAnnexB(byte[] data, int length) {
        List<byte[]> out = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < length) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                if (start >= 0) {
                    add(out, data, start, i);
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0) {
            add(out, data, start, length);
        }
        return out;
    }

    private static void add(List<byte[]> out, byte[] data, int from, int to) {
        int end = to;
        while (end > from && data[end - 1] == 0) {
            end--;
        }
        if (end > from) {
            byte[] nal = new byte[end - from];
            System.arraycopy(data, from, nal, 0, nal.length);
            out.add(nal);
        }
    }

    /**
     * Writes NAL units as an Annex B byte stream with 4-byte start codes.
     *
     * @param nals the NAL units
     * @return the stream
     */
    public static byte[] toAnnexB(List<byte[]> nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nals) {
            out.write(0);
            out.write(0);
            out.write(0);
            out.write(1);
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    /**
     * Writes NAL units each after its 4-byte big-endian length.
     *
     * @param nals the NAL units
     * @return the payload
     */
    public static byte[] toLengthPrefixed(List<byte[]> nals) {
        int size = 0;
        for (byte[] nal : nals) {
            size += 4 + nal.length;
        }
        byte[] out = new byte[size];
        int p = 0;
        for (byte[] nal : nals) {
            int n = nal.length;
            out[p] = (byte) (n >>> 24);
            out[p + 1] = (byte) (n >>> 16);
            out[p + 2] = (byte) (n >>> 8);
            out[p + 3] = (byte) n;
            System.arraycopy(nal, 0, out, p + 4, n);
            p += 4 + n;
        }
        return out;
    }

    /**
     * Splits a length-prefixed payload into NAL units.
     *
     * @param data the payload
     * @return the NAL units
     * @throws CodecException when a length is zero, above {@value #MAX_NAL} or runs past the end
     */
    public static List<byte[]> splitLengthPrefixed(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        while (p < data.length) {
            if (p + 4 > data.length) {
                throw new CodecException("H.264 payload: " + (data.length - p) + " bytes left at " + p
                        + ", too few for a NAL unit length");
            }
            long n = ((data[p] & 0xFFL) << 24) | ((data[p + 1] & 0xFF) << 16) | ((data[p + 2] & 0xFF) << 8)
                    | (data[p + 3] & 0xFF);
            if (n == 0 || n > MAX_NAL || p + 4 + n > data.length) {
                throw new CodecException("H.264 payload: NAL unit length " + n + " at " + p + " does not fit in "
                        + data.length + " bytes");
            }
            byte[] nal = new byte[(int) n];
            System.arraycopy(data, p + 4, nal, 0, nal.length);
            out.add(nal);
            p += 4 + (int) n;
        }
        return out;
    }

    /**
     * Returns the type of a NAL unit.
     *
     * @param nal a NAL unit, at least one byte
     * @return {@code nal_unit_type}, 0..31
     */
    public static int type(byte[] nal) {
        return nal[0] & 0x1F;
    }

    /**
     * Builds an {@code AVCDecoderConfigurationRecord} for one SPS and one PPS of a 4:2:0 8-bit stream.
     *
     * @param sps the sequence parameter set NAL unit, at least 4 bytes
     * @param pps the picture parameter set NAL unit
     * @return the avcC bytes
     * @throws CodecException when the SPS is too short or a parameter set is longer than 65535 bytes
     */
    public static byte[] avcC(byte[] sps, byte[] pps) {
        if (sps.length < 4 || sps.length > 0xFFFF || pps.length < 1 || pps.length > 0xFFFF) {
            throw new CodecException("cannot build avcC from an SPS of " + sps.length + " and a PPS of "
                    + pps.length + " bytes");
        }
        int profile = sps[1] & 0xFF;
        boolean high = profile == 100 || profile == 110 || profile == 122 || profile == 144;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(sps[1]);
        out.write(sps[2]);
        out.write(sps[3]);
        out.write(0xFF); // 4-byte NAL lengths
        out.write(0xE1); // one SPS
        out.write(sps.length >>> 8);
        out.write(sps.length);
        out.writeBytes(sps);
        out.write(1); // one PPS
        out.write(pps.length >>> 8);
        out.write(pps.length);
        out.writeBytes(pps);
        if (high) {
            out.write(0xFC | 1); // chroma_format_idc 1 (4:2:0)
            out.write(0xF8); // bit_depth_luma_minus8 0
            out.write(0xF8); // bit_depth_chroma_minus8 0
            out.write(0); // no SPS extensions
        }
        return out.toByteArray();
    }

    /**
     * Finds the SPS and PPS in encoder extradata, which is either Annex B or already an avcC.
     *
     * @param extradata the encoder's extradata
     * @return the avcC, or {@code null} when it holds no SPS and PPS
     */
    public static byte[] avcCFromExtradata(byte[] extradata) {
        if (extradata.length > 6 && extradata[0] == 1) {
            return extradata.clone();
        }
        byte[] sps = null;
        byte[] pps = null;
        for (byte[] nal : splitAnnexB(extradata, extradata.length)) {
            if (type(nal) == NAL_SPS && sps == null) {
                sps = nal;
            } else if (type(nal) == NAL_PPS && pps == null) {
                pps = nal;
            }
        }
        return sps != null && pps != null && sps.length >= 4 ? avcC(sps, pps) : null;
    }
}
