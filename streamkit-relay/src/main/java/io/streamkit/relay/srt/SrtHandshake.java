package io.streamkit.relay.srt;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A handshake control packet: the 48-byte handshake CIF and, in HSv5 conclusion packets, its
 * extension blocks. Build one with {@link #builder()}.
 *
 * @param timestamp sender timestamp
 * @param destinationSocketId receiver socket id (0 in the caller's induction request)
 * @param version 4 in the induction request, 5 afterwards
 * @param encryptionField 16 bits: the advertised key length ({@code 0}, {@code 2}=AES-128, {@code 3}=AES-192, {@code 4}=AES-256)
 * @param extensionField 16 bits: {@code 2} (UDT_DGRAM) in the induction request, {@link #MAGIC} in the induction
 *        response, else the {@code EXT_*} flags naming the extensions present
 * @param initialSequenceNumber the sender's first data sequence number (31 bits)
 * @param mtu the maximum transmission unit, normally 1500
 * @param flowWindow the maximum flow window in packets, normally 8192
 * @param handshakeType {@link #INDUCTION}, {@link #CONCLUSION}, {@link #WAVEAHAND}, {@link #AGREEMENT}, {@link #DONE}, or a
 *        rejection ({@link #rejection})
 * @param socketId the sender's SRT socket id
 * @param synCookie the SYN cookie (listener: set in the induction response, echoed in the conclusion)
 * @param peerIp the 16 peer-address bytes exactly as on the wire (see {@link #peerAddress()}); copied
 * @param extensions the extension blocks, in wire order
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-3.2.1">draft-sharabayko-srt, Handshake</a>
 */
public record SrtHandshake(int timestamp, int destinationSocketId, int version, int encryptionField,
        int extensionField, int initialSequenceNumber, int mtu, int flowWindow, int handshakeType, int socketId,
        int synCookie, byte[] peerIp, List<SrtHandshakeExtension> extensions) implements SrtControlPacket {

    /** The length of the handshake CIF without extensions. */
    public static final int CIF_LENGTH = 48;
    /** Handshake type of an induction. */
    public static final int INDUCTION = 1;
    /** Handshake type of a rendezvous wave-a-hand. */
    public static final int WAVEAHAND = 0;
    /** Handshake type of a conclusion ({@code 0xFFFFFFFF}). */
    public static final int CONCLUSION = -1;
    /** Handshake type of a rendezvous agreement ({@code 0xFFFFFFFE}). */
    public static final int AGREEMENT = -2;
    /** Handshake type "done" ({@code 0xFFFFFFFD}), never sent on the wire by libsrt. */
    public static final int DONE = -3;
    /** The first handshake type that means a rejection; the reason is the type minus this. */
    public static final int REJECTION_BASE = 1000;
    /** The extension field value of an HSv5 listener's induction response. */
    public static final int MAGIC = 0x4A17;
    /** The extension field value of an induction request (UDT_DGRAM). */
    public static final int UDT_DGRAM = 2;
    /** Extension flag: an HSREQ/HSRSP block is present. */
    public static final int EXT_HSREQ = 0x1;
    /** Extension flag: a KMREQ/KMRSP block is present. */
    public static final int EXT_KMREQ = 0x2;
    /** Extension flag: configuration blocks (SID, congestion, filter, group) may be present. */
    public static final int EXT_CONFIG = 0x4;
    private static final int PEER_IP_LENGTH = 16;

    /** Validates the field widths, copies the peer address and freezes the extensions. */
    public SrtHandshake {
        if ((encryptionField & ~0xFFFF) != 0 || (extensionField & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("encryption field " + encryptionField + " or extension field "
                    + extensionField + " does not fit 16 bits");
        }
        if (!SrtSeq.isValid(initialSequenceNumber)) {
            throw new IllegalArgumentException("initial sequence number " + initialSequenceNumber
                    + " does not fit 31 bits");
        }
        if (peerIp.length != PEER_IP_LENGTH) {
            throw new IllegalArgumentException("peer IP is " + peerIp.length + " bytes, expected 16");
        }
        peerIp = peerIp.clone();
        extensions = List.copyOf(extensions);
    }

    @Override
    public int controlType() {
        return TYPE_HANDSHAKE;
    }

    /** @return a copy of the 16 peer-address bytes as on the wire */
    @Override
    public byte[] peerIp() {
        return peerIp.clone();
    }

    /**
     * @param reason a rejection reason ({@code SRT_REJ_*}, or 1000+ for access-control codes)
     * @return the handshake type that carries it
     */
    public static int rejection(int reason) {
        return REJECTION_BASE + reason;
    }

    /** @return whether the handshake type is a rejection */
    public boolean isRejection() {
        return handshakeType >= REJECTION_BASE;
    }

    /** @return the rejection reason when {@link #isRejection()} */
    public Optional<Integer> rejectionReason() {
        return isRejection() ? Optional.of(handshakeType - REJECTION_BASE) : Optional.empty();
    }

    /**
     * The peer address. libsrt stores the address in four 32-bit host-order words and converts
     * each word to network order, so on a little-endian host every 4-byte group of the address is
     * byte-reversed on the wire ({@code 127.0.0.1} travels as {@code 01 00 00 7f}); an IPv4 address
     * fills the first group and the rest is zero.
     *
     * @return the peer address
     */
    public InetAddress peerAddress() {
        byte[] natural = swapWords(peerIp);
        boolean v4 = true;
        for (int i = 4; i < PEER_IP_LENGTH; i++) {
            v4 &= natural[i] == 0;
        }
        try {
            return InetAddress.getByAddress(v4 ? Arrays.copyOf(natural, 4) : natural);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }

    /**
     * @param address an IPv4 or IPv6 address
     * @return the 16 wire bytes libsrt sends for it (see {@link #peerAddress()})
     */
    public static byte[] peerIpBytes(InetAddress address) {
        byte[] natural = new byte[PEER_IP_LENGTH];
        byte[] raw = address.getAddress();
        if (address instanceof Inet4Address || address instanceof Inet6Address) {
            System.arraycopy(raw, 0, natural, 0, raw.length);
        }
        return swapWords(natural);
    }

    private static byte[] swapWords(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i += 4) {
            out[i] = in[i + 3];
            out[i + 1] = in[i + 2];
            out[i + 2] = in[i + 1];
            out[i + 3] = in[i];
        }
        return out;
    }

    /**
     * @param <T> the extension record type
     * @param type the extension record type, such as {@code SrtHandshakeExtension.StreamId.class}
     * @return the first extension of that type
     */
    public <T extends SrtHandshakeExtension> Optional<T> extension(Class<T> type) {
        return extensions.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** @return a builder with the defaults of an HSv5 conclusion (MTU 1500, flow window 8192) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this handshake's fields */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.timestamp = timestamp;
        b.destinationSocketId = destinationSocketId;
        b.version = version;
        b.encryptionField = encryptionField;
        b.extensionField = extensionField;
        b.initialSequenceNumber = initialSequenceNumber;
        b.mtu = mtu;
        b.flowWindow = flowWindow;
        b.handshakeType = handshakeType;
        b.socketId = socketId;
        b.synCookie = synCookie;
        b.peerIp = peerIp.clone();
        b.extensions = new ArrayList<>(extensions);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtHandshake h && timestamp == h.timestamp && destinationSocketId == h.destinationSocketId
                && version == h.version && encryptionField == h.encryptionField && extensionField == h.extensionField
                && initialSequenceNumber == h.initialSequenceNumber && mtu == h.mtu && flowWindow == h.flowWindow
                && handshakeType == h.handshakeType && socketId == h.socketId && synCookie == h.synCookie
                && Arrays.equals(peerIp, h.peerIp) && extensions.equals(h.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, destinationSocketId, version, encryptionField, extensionField,
                initialSequenceNumber, mtu, flowWindow, handshakeType, socketId, synCookie, extensions) * 31
                + Arrays.hashCode(peerIp);
    }

    @Override
    public String toString() {
        return "SrtHandshake[type=" + Integer.toUnsignedString(handshakeType) + ", version=" + version
                + ", encryption=" + encryptionField + ", extensionField=0x" + Integer.toHexString(extensionField)
                + ", initialSeq=" + initialSequenceNumber + ", mtu=" + mtu + ", flowWindow=" + flowWindow
                + ", socketId=" + socketId + ", synCookie=" + synCookie + ", peerIp="
                + HexFormat.of().formatHex(peerIp) + ", timestamp=" + timestamp + ", destinationSocketId="
                + destinationSocketId + ", extensions=" + extensions + "]";
    }

    /** Builds a {@link SrtHandshake}; every field starts with the value an HSv5 conclusion uses. */
    public static final class Builder {
        private int timestamp;
        private int destinationSocketId;
        private int version = 5;
        private int encryptionField;
        private int extensionField;
        private int initialSequenceNumber;
        private int mtu = 1500;
        private int flowWindow = 8192;
        private int handshakeType = CONCLUSION;
        private int socketId;
        private int synCookie;
        private byte[] peerIp = new byte[PEER_IP_LENGTH];
        private List<SrtHandshakeExtension> extensions = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param value sender timestamp
         * @return this builder
         */
        public Builder timestamp(int value) {
            this.timestamp = value;
            return this;
        }

        /**
         * @param value receiver socket id
         * @return this builder
         */
        public Builder destinationSocketId(int value) {
            this.destinationSocketId = value;
            return this;
        }

        /**
         * @param value handshake version (4 or 5)
         * @return this builder
         */
        public Builder version(int value) {
            this.version = value;
            return this;
        }

        /**
         * @param value the 16-bit encryption field
         * @return this builder
         */
        public Builder encryptionField(int value) {
            this.encryptionField = value;
            return this;
        }

        /**
         * @param value the 16-bit extension field
         * @return this builder
         */
        public Builder extensionField(int value) {
            this.extensionField = value;
            return this;
        }

        /**
         * @param value the initial sequence number
         * @return this builder
         */
        public Builder initialSequenceNumber(int value) {
            this.initialSequenceNumber = value;
            return this;
        }

        /**
         * @param value the MTU
         * @return this builder
         */
        public Builder mtu(int value) {
            this.mtu = value;
            return this;
        }

        /**
         * @param value the flow window in packets
         * @return this builder
         */
        public Builder flowWindow(int value) {
            this.flowWindow = value;
            return this;
        }

        /**
         * @param value the handshake type
         * @return this builder
         */
        public Builder handshakeType(int value) {
            this.handshakeType = value;
            return this;
        }

        /**
         * @param value the sender's socket id
         * @return this builder
         */
        public Builder socketId(int value) {
            this.socketId = value;
            return this;
        }

        /**
         * @param value the SYN cookie
         * @return this builder
         */
        public Builder synCookie(int value) {
            this.synCookie = value;
            return this;
        }

        /**
         * @param value the 16 wire bytes of the peer address
         * @return this builder
         */
        public Builder peerIp(byte[] value) {
            this.peerIp = value.clone();
            return this;
        }

        /**
         * @param value the peer address, converted with {@link SrtHandshake#peerIpBytes}
         * @return this builder
         */
        public Builder peerAddress(InetAddress value) {
            this.peerIp = peerIpBytes(value);
            return this;
        }

        /**
         * @param value the extension blocks, replacing any added so far
         * @return this builder
         */
        public Builder extensions(List<SrtHandshakeExtension> value) {
            this.extensions = new ArrayList<>(value);
            return this;
        }

        /**
         * @param value an extension block to append
         * @return this builder
         */
        public Builder addExtension(SrtHandshakeExtension value) {
            this.extensions.add(Objects.requireNonNull(value, "extension"));
            return this;
        }

        /** @return the handshake */
        public SrtHandshake build() {
            return new SrtHandshake(timestamp, destinationSocketId, version, encryptionField, extensionField,
                    initialSequenceNumber, mtu, flowWindow, handshakeType, socketId, synCookie, peerIp, extensions);
        }
    }
}
