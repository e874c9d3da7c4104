package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * A view of one RTP packet inside a {@link ByteBuf}: nothing is copied, the getters read the
 * buffer with absolute indices and the setters rewrite the header in place (the SFU rewrites SSRC,
 * payload type, sequence number and timestamp per subscriber this way).
 *
 * <p>{@link #parse(ByteBuf)} validates the whole layout once (version, CSRC count, header
 * extension block and its elements, padding) and throws {@link RtpException} naming what is wrong;
 * after that every accessor is safe. The view neither retains nor releases the buffer: its owner
 * keeps it alive while the view is used. Header-extension blocks in the one-byte ({@code 0xBEDE})
 * and two-byte ({@code 0x100X}) forms of RFC 8285 are understood; a block with another profile is
 * kept opaque.
 *
 * <p>Not thread-safe, like the buffer it views.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-5.1">RFC 3550 §5.1, RTP fixed
 *      header</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8285">RFC 8285, RTP header extensions</a>
 */
public final class RtpPacket {
    /** The RTP version this class reads and writes. */
    public static final int VERSION = 2;
    /** Length of the fixed header, before CSRCs and extensions. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** Profile value of the one-byte header-extension form (RFC 8285 §4.2). */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** Profile value of the two-byte header-extension form, with its 4 "appbits" zero (RFC 8285 §4.3). */
    public static final int TWO_BYTE_PROFILE = 0x1000;
    /** Largest local identifier of the one-byte form. */
    public static final int MAX_ONE_BYTE_ID = 14;
    /** Largest element length of the one-byte form. */
    public static final int MAX_ONE_BYTE_LENGTH = 16;

    /** The form of the header-extension block. */
    public enum ExtensionForm {
        /** The packet has no header extension. */
        NONE,
        /** RFC 8285 one-byte elements (profile {@code 0xBEDE}). */
        ONE_BYTE,
        /** RFC 8285 two-byte elements (profile {@code 0x100X}). */
        TWO_BYTE,
        /** A profile-specific block this class does not interpret. */
        OTHER
    }

    private final ByteBuf buf;
    private final int offset;
    private final int length;
    private final int headerLength;
    private final int extensionOffset;
    private final int extensionDataLength;
    private final ExtensionForm form;
    private final int paddingLength;

    private RtpPacket(ByteBuf buf, int offset, int length, int headerLength, int extensionOffset,
            int extensionDataLength, ExtensionForm form, int paddingLength) {
        this.buf = buf;
        this.offset = offset;
        this.length = length;
        this.headerLength = headerLength;
        this.extensionOffset = extensionOffset;
        this.extensionDataLength = extensionDataLength;
        this.form = form;
        this.paddingLength = paddingLength;
    }

