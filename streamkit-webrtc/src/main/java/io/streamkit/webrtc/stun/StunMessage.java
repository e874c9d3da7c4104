package io.streamkit.webrtc.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.crypto.Mac;

/**
 * A STUN message (<a href="https://www.rfc-editor.org/rfc/rfc8489">RFC 8489</a>): class, method,
 * transaction id and attributes in order.
 *
 * <p>Immutable. {@link #decode(byte[], int, int)} checks the header (the two leading zero bits, the magic
 * cookie, a length that is a multiple of four and matches the datagram), every attribute's bounds,
 * the values of the attributes this package interprets, the {@value #MAX_ATTRIBUTES}-attribute and
 * {@value #MAX_MESSAGE_LENGTH}-byte limits and FINGERPRINT; any failure is a {@link StunException}
 * that says what and where. A decoded message keeps its received bytes: {@link #checkIntegrity(byte[])}
 * verifies MESSAGE-INTEGRITY (and MESSAGE-INTEGRITY-SHA256 when present) over exactly those bytes,
 * with the length field adjusted as RFC 8489 section 14.5 says, and {@link #toByteArray()} gives them
 * back byte for byte (padding included).
 *
 * <p>Following RFC 8489 section 14.5, the typed accessors ({@link #username()}, {@link #priority()},
 * ...) ignore attributes that come after MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256, and return the
 * first occurrence of a repeated attribute; {@link #attributes()} lists everything received.
 *
 * <p>Messages are built with {@link #builder(StunClass, int)}, which computes MESSAGE-INTEGRITY and
 * FINGERPRINT.
 */
public final class StunMessage {
    /** The length of the fixed header. */
    public static final int HEADER_LENGTH = 20;
    /** The magic cookie, bytes 4 to 7 of every message (RFC 8489 section 5). */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** The length of a transaction id. */
    public static final int TRANSACTION_ID_LENGTH = 12;
    /** The largest message accepted or built, in bytes: one unfragmented datagram on Ethernet. */
    public static final int MAX_MESSAGE_LENGTH = 1500;
    /** The largest number of attributes accepted or built. */
    public static final int MAX_ATTRIBUTES = 64;
    /** The Binding method (RFC 8489 section 18.2). */
    public static final int METHOD_BINDING = 0x001;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final StunClass messageClass;
    private final int method;
    private final byte[] wire;
    private final List<StunAttribute> attributes;
    /** Attributes at indexes below this one precede MESSAGE-INTEGRITY(-SHA256) and count. */
    private final int protectedCount;

    private StunMessage(StunClass messageClass, int method, byte[] wire, List<StunAttribute> attributes,
            int protectedCount) {
        this.messageClass = messageClass;
        this.method = method;
        this.wire = wire;
        this.attributes = attributes;
        this.protectedCount = protectedCount;
    }

    /** Whether a message carries valid integrity attributes for a key. */
    public enum IntegrityStatus {
        /** Neither MESSAGE-INTEGRITY nor MESSAGE-INTEGRITY-SHA256 is present. */
        ABSENT,
        /** Every integrity attribute present matches the key. */
        VALID,
        /** An integrity attribute does not match the key (or the bytes are not a message). */
        INVALID
    }

    // --- decoding --------------------------------------------------------------------------------

    /**
     * Decodes the readable bytes of a buffer, which must hold exactly one message (one datagram).
     * Neither the indexes nor the reference count of {@code buf} change.
     *
     * @param buf the datagram
     * @return the message
     * @throws StunException if the bytes are not a well-formed STUN message
     */
    public static StunMessage decode(ByteBuf buf) throws StunException {
        int length = buf.readableBytes();
        checkSize(length);
        byte[] wire = new byte[length];
        buf.getBytes(buf.readerIndex(), wire);
        return parse(wire);
    }

    /**
     * @param data the datagram, exactly one message
     * @return the message
     * @throws StunException if the bytes are not a well-formed STUN message
     */
    public static StunMessage decode(byte[] data) throws StunException {
        return decode(data, 0, data.length);
    }

