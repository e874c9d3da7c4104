package io.streamkit.relay.internal;

import io.streamkit.api.CodecException;
import java.util.Arrays;

/**
 * Reads big-endian bit fields and Exp-Golomb codes from a byte array, as in H.264/H.265 parameter
 * sets (after {@link #unescapeRbsp(byte[], int, int)}) and MPEG-4 audio configurations. Reading
 * past the end throws {@link CodecException}.
 */
public final class BitReader {
    private final byte[] data;
    private final long limitBits;
    private final String what;
    private long position;

    /**
     * @param data the bytes, not copied
     * @param what what is being parsed, for error messages (for example {@code "H.264 SPS"})
     */
    public BitReader(byte[] data, String what) {
        this.data = data;
        this.limitBits = (long) data.length * 8;
        this.what = what;
    }

    /**
     * Removes the emulation prevention bytes ({@code 0x03} after two zero bytes) of a NAL unit.
     *
     * @param nal the NAL unit bytes
     * @param from the first byte to convert
     * @param to the end (exclusive)
     * @return the raw byte sequence payload
     */
    public static byte[] unescapeRbsp(byte[] nal, int from, int to) {
        byte[] out = new byte[Math.max(0, to - from)];
        int n = 0;
        int zeros = 0;
        for (int i = from; i < to; i++) {
            int b = nal[i] & 0xFF;
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            out[n++] = (byte) b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** @return the number of bits not yet read */
    public long remaining() {
        return limitBits - position;
    }

    /**
     * @return the next bit
     * @throws CodecException when no bits remain
     */
    public int readBit() {
        if (position >= limitBits) {
            throw new CodecException(what + " truncated: needs more than " + data.length + " bytes");
        }
        int bit = (data[(int) (position >>> 3)] >> (7 - (int) (position & 7))) & 1;
        position++;
        return bit;
    }

    /**
     * @param n how many bits, 0 to 32
     * @return the next {@code n} bits as an unsigned value (bit 31 set for {@code n == 32} gives a
     *         negative int)
     * @throws CodecException when fewer than {@code n} bits remain
     */
    public int readBits(int n) {
        if (n < 0 || n > 32) {
            throw new IllegalArgumentException("bit count must be in [0, 32], was " + n);
        }
        if (remaining() < n) {
            throw new CodecException(what + " truncated: needs more than " + data.length + " bytes");
        }
        int value = 0;
        for (int i = 0; i < n; i++) {
            value = (value << 1) | readBit();
        }
        return value;
    }

    /**
     * @return whether the next bit is set
     */
    public boolean readFlag() {
        return readBit() != 0;
    }

    /**
     * Skips bits.
     *
     * @param n how many
     */
    public void skip(int n) {
        if (remaining() < n) {
            throw new CodecException(what + " truncated: needs more than " + data.length + " bytes");
        }
        position += n;
    }

    /**
     * @return an unsigned Exp-Golomb code {@code ue(v)}, at most {@code 2^31 - 2}
     * @throws CodecException on truncation or a code longer than 31 leading zeros
     */
    public int readUe() {
        int zeros = 0;
        while (readBit() == 0) {
            if (++zeros > 31) {
                throw new CodecException(what + " has an Exp-Golomb code with more than 31 leading zeros");
            }
        }
        if (zeros == 0) {
            return 0;
        }
        long value = (1L << zeros) - 1 + (readBits(zeros) & 0xFFFFFFFFL);
        if (value > Integer.MAX_VALUE - 1) {
            throw new CodecException(what + " has an Exp-Golomb value out of range: " + value);
        }
        return (int) value;
    }

    /** @return a signed Exp-Golomb code {@code se(v)} */
    public int readSe() {
        int k = readUe();
        return (k & 1) != 0 ? (k + 1) / 2 : -(k / 2);
    }
}
