package io.streamkit.relay.internal;

import io.streamkit.api.CodecException;

/**
 * The fields of an MPEG-4 {@code AudioSpecificConfig} (ISO/IEC 14496-3 1.6.2.1) that a relay
 * needs, and the two-byte configuration built from them.
 *
 * @param objectType the audio object type (2 = AAC-LC); for HE-AAC the underlying type (2) with
 *        {@code extensionObjectType} 5 (SBR) or 29 (PS)
 * @param sampleRate the output sample rate in Hz (the SBR rate for HE-AAC)
 * @param channels the output channel count, 0 when only a program config element says
 * @param extensionObjectType 5 or 29 for explicitly signalled HE-AAC v1/v2, otherwise 0
 */
public record AacConfig(int objectType, int sampleRate, int channels, int extensionObjectType) {
    private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
            11025, 8000, 7350};
    /** Channels per {@code channelConfiguration} (0 = defined in the program config element). */
    private static final int[] CHANNELS = {0, 1, 2, 3, 4, 5, 6, 8, 0, 0, 0, 7, 8, 24, 8, 0};

    /**
     * @param asc the AudioSpecificConfig bytes
     * @return its fields
     * @throws CodecException when the configuration is truncated or uses reserved values
     */
    public static AacConfig parse(byte[] asc) {
        if (asc.length < 2) {
            throw new CodecException("AudioSpecificConfig of " + asc.length + " bytes is shorter than 2 bytes");
        }
        BitReader r = new BitReader(asc, "AudioSpecificConfig");
        int objectType = readObjectType(r);
        if (objectType == 0) {
            throw new CodecException("AudioSpecificConfig audio object type 0 is not valid");
        }
        int sampleRate = readSampleRate(r);
        int channelConfig = r.readBits(4);
        int channels = CHANNELS[channelConfig];
        int extension = 0;
        if (objectType == 5 || objectType == 29) {
            extension = objectType;
            sampleRate = readSampleRate(r);
            objectType = readObjectType(r);
            if (extension == 29 && channelConfig == 1) {
                channels = 2; // parametric stereo: a mono core decodes to stereo
            }
        }
        return new AacConfig(objectType, sampleRate, channels, extension);
    }

    private static int readObjectType(BitReader r) {
        int type = r.readBits(5);
        return type == 31 ? 32 + r.readBits(6) : type;
    }

    private static int readSampleRate(BitReader r) {
        int index = r.readBits(4);
        if (index == 0x0F) {
            int rate = r.readBits(24);
            if (rate == 0) {
                throw new CodecException("AudioSpecificConfig explicit sampling frequency is 0");
            }
            return rate;
        }
        if (index >= RATES.length) {
            throw new CodecException("AudioSpecificConfig sampling frequency index " + index + " is reserved");
        }
        return RATES[index];
    }

    /**
     * Builds an AudioSpecificConfig with a GASpecificConfig of defaults (1024-sample frames, no
     * core coder, no extension); an explicit 24-bit rate is written when the rate has no index.
     *
     * @param objectType the audio object type, 1 to 30 except 5 and 29
     * @param sampleRate the sample rate in Hz, 1 to 2^24 - 1
     * @param channels the channel count, 1 to 6 or 8
     * @return the configuration bytes (2 or 5)
     */
    public static byte[] build(int objectType, int sampleRate, int channels) {
        if (objectType < 1 || objectType > 30 || objectType == 5 || objectType == 29) {
            throw new IllegalArgumentException("audio object type must be in [1, 30] and not 5 or 29 (SBR and PS"
                    + " need extension fields), was " + objectType);
        }
        if (sampleRate <= 0 || sampleRate > 0xFFFFFF) {
            throw new IllegalArgumentException("sample rate out of range: " + sampleRate);
        }
        int channelConfig = channels == 8 ? 7 : channels;
        if (channelConfig < 1 || channelConfig > 7) {
            throw new IllegalArgumentException("no AAC channel configuration for " + channels + " channels");
        }
        int index = -1;
        for (int i = 0; i < RATES.length; i++) {
            if (RATES[i] == sampleRate) {
                index = i;
            }
        }
        long bits;
        int length;
        if (index >= 0) {
            bits = ((long) objectType << 11) | ((long) index << 7) | ((long) channelConfig << 3);
            length = 2;
        } else {
            // 5 + 4 + 24 + 4 + 3 = 40 bits
            bits = ((long) objectType << 35) | (0xFL << 31) | ((long) sampleRate << 7) | ((long) channelConfig << 3);
            length = 5;
        }
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (bits >>> (8 * (length - 1 - i)));
        }
        return out;
    }
}
