package io.streamkit.relay.ts;

/** Constants and checksums of ISO/IEC 13818-1 transport streams shared by the demuxer and muxer. */
final class TsPackets {
    /** Bytes of a transport stream packet. */
    static final int SIZE = 188;
    /** The sync byte that starts every packet. */
    static final int SYNC = 0x47;
    /** PID of the program association table. */
    static final int PAT_PID = 0;
    /** PID of null packets. */
    static final int NULL_PID = 0x1FFF;
    /** Ticks per second of PTS, DTS and the PCR base. */
    static final int TIMESCALE = 90_000;
    /** Mask of a 33-bit PTS, DTS or PCR base. */
    static final long TIMESTAMP_MASK = (1L << 33) - 1;

    static final int STREAM_TYPE_MPEG1_AUDIO = 0x03;
    static final int STREAM_TYPE_MPEG2_AUDIO = 0x04;
    static final int STREAM_TYPE_PRIVATE_PES = 0x06;
    static final int STREAM_TYPE_AAC_ADTS = 0x0F;
    static final int STREAM_TYPE_H264 = 0x1B;
    static final int STREAM_TYPE_H265 = 0x24;

    static final int TABLE_PAT = 0x00;
    static final int TABLE_PMT = 0x02;
    static final int DESCRIPTOR_REGISTRATION = 0x05;
    static final int DESCRIPTOR_EXTENSION = 0x7F;
    static final int EXTENSION_OPUS = 0x80;
    /** The format identifier {@code 'Opus'} of the registration descriptor. */
    static final int FORMAT_OPUS = 0x4F707573;

    private static final int[] CRC_TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            }
            CRC_TABLE[i] = c;
        }
    }

    private TsPackets() {
    }

    /**
     * The CRC-32 of PSI sections (MPEG-2: polynomial 0x04C11DB7, initial value all ones, no
     * reflection, no final XOR). Over a whole section including its CRC field it is 0.
     *
     * @param data the bytes
     * @param from the first index
     * @param to the end (exclusive)
     * @return the checksum
     */
    static int crc32(byte[] data, int from, int to) {
        int crc = 0xFFFFFFFF;
        for (int i = from; i < to; i++) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ data[i]) & 0xFF];
        }
        return crc;
    }
}
