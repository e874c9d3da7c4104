package io.streamkit.relay.srt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A handshake extension block of an HSv5 handshake: a 16-bit type, a 16-bit length in 32-bit
 * words, and the contents.
 *
 * <p>The text extensions ({@link StreamId}, {@link Congestion}, {@link Filter}) are packed the
 * way libsrt packs them: the UTF-8 bytes are zero-padded to a multiple of 4 and every 4-byte
 * group is byte-reversed on the wire ({@code "abcdef"} travels as {@code d c b a 0 0 f e}).
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-3.2.1">draft-sharabayko-srt, Handshake</a>
 */
public sealed interface SrtHandshakeExtension permits SrtHandshakeExtension.HsMessage,
        SrtHandshakeExtension.KeyMaterialMessage, SrtHandshakeExtension.KeyMaterialError,
        SrtHandshakeExtension.StreamId, SrtHandshakeExtension.Congestion, SrtHandshakeExtension.Filter,
        SrtHandshakeExtension.Raw {

    /** Extension type of a handshake request (SRT_CMD_HSREQ). */
    int TYPE_HSREQ = 1;
    /** Extension type of a handshake response (SRT_CMD_HSRSP). */
    int TYPE_HSRSP = 2;
    /** Extension type of a key material request (SRT_CMD_KMREQ). */
    int TYPE_KMREQ = 3;
    /** Extension type of a key material response (SRT_CMD_KMRSP). */
    int TYPE_KMRSP = 4;
    /** Extension type of the stream id (SRT_CMD_SID). */
    int TYPE_SID = 5;
    /** Extension type of the congestion controller name (SRT_CMD_CONGESTION). */
    int TYPE_CONGESTION = 6;
    /** Extension type of the packet filter configuration (SRT_CMD_FILTER). */
    int TYPE_FILTER = 7;
    /** Extension type of socket group membership (SRT_CMD_GROUP), kept as {@link Raw}. */
    int TYPE_GROUP = 8;
    /** The longest stream id in bytes. */
    int MAX_STREAM_ID_BYTES = 512;

    /** @return the 16-bit extension type */
    int type();

    /**
     * The HSREQ or HSRSP extension: SRT version, capabilities and TSBPD latencies.
     *
     * @param response whether this is an HSRSP (else an HSREQ)
     * @param srtVersion the SRT version as {@code major << 16 | minor << 8 | patch}
     * @param flags the {@code FLAG_*} bits
     * @param receiverTsbpdDelay the receiver's TSBPD latency in milliseconds (16 bits)
     * @param senderTsbpdDelay the sender's TSBPD latency in milliseconds (16 bits)
     */
    record HsMessage(boolean response, int srtVersion, int flags, int receiverTsbpdDelay, int senderTsbpdDelay)
            implements
                SrtHandshakeExtension {
        /** The sender uses TSBPD. */
        public static final int FLAG_TSBPDSND = 0x01;
        /** The receiver uses TSBPD. */
        public static final int FLAG_TSBPDRCV = 0x02;
        /** Encryption is supported (always set by libsrt). */
        public static final int FLAG_CRYPT = 0x04;
        /** Too-late packet drop. */
        public static final int FLAG_TLPKTDROP = 0x08;
        /** Periodic NAK reports. */
        public static final int FLAG_PERIODICNAK = 0x10;
        /** The retransmitted flag is present in data packets (the message number is 26 bits). */
        public static final int FLAG_REXMITFLG = 0x20;
        /** Stream (buffer) mode rather than message mode. */
        public static final int FLAG_STREAM = 0x40;
        /** A packet filter is configured. */
        public static final int FLAG_PACKET_FILTER = 0x80;
        /** The length of the contents in 32-bit words. */
        public static final int WORDS = 3;

        /** Validates the 16-bit delays. */
        public HsMessage {
            if ((receiverTsbpdDelay & ~0xFFFF) != 0 || (senderTsbpdDelay & ~0xFFFF) != 0) {
                throw new IllegalArgumentException("TSBPD delays " + receiverTsbpdDelay + "/" + senderTsbpdDelay
                        + " do not fit 16 bits");
            }
        }

        @Override
        public int type() {
            return response ? TYPE_HSRSP : TYPE_HSREQ;
        }

        /**
         * @param flag a {@code FLAG_*} bit
         * @return whether it is set
         */
        public boolean has(int flag) {
            return (flags & flag) == flag;
        }
    }

    /**
     * The KMREQ or KMRSP extension carrying key material.
     *
     * @param response whether this is a KMRSP (else a KMREQ)
     * @param keyMaterial the key material message
     */
    record KeyMaterialMessage(boolean response, SrtKeyMaterial keyMaterial) implements SrtHandshakeExtension {
        /** Checks for null. */
        public KeyMaterialMessage {
            Objects.requireNonNull(keyMaterial, "keyMaterial");
        }

        @Override
        public int type() {
            return response ? TYPE_KMRSP : TYPE_KMREQ;
        }
    }

    /**
     * A KMRSP of one word: the responder could not use the key material.
     *
     * @param state the key material state, such as {@link #NOSECRET} or {@link #BADSECRET}
     */
    record KeyMaterialError(int state) implements SrtHandshakeExtension {
        /** The connection is not encrypted. */
        public static final int UNSECURED = 0;
        /** Key material exchange in progress. */
        public static final int SECURING = 1;
        /** Keys exchanged. */
        public static final int SECURED = 2;
        /** The responder has no passphrase. */
        public static final int NOSECRET = 3;
        /** The responder's passphrase does not unwrap the keys. */
        public static final int BADSECRET = 4;

        @Override
        public int type() {
            return TYPE_KMRSP;
        }
    }

    /**
     * The stream id: up to 512 bytes of UTF-8, often {@code #!::r=name,m=publish}.
     *
     * @param value the stream id
     */
    record StreamId(String value) implements SrtHandshakeExtension {
        /** Validates the length and that the value has no NUL character. */
        public StreamId {
            checkText("stream id", value, MAX_STREAM_ID_BYTES);
        }

        @Override
        public int type() {
            return TYPE_SID;
        }
    }

    /**
     * The congestion controller name ({@code live} or {@code file}).
     *
     * @param value the name
     */
    record Congestion(String value) implements SrtHandshakeExtension {
        /** Validates that the value has no NUL character. */
        public Congestion {
            checkText("congestion controller", value, 0xFFFF * 4);
        }

        @Override
        public int type() {
            return TYPE_CONGESTION;
        }
    }

    /**
     * The packet filter configuration, such as {@code fec,cols:10,rows:5}.
     *
     * @param value the configuration
     */
    record Filter(String value) implements SrtHandshakeExtension {
        /** Validates that the value has no NUL character. */
        public Filter {
            checkText("packet filter", value, 0xFFFF * 4);
        }

        @Override
        public int type() {
            return TYPE_FILTER;
        }
    }

    /**
     * An extension StreamKit keeps without interpreting (such as {@link #TYPE_GROUP}).
     *
     * @param type the extension type
     * @param content the contents, a multiple of 4 bytes (copied)
     */
    record Raw(int type, byte[] content) implements SrtHandshakeExtension {
        /** Validates the type and the length, and copies the contents. */
        public Raw {
            if ((type & ~0xFFFF) != 0 || type >= TYPE_HSREQ && type <= TYPE_FILTER) {
                throw new IllegalArgumentException("extension type " + type + " is not a raw extension type");
            }
            if (content.length % 4 != 0 || content.length > 0xFFFF * 4) {
                throw new IllegalArgumentException("extension contents of " + content.length
                        + " bytes are not a whole number of 32-bit words");
            }
            content = content.clone();
        }

        /** @return a copy of the contents */
        @Override
        public byte[] content() {
            return content.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Raw other && type == other.type && Arrays.equals(content, other.content);
        }

        @Override
        public int hashCode() {
            return type * 31 + Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return "Raw[type=" + type + ", content=" + content.length + " bytes]";
        }
    }

    private static void checkText(String what, String value, int maxBytes) {
        Objects.requireNonNull(value, what);
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character");
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (!new String(utf8, StandardCharsets.UTF_8).equals(value)) {
            throw new IllegalArgumentException(what + " contains an unpaired surrogate");
        }
        int bytes = utf8.length;
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(what + " is " + bytes + " bytes of UTF-8, more than " + maxBytes);
        }
    }
}
