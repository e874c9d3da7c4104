package io.streamkit.relay.internal;

import io.netty.buffer.ByteBuf;
import io.streamkit.api.CodecException;

/**
 * The fixed and variable fields of an AAC ADTS frame header (ISO/IEC 13818-7 6.2,
 * {@code adts_fixed_header} and {@code adts_variable_header}), the conversion to and from an
 * {@code AudioSpecificConfig}, and the 7-byte header (no CRC) written in front of a raw frame.
 *
 * @param objectType the MPEG-4 audio object type, {@code profile + 1}: 1 to 4
 * @param sampleRateIndex the sampling frequency index, 0 to 12
 * @param channelConfig the channel configuration, 1 to 7
 * @param frameLength the whole frame length including this header, in bytes
 * @param crc whether a 2-byte CRC follows the 7 header bytes ({@code protection_absent == 0})
 */
public record AdtsHeader(int objectType, int sampleRateIndex, int channelConfig, int frameLength, boolean crc) {
    /** Bytes of a header without CRC. */
    public static final int LENGTH = 7;
    /** The largest frame length the 13-bit field holds. */
    public static final int MAX_FRAME_LENGTH = 0x1FFF;
    /** Samples per channel of one AAC frame. */
    public static final int SAMPLES_PER_FRAME = 1024;
    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
            11025, 8000, 7350};

    /** Validates the fields. */
    public AdtsHeader {
        if (objectType < 1 || objectType > 4) {
            throw new IllegalArgumentException("ADTS carries audio object types 1 to 4, not " + objectType);
        }
        if (sampleRateIndex < 0 || sampleRateIndex >= RATES.length) {
            throw new IllegalArgumentException("sampling frequency index out of range: " + sampleRateIndex);
        }
        if (channelConfig < 1 || channelConfig > 7) {
            throw new IllegalArgumentException("channel configuration out of range: " + channelConfig);
        }
        if (frameLength < (crc ? LENGTH + 2 : LENGTH) || frameLength > MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("ADTS frame length out of range: " + frameLength);
        }
    }

    /**
     * Reads the header at an index.
     *
     * @param data the bytes
     * @param offset the index of the first header byte
     * @param available how many bytes from {@code offset} may be read
     * @return the header, or {@code null} when there are fewer than 7 bytes or no valid header
     *         (sync word, layer 0, a defined sampling frequency, a channel configuration other than
     *         0, a frame length that holds the header)
     */
    public static AdtsHeader parse(byte[] data, int offset, int available) {
        if (available < LENGTH) {
            return null;
        }
        int b1 = data[offset + 1] & 0xFF;
        if ((data[offset] & 0xFF) != 0xFF || (b1 & 0xF6) != 0xF0) { // sync word 0xFFF, layer 00
            return null;
        }
        int b2 = data[offset + 2] & 0xFF;
        int b3 = data[offset + 3] & 0xFF;
        boolean crc = (b1 & 1) == 0;
        int objectType = (b2 >> 6) + 1;
        int rateIndex = (b2 >> 2) & 0x0F;
        int channelConfig = ((b2 & 1) << 2) | (b3 >> 6);
        int frameLength = ((b3 & 0x03) << 11) | ((data[offset + 4] & 0xFF) << 3) | ((data[offset + 5] & 0xFF) >> 5);
        if (rateIndex >= RATES.length || channelConfig == 0 || frameLength < (crc ? LENGTH + 2 : LENGTH)) {
            return null;
        }
        return new AdtsHeader(objectType, rateIndex, channelConfig, frameLength, crc);
    }

    /**
     * Derives the header for a raw frame from an AudioSpecificConfig. Explicitly signalled HE-AAC
     * (object type 5 or 29) is written as its AAC core at the core sampling frequency, as ADTS
     * signals SBR and PS only implicitly.
     *
     * @param asc the AudioSpecificConfig
     * @param rawLength the raw frame length in bytes
     * @return the header
     * @throws CodecException when the configuration is malformed or cannot be expressed in ADTS
     *         (object types above 4, a sampling frequency without an index, channel configuration
     *         0) or the frame is too long for ADTS
     */
    public static AdtsHeader fromAudioSpecificConfig(byte[] asc, int rawLength) {
        BitReader r = new BitReader(asc, "AudioSpecificConfig");
        int objectType = readObjectType(r);
        int rateIndex = readRateIndex(r);
        int channelConfig = r.readBits(4);
        if (objectType == 5 || objectType == 29) {
            readRateIndex(r); // the extension (output) rate; ADTS carries the core rate
            objectType = readObjectType(r);
        }
        if (objectType < 1 || objectType > 4) {
            throw new CodecException("ADTS cannot carry AAC audio object type " + objectType);
        }
        if (channelConfig == 0 || channelConfig > 7) {
            throw new CodecException("ADTS cannot carry AAC channel configuration " + channelConfig);
        }
        if (rawLength < 0 || rawLength > MAX_FRAME_LENGTH - LENGTH) {
            throw new CodecException("AAC frame of " + rawLength + " bytes is too long for ADTS");
        }
        return new AdtsHeader(objectType, rateIndex, channelConfig, LENGTH + rawLength, false);
    }

    private static int readObjectType(BitReader r) {
        int type = r.readBits(5);
        return type == 31 ? 32 + r.readBits(6) : type;
    }

    private static int readRateIndex(BitReader r) {
        int index = r.readBits(4);
        if (index == 0x0F) {
            int rate = r.readBits(24);
            for (int i = 0; i < RATES.length; i++) {
                if (RATES[i] == rate) {
                    return i;
                }
            }
            throw new CodecException("AAC sampling frequency " + rate + " Hz has no ADTS index");
        }
        if (index >= RATES.length) {
            throw new CodecException("AudioSpecificConfig sampling frequency index " + index + " is reserved");
        }
        return index;
    }

    /** @return the header length in bytes, 7 or 9 with CRC */
    public int headerLength() {
        return crc ? LENGTH + 2 : LENGTH;
    }

    /** @return the raw frame length in bytes */
    public int rawLength() {
        return frameLength - headerLength();
    }

    /** @return the sampling frequency in Hz */
    public int sampleRate() {
        return RATES[sampleRateIndex];
    }

    /** @return the channel count */
    public int channels() {
        return channelConfig == 7 ? 8 : channelConfig;
    }

    /** @return the equivalent two-byte AudioSpecificConfig */
    public byte[] audioSpecificConfig() {
        return AacConfig.build(objectType, sampleRate(), channels());
    }

    /**
     * Writes the 7 header bytes (without CRC, buffer fullness 0x7FF, one raw data block).
     *
     * @param out where to write
     */
    public void write(ByteBuf out) {
        int length = crc ? frameLength - 2 : frameLength;
        out.writeByte(0xFF);
        out.writeByte(0xF1); // MPEG-4, layer 0, protection absent
        out.writeByte(((objectType - 1) << 6) | (sampleRateIndex << 2) | (channelConfig >> 2));
        out.writeByte(((channelConfig & 3) << 6) | (length >> 11));
        out.writeByte(length >> 3);
        out.writeByte(((length & 7) << 5) | 0x1F);
        out.writeByte(0xFC);
    }
}