    /**
     * @param data holds the datagram
     * @param offset where it starts
     * @param length its length: exactly one message
     * @return the message; the bytes are copied
     * @throws StunException if the bytes are not a well-formed STUN message
     */
    public static StunMessage decode(byte[] data, int offset, int length) throws StunException {
        Objects.checkFromIndexSize(offset, length, data.length);
        checkSize(length);
        return parse(Arrays.copyOfRange(data, offset, offset + length));
    }

    private static void checkSize(int length) throws StunException {
        if (length < HEADER_LENGTH) {
            throw new StunException("truncated STUN message: " + length + " bytes, the header alone needs 20");
        }
        if (length > MAX_MESSAGE_LENGTH) {
            throw new StunException("STUN message of " + length + " bytes exceeds the limit of " + MAX_MESSAGE_LENGTH);
        }
    }

    /** Parses a message that owns {@code wire}. */
    static StunMessage parse(byte[] wire) throws StunException {
        checkSize(wire.length);
        int type = u16(wire, 0);
        if ((type & 0xC000) != 0) {
            throw new StunException(String.format(
                    "not a STUN message: the two leading bits of the message type 0x%04x are not zero", type));
        }
        int cookie = i32(wire, 4);
        if (cookie != MAGIC_COOKIE) {
            throw new StunException(String.format("bad magic cookie 0x%08x, expected 0x%08x", cookie, MAGIC_COOKIE));
        }
        int declared = u16(wire, 2);
        if (declared % 4 != 0) {
            throw new StunException("STUN message length " + declared + " is not a multiple of 4");
        }
        int available = wire.length - HEADER_LENGTH;
        if (declared > available) {
            throw new StunException("truncated STUN message: the header declares " + declared
                    + " bytes of attributes but only " + available + " follow");
        }
        if (declared < available) {
            throw new StunException((available - declared) + " bytes follow the " + (HEADER_LENGTH + declared)
                    + "-byte STUN message in the datagram");
        }
        List<StunAttribute> attributes = new ArrayList<>(8);
        int protectedCount = -1;
        boolean fingerprint = false;
        int pos = HEADER_LENGTH;
        while (pos < wire.length) {
            int attrType = u16(wire, pos);
            if (fingerprint) {
                throw new StunException(String.format(
                        "attribute %s at offset %d follows FINGERPRINT, which must be the last attribute",
                        StunAttribute.name(attrType), pos));
            }
            if (attributes.size() == MAX_ATTRIBUTES) {
                throw new StunException("STUN message has more than " + MAX_ATTRIBUTES + " attributes");
            }
            int length = u16(wire, pos + 2);
            int padded = StunAttribute.padded(length);
            int remaining = wire.length - pos - 4;
            if (padded > remaining) {
                throw new StunException(String.format(
                        "attribute %s at offset %d declares %d bytes (%d padded) but only %d remain in the message",
                        StunAttribute.name(attrType), pos, length, padded, remaining));
            }
            StunAttribute.validate(attrType, wire, pos + 4, length, pos);
            if (attrType == StunAttribute.FINGERPRINT) {
                int expected = StunCrypto.fingerprint(wire, 0, pos);
                int actual = i32(wire, pos + 4);
                if (expected != actual) {
                    throw new StunException(String.format(
                            "FINGERPRINT mismatch: the message carries 0x%08x, its bytes give 0x%08x", actual,
                            expected));
                }
                fingerprint = true;
            }
            if (protectedCount < 0 && (attrType == StunAttribute.MESSAGE_INTEGRITY
                    || attrType == StunAttribute.MESSAGE_INTEGRITY_SHA256)) {
                protectedCount = attributes.size();
            }
            attributes.add(new StunAttribute(attrType, wire, pos + 4, length, padded));
            pos += 4 + padded;
        }
        int method = (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
        StunClass messageClass = StunClass.ofBits(((type >> 4) & 0x1) | ((type >> 7) & 0x2));
        return new StunMessage(messageClass, method, wire, Collections.unmodifiableList(attributes),
                protectedCount < 0 ? attributes.size() : protectedCount);
    }

    // --- routing without a full decode -----------------------------------------------------------

    /**
     * Reads the USERNAME of a STUN message without decoding the rest, for routing a datagram to its
     * session. Never throws on malformed input: anything that is not a plausible message gives empty.
     * Neither the indexes nor the reference count of {@code buf} change. The message is not
     * authenticated here.
     *
     * @param buf the datagram
     * @return the USERNAME value, if the message has one before any MESSAGE-INTEGRITY
     */
    public static Optional<String> peekUsername(ByteBuf buf) {
        long range = usernameRange(buf);
        if (range < 0) {
            return Optional.empty();
        }
        return Optional.of(buf.toString((int) (range >>> 32), (int) range, StandardCharsets.UTF_8));
    }

    /**
     * The local username fragment of a connectivity check sent to us: the part of the USERNAME
     * ("LOCAL:REMOTE", <a href="https://www.rfc-editor.org/rfc/rfc8445#section-7.2.2">RFC 8445 section
     * 7.2.2</a>) before the first colon. Never throws on malformed input. Neither the indexes nor the
     * reference count of {@code buf} change.
     *
     * @param buf the datagram
     * @return the local ufrag, if the message has a USERNAME containing a colon
     */
    public static Optional<String> localUfragOf(ByteBuf buf) {
        long range = usernameRange(buf);
        if (range < 0) {
            return Optional.empty();
        }
        int start = (int) (range >>> 32);
        int colon = buf.indexOf(start, start + (int) range, (byte) ':');
        if (colon < 0) {
            return Optional.empty();
        }
        return Optional.of(buf.toString(start, colon - start, StandardCharsets.UTF_8));
    }

    /** @return the absolute index of the USERNAME value shifted left 32 bits, or'ed with its length; or -1 */
    private static long usernameRange(ByteBuf buf) {
        int start = buf.readerIndex();
        int n = buf.readableBytes();
        if (n < HEADER_LENGTH || n > MAX_MESSAGE_LENGTH || (buf.getByte(start) & 0xC0) != 0
                || buf.getInt(start + 4) != MAGIC_COOKIE || buf.getUnsignedShort(start + 2) != n - HEADER_LENGTH) {
            return -1;
        }
        int end = start + n;
        int pos = start + HEADER_LENGTH;
        for (int count = 0; pos + 4 <= end && count < MAX_ATTRIBUTES; count++) {
            int type = buf.getUnsignedShort(pos);
            int length = buf.getUnsignedShort(pos + 2);
            if (pos + 4 + length > end) {
                return -1;
            }
            if (type == StunAttribute.USERNAME) {
                return length > StunAttribute.MAX_USERNAME_BYTES ? -1 : ((long) (pos + 4) << 32) | length;
            }
            if (type == StunAttribute.MESSAGE_INTEGRITY || type == StunAttribute.MESSAGE_INTEGRITY_SHA256) {
                return -1;
            }
            pos += 4 + StunAttribute.padded(length);
        }
        return -1;
    }

    // --- header ----------------------------------------------------------------------------------

    /** @return the message class */
    public StunClass messageClass() {
        return messageClass;
    }

    /** @return the method, 0 to 0xFFF ({@link #METHOD_BINDING} for ICE) */
    public int method() {
        return method;
    }

    /** @return a copy of the 12-byte transaction id */
    public byte[] transactionId() {
        return Arrays.copyOfRange(wire, 8, HEADER_LENGTH);
    }

    /**
     * @param id a transaction id
     * @return whether this message has that transaction id
     */
    public boolean hasTransactionId(byte[] id) {
        return Arrays.equals(wire, 8, HEADER_LENGTH, id, 0, id.length);
    }

    /** @return the length of the encoded message in bytes */
    public int encodedLength() {
        return wire.length;
    }

    // --- attributes ------------------------------------------------------------------------------

    /** @return every attribute, in order, including those after MESSAGE-INTEGRITY */
    public List<StunAttribute> attributes() {
        return attributes;
    }

    /**
     * @param type an attribute type
     * @return its first occurrence among the attributes that count (before MESSAGE-INTEGRITY, or the
     *     integrity and FINGERPRINT attributes themselves)
     */
    public Optional<StunAttribute> attribute(int type) {
        return Optional.ofNullable(find(type));
    }

    private StunAttribute find(int type) {
        boolean trailer = type == StunAttribute.MESSAGE_INTEGRITY || type == StunAttribute.MESSAGE_INTEGRITY_SHA256
                || type == StunAttribute.FINGERPRINT;
        int limit = trailer ? attributes.size() : protectedCount;
        for (int i = 0; i < limit; i++) {
            StunAttribute a = attributes.get(i);
            if (a.type() == type) {
                return a;
            }
        }
        return null;
    }

    /** @return the USERNAME, decoded as UTF-8 */
    public Optional<String> username() {
        StunAttribute a = find(StunAttribute.USERNAME);
        return a == null ? Optional.empty() : Optional.of(a.valueAsString());
    }

    /**
     * @param expected a username
     * @return whether the USERNAME is exactly the UTF-8 bytes of {@code expected}
     */
    public boolean usernameEquals(byte[] expected) {
        StunAttribute a = find(StunAttribute.USERNAME);
        return a != null && a.valueEquals(expected);
    }

    /** @return the SOFTWARE description */
    public Optional<String> software() {
        StunAttribute a = find(StunAttribute.SOFTWARE);
        return a == null ? Optional.empty() : Optional.of(a.valueAsString());
    }

    /** @return the PRIORITY of an ICE check, an unsigned 32-bit value */
    public OptionalLong priority() {
        StunAttribute a = find(StunAttribute.PRIORITY);
        return a == null ? OptionalLong.empty() : OptionalLong.of(a.u32(0));
    }

    /** @return whether USE-CANDIDATE is present */
    public boolean useCandidate() {
        return find(StunAttribute.USE_CANDIDATE) != null;
    }

    /** @return the tie-breaker of ICE-CONTROLLING, as a signed view of the unsigned 64-bit value */
    public OptionalLong iceControlling() {
        StunAttribute a = find(StunAttribute.ICE_CONTROLLING);
        return a == null ? OptionalLong.empty() : OptionalLong.of(a.i64(0));
    }

    /** @return the tie-breaker of ICE-CONTROLLED, as a signed view of the unsigned 64-bit value */
    public OptionalLong iceControlled() {
        StunAttribute a = find(StunAttribute.ICE_CONTROLLED);
        return a == null ? OptionalLong.empty() : OptionalLong.of(a.i64(0));
    }

    /** @return the XOR-MAPPED-ADDRESS, un-XORed */
    public Optional<InetSocketAddress> xorMappedAddress() {
        StunAttribute a = find(StunAttribute.XOR_MAPPED_ADDRESS);
        return a == null ? Optional.empty() : Optional.of(readAddress(a, true));
    }

    /** @return the MAPPED-ADDRESS */
    public Optional<InetSocketAddress> mappedAddress() {
        StunAttribute a = find(StunAttribute.MAPPED_ADDRESS);
        return a == null ? Optional.empty() : Optional.of(readAddress(a, false));
    }

    /** @return the ERROR-CODE */
    public Optional<StunErrorCode> errorCode() {
        StunAttribute a = find(StunAttribute.ERROR_CODE);
        if (a == null) {
            return Optional.empty();
        }
        int code = (a.u8(2) & 0x07) * 100 + a.u8(3);
        String reason = new String(a.buffer(), a.offset() + 4, a.length() - 4, StandardCharsets.UTF_8);
        if (reason.length() > 127) {
            reason = reason.substring(0, 127);
        }
        return Optional.of(new StunErrorCode(code, reason));
    }

    /** @return the attribute types listed by UNKNOWN-ATTRIBUTES, empty if absent */
    public List<Integer> unknownAttributes() {
        StunAttribute a = find(StunAttribute.UNKNOWN_ATTRIBUTES);
        if (a == null) {
            return List.of();
        }
        Integer[] types = new Integer[a.length() / 2];
        for (int i = 0; i < types.length; i++) {
            types[i] = a.u16(2 * i);
        }
        return List.of(types);
    }

    /**
     * @return the comprehension-required attribute types (0x0000 to 0x7FFF) that this package does not
     *     interpret, in order of appearance without duplicates: a request carrying any must be answered
     *     with 420 (RFC 8489 section 6.3.1.1)
     */
    public List<Integer> unknownComprehensionRequired() {
        List<Integer> unknown = null;
        for (int i = 0; i < protectedCount; i++) {
            int type = attributes.get(i).type();
            if (StunAttribute.isComprehensionRequired(type) && !StunAttribute.isKnown(type)) {
                if (unknown == null) {
                    unknown = new ArrayList<>(2);
                }
                if (!unknown.contains(type)) {
                    unknown.add(type);
                }
            }
        }
        return unknown == null ? List.of() : List.copyOf(unknown);
    }

    /** @return whether MESSAGE-INTEGRITY is present */
    public boolean hasMessageIntegrity() {
        return find(StunAttribute.MESSAGE_INTEGRITY) != null;
    }

    /** @return whether MESSAGE-INTEGRITY-SHA256 is present */
    public boolean hasMessageIntegritySha256() {
        return find(StunAttribute.MESSAGE_INTEGRITY_SHA256) != null;
    }

    /** @return whether FINGERPRINT is present (decoding has verified it) */
    public boolean hasFingerprint() {
        return find(StunAttribute.FINGERPRINT) != null;
    }

    private InetSocketAddress readAddress(StunAttribute a, boolean xor) {
        int port = a.u16(2) ^ (xor ? MAGIC_COOKIE >>> 16 : 0);
        int family = a.u8(1);
        byte[] ip = new byte[family == 0x01 ? 4 : 16];
        for (int i = 0; i < ip.length; i++) {
            // the XOR mask is the magic cookie followed by the transaction id: header bytes 4 to 19
            ip[i] = (byte) (a.u8(4 + i) ^ (xor ? wire[4 + i] : 0));
        }
        try {
            InetAddress address = family == 0x01
                    ? InetAddress.getByAddress(ip)
                    : Inet6Address.getByAddress(null, ip, -1);
            return new InetSocketAddress(address, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address length checked when decoding", e);
        }
    }

    // --- integrity -------------------------------------------------------------------------------

    /**
     * Verifies MESSAGE-INTEGRITY (HMAC-SHA1) and, if present, MESSAGE-INTEGRITY-SHA256 over the bytes
     * this message was decoded from.
     *
     * @param key the HMAC key: for the short-term credentials of ICE, the password's bytes
     * @return whether the integrity attributes are absent, valid or invalid
     */
    public IntegrityStatus checkIntegrity(byte[] key) {
        return StunCrypto.verify(wire, 0, wire.length, null, null, key, new byte[StunCrypto.SHA256_LENGTH]);
    }

    /**
     * Verifies MESSAGE-INTEGRITY and, if present, MESSAGE-INTEGRITY-SHA256 over the exact bytes of a
     * received message, without decoding it.
     *
     * @param data holds the message
     * @param offset where it starts
     * @param length its length
     * @param key the HMAC key
     * @return whether the integrity attributes are absent, valid or invalid (invalid also when the
     *     bytes are not a message)
     */
    public static IntegrityStatus checkIntegrity(byte[] data, int offset, int length, byte[] key) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return StunCrypto.verify(data, offset, length, null, null, key, new byte[StunCrypto.SHA256_LENGTH]);
    }

    /** The bytes this message was decoded from or built as; never modified, never handed out. */
    byte[] wire() {
        return wire;
    }

    // --- encoding --------------------------------------------------------------------------------

    /** @return the encoded message: header and every attribute with its padding, as received */
    public byte[] toByteArray() {
        byte[] out = new byte[wire.length];
        int type = encodeType(messageClass, method);
        put16(out, 0, type);
        put16(out, 2, wire.length - HEADER_LENGTH);
        put32(out, 4, MAGIC_COOKIE);
        System.arraycopy(wire, 8, out, 8, TRANSACTION_ID_LENGTH);
        int pos = HEADER_LENGTH;
        for (StunAttribute a : attributes) {
            put16(out, pos, a.type());
            put16(out, pos + 2, a.length());
            System.arraycopy(a.buffer(), a.offset(), out, pos + 4, a.paddedLength());
            pos += 4 + a.paddedLength();
        }
        return out;
    }

    /**
     * Writes the encoded message at the writer index of {@code out}.
     *
     * @param out the buffer to write to
     */
    public void encode(ByteBuf out) {
        out.writeBytes(toByteArray());
    }

    /**
     * @param alloc the allocator
     * @return a new buffer holding the encoded message; the caller releases it
     */
    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(wire.length);
        encode(out);
        return out;
    }

