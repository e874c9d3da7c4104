package io.streamkit.api;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Immutable codec configuration bytes ("extradata") in their ISO BMFF sample-entry form:
 * {@code avcC} for H.264 (SPS/PPS), {@code hvcC} for H.265 (VPS/SPS/PPS),
 * {@code AudioSpecificConfig} for AAC, {@code OpusHead} for Opus.
 */
public final class CodecConfig {
    /** A configuration with no bytes, for codecs that need none. */
    public static final CodecConfig EMPTY = new CodecConfig(new byte[0]);

    private final byte[] bytes;

    private CodecConfig(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param bytes the configuration; copied
     * @return a configuration holding a copy of {@code bytes}
     */
    public static CodecConfig of(byte[] bytes) {
        if (bytes.length == 0) {
            return EMPTY;
        }
        return new CodecConfig(bytes.clone());
    }

    /**
     * @param buffer the configuration, read from its position to its limit; not modified
     * @return a configuration holding a copy of the remaining bytes
     */
    public static CodecConfig of(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy.length == 0 ? EMPTY : new CodecConfig(copy);
    }

    /** @return a copy of the configuration bytes */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** @return a read-only view of the bytes */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** @return the number of bytes */
    public int length() {
        return bytes.length;
    }

    /** @return whether there are no bytes */
    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /**
     * @param index a byte index
     * @return the byte at {@code index} as an unsigned value
     */
    public int unsignedByte(int index) {
        return bytes[index] & 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodecConfig other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length <= 32
                ? "CodecConfig[" + HexFormat.of().formatHex(bytes) + "]"
                : "CodecConfig[" + bytes.length + " bytes]";
    }
}