    /**
     * Views the readable bytes of {@code buf} as one RTP packet. The buffer's indices are not moved.
     *
     * @param buf a buffer holding exactly one RTP packet between its reader and writer index
     * @return the view
     * @throws RtpException if the bytes are not a well-formed RTP packet
     */
    public static RtpPacket parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.readableBytes());
    }

    /**
     * Views {@code length} bytes of {@code buf} from absolute index {@code offset} as one RTP packet.
     *
     * @param buf the buffer
     * @param offset absolute index of the packet's first byte
     * @param length the packet's length
     * @return the view
     * @throws RtpException if the bytes are not a well-formed RTP packet
     * @throws IndexOutOfBoundsException if the range is outside the buffer
     */
    public static RtpPacket parse(ByteBuf buf, int offset, int length) {
        Objects.requireNonNull(buf, "buf");
        if (offset < 0 || length < 0 || offset > buf.capacity() - length) {
            throw new IndexOutOfBoundsException(
                    "range " + offset + "+" + length + " outside a buffer of capacity " + buf.capacity());
        }
        if (length < FIXED_HEADER_LENGTH) {
            throw new RtpException("RTP packet of " + length + " bytes is shorter than the 12-byte fixed header");
        }
        int b0 = buf.getUnsignedByte(offset);
        int version = b0 >>> 6;
        if (version != VERSION) {
            throw new RtpException("RTP version " + version + ", expected 2");
        }
        int csrcCount = b0 & 0x0F;
        int headerLength = FIXED_HEADER_LENGTH + 4 * csrcCount;
        if (headerLength > length) {
            throw new RtpException("RTP CSRC count " + csrcCount + " needs a " + headerLength
                    + "-byte header but the packet has " + length + " bytes");
        }
        int extensionOffset = -1;
        int extensionDataLength = 0;
        ExtensionForm form = ExtensionForm.NONE;
        if ((b0 & 0x10) != 0) {
            if (headerLength + 4 > length) {
                throw new RtpException("RTP extension bit set but the " + length
                        + "-byte packet ends before the 4-byte extension header at " + headerLength);
            }
            extensionOffset = offset + headerLength;
            int profile = buf.getUnsignedShort(extensionOffset);
            extensionDataLength = 4 * buf.getUnsignedShort(extensionOffset + 2);
            headerLength += 4 + extensionDataLength;
            if (headerLength > length) {
                throw new RtpException("RTP header extension of " + extensionDataLength + " bytes (profile 0x"
                        + Integer.toHexString(profile) + ") runs past the end of the " + length + "-byte packet");
            }
            form = formOf(profile);
        }
        int paddingLength = 0;
        if ((b0 & 0x20) != 0) {
            paddingLength = buf.getUnsignedByte(offset + length - 1);
            if (paddingLength == 0) {
                throw new RtpException("RTP padding bit set but the padding count (last byte) is 0");
            }
            if (paddingLength > length - headerLength) {
                throw new RtpException("RTP padding count " + paddingLength + " exceeds the " + (length - headerLength)
                        + " bytes after the " + headerLength + "-byte header");
            }
        }
        RtpPacket packet = new RtpPacket(buf, offset, length, headerLength, extensionOffset, extensionDataLength, form,
                paddingLength);
        packet.scanExtensions(null);
        return packet;
    }

    private static ExtensionForm formOf(int profile) {
        if (profile == ONE_BYTE_PROFILE) {
            return ExtensionForm.ONE_BYTE;
        }
        if ((profile & 0xFFF0) == TWO_BYTE_PROFILE) {
            return ExtensionForm.TWO_BYTE;
        }
        return ExtensionForm.OTHER;
    }

    /**
     * Walks the RFC 8285 elements; with a null visitor it only validates. Stops at a one-byte
     * element with the reserved id 15, as RFC 8285 §4.2 requires.
     */
    private void scanExtensions(RtpExtensionVisitor visitor) {
        if (form != ExtensionForm.ONE_BYTE && form != ExtensionForm.TWO_BYTE) {
            return;
        }
        int p = extensionOffset + 4;
        int end = p + extensionDataLength;
        boolean oneByte = form == ExtensionForm.ONE_BYTE;
        while (p < end) {
            int b = buf.getUnsignedByte(p);
            if (oneByte) {
                int id = b >>> 4;
                if (id == 0) { // padding byte
                    p++;
                    continue;
                }
                if (id == 15) {
                    return;
                }
                int len = (b & 0x0F) + 1;
                if (p + 1 + len > end) {
                    throw new RtpException("RTP one-byte extension element id " + id + " of " + len
                            + " bytes runs past the end of the extension block");
                }
                if (visitor != null) {
                    visitor.visit(id, buf, p + 1, len);
                }
                p += 1 + len;
            } else {
                if (b == 0) { // padding byte
                    p++;
                    continue;
                }
                if (p + 2 > end) {
                    throw new RtpException("RTP two-byte extension element id " + b
                            + " has no length byte before the end of the extension block");
                }
                int len = buf.getUnsignedByte(p + 1);
                if (p + 2 + len > end) {
                    throw new RtpException("RTP two-byte extension element id " + b + " of " + len
                            + " bytes runs past the end of the extension block");
                }
                if (visitor != null) {
                    visitor.visit(b, buf, p + 2, len);
                }
                p += 2 + len;
            }
        }
    }

    /** @return the buffer this view reads */
    public ByteBuf buffer() {
        return buf;
    }

    /** @return absolute index of the packet's first byte in {@link #buffer()} */
    public int offset() {
        return offset;
    }

    /** @return the packet's total length in bytes, padding included */
    public int length() {
        return length;
    }

    /** @return whether the padding bit is set */
    public boolean hasPadding() {
        return paddingLength != 0;
    }

    /** @return number of padding bytes at the end of the packet (0 without padding) */
    public int paddingLength() {
        return paddingLength;
    }

    /** @return whether the extension bit is set */
    public boolean hasExtension() {
        return extensionOffset >= 0;
    }

    /** @return the number of CSRC identifiers (0..15) */
    public int csrcCount() {
        return buf.getUnsignedByte(offset) & 0x0F;
    }

    /**
     * @param index 0-based position in the CSRC list
     * @return the CSRC, an unsigned 32-bit value
     * @throws IndexOutOfBoundsException if {@code index} is not below {@link #csrcCount()}
     */
    public long csrc(int index) {
        Objects.checkIndex(index, csrcCount());
        return buf.getUnsignedInt(offset + FIXED_HEADER_LENGTH + 4 * index);
    }

    /** @return the marker bit */
    public boolean marker() {
        return (buf.getUnsignedByte(offset + 1) & 0x80) != 0;
    }

    /** @return the payload type, 0..127 */
    public int payloadType() {
        return buf.getUnsignedByte(offset + 1) & 0x7F;
    }

    /** @return the sequence number, 0..65535 */
    public int sequenceNumber() {
        return buf.getUnsignedShort(offset + 2);
    }

    /** @return the timestamp, an unsigned 32-bit value */
    public long timestamp() {
        return buf.getUnsignedInt(offset + 4);
    }

    /** @return the synchronization source, an unsigned 32-bit value */
    public long ssrc() {
        return buf.getUnsignedInt(offset + 8);
    }

    /** @return the form of the header-extension block */
    public ExtensionForm extensionForm() {
        return form;
    }

    /** @return the 16-bit profile field of the extension block, or -1 without one */
    public int extensionProfile() {
        return extensionOffset < 0 ? -1 : buf.getUnsignedShort(extensionOffset);
    }

    /** @return the length in bytes of the extension block after its 4-byte header (0 without one) */
    public int extensionDataLength() {
        return extensionDataLength;
    }

    /** @return header length in bytes: fixed header, CSRCs and extension block */
    public int headerLength() {
        return headerLength;
    }

    /** @return absolute index of the first payload byte in {@link #buffer()} */
    public int payloadOffset() {
        return offset + headerLength;
    }

    /** @return payload length in bytes, padding excluded */
    public int payloadLength() {
        return length - headerLength - paddingLength;
    }

    /** @return the payload (padding excluded) as a slice sharing this packet's memory, not retained */
    public ByteBuf payload() {
        return buf.slice(payloadOffset(), payloadLength());
    }

    /**
     * Sets the marker bit in place.
     *
     * @param marker the new marker bit
     */
    public void setMarker(boolean marker) {
        int b1 = buf.getUnsignedByte(offset + 1);
        buf.setByte(offset + 1, marker ? b1 | 0x80 : b1 & 0x7F);
    }

    /**
     * Rewrites the payload type in place.
     *
     * @param payloadType 0..127
     */
    public void setPayloadType(int payloadType) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " outside 0..127");
        }
        buf.setByte(offset + 1, (buf.getUnsignedByte(offset + 1) & 0x80) | payloadType);
    }

    /**
     * Rewrites the sequence number in place.
     *
     * @param sequenceNumber the new value; only its low 16 bits are written
     */
    public void setSequenceNumber(int sequenceNumber) {
        buf.setShort(offset + 2, sequenceNumber);
    }

    /**
     * Rewrites the timestamp in place.
     *
     * @param timestamp the new value; only its low 32 bits are written
     */
    public void setTimestamp(long timestamp) {
        buf.setInt(offset + 4, (int) timestamp);
    }

    /**
     * Rewrites the SSRC in place.
     *
     * @param ssrc the new value; only its low 32 bits are written
     */
    public void setSsrc(long ssrc) {
        buf.setInt(offset + 8, (int) ssrc);
    }

    /**
     * Calls {@code visitor} for every RFC 8285 element, in wire order (nothing for a block in another
     * profile).
     *
     * @param visitor receives id, buffer, absolute index and length of each element's data
     */
    public void forEachExtension(RtpExtensionVisitor visitor) {
        scanExtensions(Objects.requireNonNull(visitor, "visitor"));
    }

    /**
     * Finds the absolute index of an element's data.
     *
     * @param id the local identifier
     * @return the absolute index of the first data byte in {@link #buffer()}, or -1 if absent
     */
    public int findExtension(int id) {
        long found = locate(id);
        return found < 0 ? -1 : (int) (found >>> 16);
    }

    /**
     * Returns an element's data.
     *
     * @param id the local identifier
     * @return a slice of the element's data sharing this packet's memory (not retained), or
     *         {@code null} if the packet has no element with that id
     */
    public ByteBuf extension(int id) {
        long found = locate(id);
        return found < 0 ? null : buf.slice((int) (found >>> 16), (int) (found & 0xFFFF));
    }

    /** @return (data index << 16 | length) of the first element with this id, or -1 */
    private long locate(int id) {
        if (id <= 0 || form == ExtensionForm.NONE || form == ExtensionForm.OTHER) {
            return -1;
        }
        boolean oneByte = form == ExtensionForm.ONE_BYTE;
        int p = extensionOffset + 4;
        int end = p + extensionDataLength;
        while (p < end) {
            int b = buf.getUnsignedByte(p);
            if (oneByte) {
                int elementId = b >>> 4;
                if (elementId == 0) {
                    p++;
                    continue;
                }
                if (elementId == 15) {
                    return -1;
                }
                int len = (b & 0x0F) + 1;
                if (elementId == id) {
                    return ((long) (p + 1) << 16) | len;
                }
                p += 1 + len;
            } else {
                if (b == 0) {
                    p++;
                    continue;
                }
                int len = buf.getUnsignedByte(p + 1);
                if (b == id) {
                    return ((long) (p + 2) << 16) | len;
                }
                p += 2 + len;
            }
        }
        return -1;
    }

    /**
     * Maps the local identifiers of the extension elements in place (a subscriber negotiated other
     * ids than the publisher). An element mapped to 0 is overwritten with padding bytes (zeros),
     * which receivers skip, so the packet keeps its length.
     *
     * @param mapping from a publisher id to the subscriber id, or 0 to remove the element
     * @return the number of elements kept
     * @throws IllegalArgumentException if the mapping returns an id the block's form cannot hold
     *         (above 14 in the one-byte form, above 255 in the two-byte form, or negative)
     */
    public int rewriteExtensionIds(IntUnaryOperator mapping) {
        Objects.requireNonNull(mapping, "mapping");
        if (form != ExtensionForm.ONE_BYTE && form != ExtensionForm.TWO_BYTE) {
            return 0;
        }
        boolean oneByte = form == ExtensionForm.ONE_BYTE;
        int kept = 0;
        int p = extensionOffset + 4;
        int end = p + extensionDataLength;
        while (p < end) {
            int b = buf.getUnsignedByte(p);
            int id = oneByte ? b >>> 4 : b;
            if (id == 0) {
                p++;
                continue;
            }
            if (oneByte && id == 15) {
                break;
            }
            int headerBytes = oneByte ? 1 : 2;
            int len = oneByte ? (b & 0x0F) + 1 : buf.getUnsignedByte(p + 1);
            int newId = mapping.applyAsInt(id);
            if (newId == 0) {
                buf.setZero(p, headerBytes + len);
            } else {
                int max = oneByte ? MAX_ONE_BYTE_ID : 255;
                if (newId < 0 || newId > max) {
                    throw new IllegalArgumentException("extension id " + id + " mapped to " + newId + ", outside 1.."
                            + max + " of the " + (oneByte ? "one" : "two") + "-byte form");
                }
                buf.setByte(p, oneByte ? (newId << 4) | (b & 0x0F) : newId);
                kept++;
            }
            p += headerBytes + len;
        }
        return kept;
    }

    /**
     * Copies this packet into a new buffer whose extension block holds only the mapped elements,
     * compacted: the one-byte form when every kept element fits it, else the two-byte form; no
     * extension block (and the X bit cleared) when none is kept. A block in an unknown profile is
     * not carried over. CSRCs, payload and padding are copied unchanged.
     *
     * @param alloc allocator of the new buffer
     * @param mapping from a publisher id to the subscriber id (1..255), or 0 to drop the element
     * @return a new buffer holding the packet, owned by the caller
     * @throws IllegalArgumentException if the mapping returns an id outside 0..255
     */
    public ByteBuf copyWithExtensions(ByteBufAllocator alloc, IntUnaryOperator mapping) {
        Objects.requireNonNull(mapping, "mapping");
        List<int[]> kept = new ArrayList<>();
        scanExtensions((id, b, index, len) -> {
            int newId = mapping.applyAsInt(id);
            if (newId < 0 || newId > 255) {
                throw new IllegalArgumentException("extension id " + id + " mapped to " + newId + ", outside 0..255");
            }
            if (newId != 0) {
                kept.add(new int[]{newId, index, len});
            }
        });
        boolean oneByte = true;
        int elementBytes = 0;
        for (int[] e : kept) {
            oneByte &= e[0] <= MAX_ONE_BYTE_ID && e[2] >= 1 && e[2] <= MAX_ONE_BYTE_LENGTH;
            elementBytes += e[2];
        }
        elementBytes += kept.size() * (oneByte ? 1 : 2);
        int blockLength = (elementBytes + 3) & ~3;
        int csrcBytes = 4 * csrcCount();
        int rest = length - headerLength;
        int total = FIXED_HEADER_LENGTH + csrcBytes + (kept.isEmpty() ? 0 : 4 + blockLength) + rest;
        ByteBuf out = alloc.buffer(total);
        int b0 = buf.getUnsignedByte(offset);
        out.writeByte(kept.isEmpty() ? b0 & ~0x10 : b0 | 0x10);
        out.writeBytes(buf, offset + 1, FIXED_HEADER_LENGTH - 1 + csrcBytes);
        if (!kept.isEmpty()) {
            out.writeShort(oneByte ? ONE_BYTE_PROFILE : TWO_BYTE_PROFILE);
            out.writeShort(blockLength / 4);
            for (int[] e : kept) {
                if (oneByte) {
                    out.writeByte((e[0] << 4) | (e[2] - 1));
                } else {
                    out.writeByte(e[0]);
                    out.writeByte(e[2]);
                }
                out.writeBytes(buf, e[1], e[2]);
            }
            out.writeZero(blockLength - elementBytes);
        }
        out.writeBytes(buf, offset + headerLength, rest);
        return out;
    }

    @Override
    public String toString() {
        return "RtpPacket[ssrc=" + ssrc() + ", pt=" + payloadType() + ", seq=" + sequenceNumber() + ", ts="
                + timestamp() + ", marker=" + marker() + ", header=" + headerLength + ", payload=" + payloadLength()
                + ", padding=" + paddingLength + "]";
    }

    /** @return a builder for writing a new packet */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes RTP packets (for tests, probes and generated packets; forwarding rewrites in place
     * instead). Extensions are written in the one-byte form when every element fits it, otherwise
     * in the two-byte form.
     */
    public static final class Builder {
        private boolean marker;
        private int payloadType;
        private int sequenceNumber;
        private long timestamp;
        private long ssrc;
        private long[] csrcs = new long[0];
        private final List<Object[]> extensions = new ArrayList<>();
        private boolean twoByte;
        private byte[] payload = new byte[0];
        private int padding;

        private Builder() {
        }

        /**
         * @param value the marker bit
         * @return this builder
         */
        public Builder marker(boolean value) {
            this.marker = value;
            return this;
        }

        /**
         * @param value payload type 0..127
         * @return this builder
         */
        public Builder payloadType(int value) {
            if (value < 0 || value > 127) {
                throw new IllegalArgumentException("payload type " + value + " outside 0..127");
            }
            this.payloadType = value;
            return this;
        }

        /**
         * @param value sequence number; low 16 bits are used
         * @return this builder
         */
        public Builder sequenceNumber(int value) {
            this.sequenceNumber = value & 0xFFFF;
            return this;
        }

        /**
         * @param value timestamp; low 32 bits are used
         * @return this builder
         */
        public Builder timestamp(long value) {
            this.timestamp = value & 0xFFFFFFFFL;
            return this;
        }

        /**
         * @param value SSRC; low 32 bits are used
         * @return this builder
         */
        public Builder ssrc(long value) {
            this.ssrc = value & 0xFFFFFFFFL;
            return this;
        }

        /**
         * @param values up to 15 CSRCs; low 32 bits of each are used
         * @return this builder
         */
        public Builder csrcs(long... values) {
            if (values.length > 15) {
                throw new IllegalArgumentException(values.length + " CSRCs, at most 15");
            }
            this.csrcs = values.clone();
            return this;
        }

        /**
         * Adds a header-extension element.
         *
         * @param id local identifier, 1..255 (1..14 for the one-byte form)
         * @param data element data, at most 255 bytes
         * @return this builder
         */
        public Builder extension(int id, byte[] data) {
            if (id < 1 || id > 255 || data.length > 255) {
                throw new IllegalArgumentException("extension id " + id + " with " + data.length + " bytes");
            }
            extensions.add(new Object[]{id, data.clone()});
            return this;
        }

        /**
         * @param value whether to use the two-byte form even when the one-byte form would do
         * @return this builder
         */
        public Builder twoByteExtensions(boolean value) {
            this.twoByte = value;
            return this;
        }

        /**
         * @param value the payload bytes (copied)
         * @return this builder
         */
        public Builder payload(byte[] value) {
            this.payload = value.clone();
            return this;
        }

        /**
         * @param value number of padding bytes, 0 (none) or 1..255
         * @return this builder
         */
        public Builder padding(int value) {
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("padding " + value + " outside 0..255");
            }
            this.padding = value;
            return this;
        }

        private boolean useOneByte() {
            if (twoByte) {
                return false;
            }
            for (Object[] e : extensions) {
                int len = ((byte[]) e[1]).length;
                if ((int) e[0] > MAX_ONE_BYTE_ID || len < 1 || len > MAX_ONE_BYTE_LENGTH) {
                    return false;
                }
            }
            return true;
        }

        private int elementBytes(boolean oneByte) {
            int n = 0;
            for (Object[] e : extensions) {
                n += (oneByte ? 1 : 2) + ((byte[]) e[1]).length;
            }
            return n;
        }

        /** @return the number of bytes {@link #writeTo(ByteBuf)} writes */
        public int encodedLength() {
            int ext = extensions.isEmpty() ? 0 : 4 + ((elementBytes(useOneByte()) + 3) & ~3);
            return FIXED_HEADER_LENGTH + 4 * csrcs.length + ext + payload.length + padding;
        }

        /**
         * Appends the packet to {@code out}.
         *
         * @param out destination buffer
         */
        public void writeTo(ByteBuf out) {
            boolean oneByte = useOneByte();
            out.writeByte(VERSION << 6 | (padding > 0 ? 0x20 : 0) | (extensions.isEmpty() ? 0 : 0x10)
                    | csrcs.length);
            out.writeByte((marker ? 0x80 : 0) | payloadType);
            out.writeShort(sequenceNumber);
            out.writeInt((int) timestamp);
            out.writeInt((int) ssrc);
            for (long c : csrcs) {
                out.writeInt((int) c);
            }
            if (!extensions.isEmpty()) {
                int bytes = elementBytes(oneByte);
                int block = (bytes + 3) & ~3;
                out.writeShort(oneByte ? ONE_BYTE_PROFILE : TWO_BYTE_PROFILE);
                out.writeShort(block / 4);
                for (Object[] e : extensions) {
                    byte[] data = (byte[]) e[1];
                    if (oneByte) {
                        out.writeByte(((int) e[0] << 4) | (data.length - 1));
                    } else {
                        out.writeByte((int) e[0]);
                        out.writeByte(data.length);
                    }
                    out.writeBytes(data);
                }
                out.writeZero(block - bytes);
            }
            out.writeBytes(payload);
            if (padding > 0) {
                out.writeZero(padding - 1);
                out.writeByte(padding);
            }
        }

        /**
         * @param alloc allocator of the new buffer
         * @return a new buffer holding the packet, owned by the caller
         */
        public ByteBuf build(ByteBufAllocator alloc) {
            ByteBuf out = alloc.buffer(encodedLength());
            writeTo(out);
            return out;
        }

        @Override
        public String toString() {
            return "RtpPacket.Builder[pt=" + payloadType + ", seq=" + sequenceNumber + ", ts=" + timestamp + ", ssrc="
                    + ssrc + ", csrcs=" + Arrays.toString(csrcs) + ", extensions=" + extensions.size() + ", payload="
                    + payload.length + ", padding=" + padding + "]";
        }
    }
}