    static int encodeType(StunClass messageClass, int method) {
        int c = messageClass.bits();
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) | ((c & 0x1) << 4)
                | ((c & 0x2) << 7);
    }

    // --- building --------------------------------------------------------------------------------

    /**
     * @param messageClass the class
     * @param method the method, 0 to 0xFFF
     * @return a builder; the transaction id is random unless {@link Builder#transactionId set}
     */
    public static Builder builder(StunClass messageClass, int method) {
        return new Builder(messageClass, method);
    }

    /**
     * Builds a {@link StunMessage}: attributes in the order they are added, then MESSAGE-INTEGRITY,
     * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT if asked for. Not thread-safe.
     */
    public static final class Builder {
        private final StunClass messageClass;
        private final int method;
        private final byte[] transactionId = new byte[TRANSACTION_ID_LENGTH];
        private boolean transactionIdSet;
        private final List<StunAttribute> attributes = new ArrayList<>(4);
        private int attributesLength;
        private byte[] integrityKey;
        private Mac integrityMac;
        private byte[] integritySha256Key;
        private boolean fingerprint;

        private Builder(StunClass messageClass, int method) {
            this.messageClass = Objects.requireNonNull(messageClass, "messageClass");
            if (method < 0 || method > 0xFFF) {
                throw new IllegalArgumentException("STUN method must be 0 to 0xFFF, got " + method);
            }
            this.method = method;
        }

        private void ensureTransactionId() {
            if (!transactionIdSet) {
                RANDOM.nextBytes(transactionId);
                transactionIdSet = true;
            }
        }

        /**
         * @param id the 12-byte transaction id (a response copies the request's)
         * @return this builder
         */
        public Builder transactionId(byte[] id) {
            if (id.length != TRANSACTION_ID_LENGTH) {
                throw new IllegalArgumentException("a STUN transaction id has 12 bytes, got " + id.length);
            }
            System.arraycopy(id, 0, transactionId, 0, TRANSACTION_ID_LENGTH);
            transactionIdSet = true;
            return this;
        }

        /**
         * Adds an attribute as is. MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are computed
         * by {@link #messageIntegrity}, {@link #messageIntegritySha256} and {@link #fingerprint} instead.
         *
         * @param attribute the attribute; a known type must have a valid value
         * @return this builder
         */
        public Builder attribute(StunAttribute attribute) {
            int type = attribute.type();
            if (type == StunAttribute.MESSAGE_INTEGRITY || type == StunAttribute.MESSAGE_INTEGRITY_SHA256
                    || type == StunAttribute.FINGERPRINT) {
                throw new IllegalArgumentException(StunAttribute.name(type) + " is computed by the builder");
            }
            try {
                StunAttribute.validate(type, attribute.buffer(), attribute.offset(), attribute.length(), 0);
            } catch (StunException e) {
                throw new IllegalArgumentException("invalid attribute: " + e.getMessage(), e);
            }
            attributes.add(attribute);
            attributesLength += 4 + attribute.paddedLength();
            return this;
        }

        /**
         * @param type the attribute type
         * @param value the value
         * @return this builder
         */
        public Builder attribute(int type, byte[] value) {
            return attribute(StunAttribute.of(type, value));
        }

        /**
         * @param username the USERNAME, at most 513 bytes of UTF-8
         * @return this builder
         */
        public Builder username(String username) {
            return attribute(StunAttribute.USERNAME, username.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * @param software the SOFTWARE description, at most 763 bytes of UTF-8
         * @return this builder
         */
        public Builder software(String software) {
            return attribute(StunAttribute.SOFTWARE, software.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * @param priority the PRIORITY, an unsigned 32-bit value
         * @return this builder
         */
        public Builder priority(long priority) {
            if (priority < 0 || priority > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("PRIORITY must be an unsigned 32-bit value, got " + priority);
            }
            byte[] v = new byte[4];
            put32(v, 0, (int) priority);
            return attribute(StunAttribute.PRIORITY, v);
        }

        /** @return this builder, with USE-CANDIDATE added */
        public Builder useCandidate() {
            return attribute(StunAttribute.USE_CANDIDATE, new byte[0]);
        }

        /**
         * @param tieBreaker the 64-bit tie-breaker
         * @return this builder, with ICE-CONTROLLING added
         */
        public Builder iceControlling(long tieBreaker) {
            return attribute(StunAttribute.ICE_CONTROLLING, long64(tieBreaker));
        }

        /**
         * @param tieBreaker the 64-bit tie-breaker
         * @return this builder, with ICE-CONTROLLED added
         */
        public Builder iceControlled(long tieBreaker) {
            return attribute(StunAttribute.ICE_CONTROLLED, long64(tieBreaker));
        }

        /**
         * @param address a resolved IPv4 or IPv6 address and port
         * @return this builder, with XOR-MAPPED-ADDRESS added
         */
        public Builder xorMappedAddress(InetSocketAddress address) {
            return attribute(StunAttribute.XOR_MAPPED_ADDRESS, addressValue(address, true));
        }

        /**
         * @param address a resolved IPv4 or IPv6 address and port
         * @return this builder, with MAPPED-ADDRESS added
         */
        public Builder mappedAddress(InetSocketAddress address) {
            return attribute(StunAttribute.MAPPED_ADDRESS, addressValue(address, false));
        }

        /**
         * @param error the code and reason
         * @return this builder, with ERROR-CODE added
         */
        public Builder errorCode(StunErrorCode error) {
            byte[] reason = error.reason().getBytes(StandardCharsets.UTF_8);
            byte[] v = new byte[4 + reason.length];
            v[2] = (byte) (error.code() / 100);
            v[3] = (byte) (error.code() % 100);
            System.arraycopy(reason, 0, v, 4, reason.length);
            return attribute(StunAttribute.ERROR_CODE, v);
        }

        /**
         * @param types the attribute types to list, each 0 to 0xFFFF
         * @return this builder, with UNKNOWN-ATTRIBUTES added
         */
        public Builder unknownAttributes(List<Integer> types) {
            byte[] v = new byte[2 * types.size()];
            for (int i = 0; i < types.size(); i++) {
                int type = types.get(i);
                StunAttribute.checkType(type);
                put16(v, 2 * i, type);
            }
            return attribute(StunAttribute.UNKNOWN_ATTRIBUTES, v);
        }

        /**
         * Appends MESSAGE-INTEGRITY (HMAC-SHA1) after the other attributes when building.
         *
         * @param key the HMAC key, not empty: for ICE, the bytes of the password of the agent that
         *     receives the request (copied)
         * @return this builder
         */
        public Builder messageIntegrity(byte[] key) {
            if (key.length == 0) {
                throw new IllegalArgumentException("a STUN integrity key must not be empty");
            }
            this.integrityKey = key.clone();
            this.integrityMac = null;
            return this;
        }

        /** Appends MESSAGE-INTEGRITY computed with a Mac already keyed, owned by the caller's thread. */
        Builder messageIntegrity(Mac keyedMac) {
            this.integrityMac = keyedMac;
            this.integrityKey = null;
            return this;
        }

        /**
         * Appends MESSAGE-INTEGRITY-SHA256 (full 32 bytes) after MESSAGE-INTEGRITY, if any, when building.
         *
         * @param key the HMAC key, not empty (copied)
         * @return this builder
         */
        public Builder messageIntegritySha256(byte[] key) {
            if (key.length == 0) {
                throw new IllegalArgumentException("a STUN integrity key must not be empty");
            }
            this.integritySha256Key = key.clone();
            return this;
        }

        /**
         * Appends FINGERPRINT, last, when building.
         *
         * @return this builder
         */
        public Builder fingerprint() {
            this.fingerprint = true;
            return this;
        }

        /**
         * @return the encoded message
         * @throws IllegalStateException if it would exceed {@value StunMessage#MAX_MESSAGE_LENGTH} bytes or
         *     {@value StunMessage#MAX_ATTRIBUTES} attributes
         */
        public byte[] encode() {
            boolean mi = integrityKey != null || integrityMac != null;
            boolean mi256 = integritySha256Key != null;
            int count = attributes.size() + (mi ? 1 : 0) + (mi256 ? 1 : 0) + (fingerprint ? 1 : 0);
            int size = HEADER_LENGTH + attributesLength + (mi ? 24 : 0) + (mi256 ? 36 : 0) + (fingerprint ? 8 : 0);
            if (count > MAX_ATTRIBUTES) {
                throw new IllegalStateException("a STUN message may have at most " + MAX_ATTRIBUTES
                        + " attributes, this one would have " + count);
            }
            if (size > MAX_MESSAGE_LENGTH) {
                throw new IllegalStateException("the STUN message would have " + size
                        + " bytes, more than the limit of " + MAX_MESSAGE_LENGTH);
            }
            ensureTransactionId();
            byte[] w = new byte[size];
            put16(w, 0, encodeType(messageClass, method));
            put32(w, 4, MAGIC_COOKIE);
            System.arraycopy(transactionId, 0, w, 8, TRANSACTION_ID_LENGTH);
            int pos = HEADER_LENGTH;
            for (StunAttribute a : attributes) {
                put16(w, pos, a.type());
                put16(w, pos + 2, a.length());
                System.arraycopy(a.buffer(), a.offset(), w, pos + 4, a.paddedLength());
                pos += 4 + a.paddedLength();
            }
            if (mi) {
                Mac mac = integrityMac != null
                        ? integrityMac
                        : StunCrypto.threadMac(StunCrypto.HMAC_SHA1, integrityKey);
                pos = appendHmac(w, pos, StunAttribute.MESSAGE_INTEGRITY, mac, StunCrypto.SHA1_LENGTH);
            }
            if (mi256) {
                Mac mac = StunCrypto.threadMac(StunCrypto.HMAC_SHA256, integritySha256Key);
                pos = appendHmac(w, pos, StunAttribute.MESSAGE_INTEGRITY_SHA256, mac, StunCrypto.SHA256_LENGTH);
            }
            if (fingerprint) {
                put16(w, 2, pos + 8 - HEADER_LENGTH);
                int crc = StunCrypto.fingerprint(w, 0, pos);
                put16(w, pos, StunAttribute.FINGERPRINT);
                put16(w, pos + 2, 4);
                put32(w, pos + 4, crc);
                pos += 8;
            }
            put16(w, 2, pos - HEADER_LENGTH);
            return w;
        }

        private static int appendHmac(byte[] w, int pos, int type, Mac mac, int length) {
            int adjusted = pos + 4 + length - HEADER_LENGTH;
            StunCrypto.hmac(mac, w, 0, pos, adjusted, w, pos + 4);
            put16(w, pos, type);
            put16(w, pos + 2, length);
            return pos + 4 + length;
        }

        /**
         * @return the message
         * @throws IllegalStateException as {@link #encode()}
         */
        public StunMessage build() {
            try {
                return parse(encode());
            } catch (StunException e) {
                throw new IllegalStateException("built an undecodable STUN message: " + e.getMessage(), e);
            }
        }

        private byte[] addressValue(InetSocketAddress address, boolean xor) {
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("unresolved address " + address);
            }
            if (xor) {
                ensureTransactionId();
            }
            byte[] ip = address.getAddress().getAddress();
            byte[] v = new byte[4 + ip.length];
            v[1] = (byte) (address.getAddress() instanceof Inet4Address ? 0x01 : 0x02);
            put16(v, 2, address.getPort() ^ (xor ? MAGIC_COOKIE >>> 16 : 0));
            for (int i = 0; i < ip.length; i++) {
                byte mask = 0;
                if (xor) {
                    mask = i < 4 ? (byte) (MAGIC_COOKIE >>> (24 - 8 * i)) : transactionId[i - 4];
                }
                v[4 + i] = (byte) (ip[i] ^ mask);
            }
            return v;
        }

        private static byte[] long64(long value) {
            byte[] v = new byte[8];
            put32(v, 0, (int) (value >>> 32));
            put32(v, 4, (int) value);
            return v;
        }
    }

    // --- bytes -----------------------------------------------------------------------------------

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int i32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Equal when class, method, transaction id and attributes (with their padding) are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StunMessage m && m.messageClass == messageClass && m.method == method
                && Arrays.equals(wire, 8, HEADER_LENGTH, m.wire, 8, HEADER_LENGTH) && m.attributes.equals(attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageClass, method, attributes) * 31 + Arrays.hashCode(transactionId());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StunMessage[").append(messageClass).append(' ')
                .append(method == METHOD_BINDING ? "Binding" : String.format("method 0x%03x", method))
                .append(" tid=").append(HexFormat.of().formatHex(wire, 8, HEADER_LENGTH)).append(' ')
                .append(attributes).append(']');
        return sb.toString();
    }
}
