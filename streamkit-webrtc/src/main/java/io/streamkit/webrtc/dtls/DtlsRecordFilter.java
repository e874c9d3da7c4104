package io.streamkit.webrtc.dtls;

import io.netty.buffer.ByteBuf;

/**
 * A cheap structural check of inbound datagrams, run on the event loop before they are queued.
 * It discards what bctls would either ignore anyway or, worse, treat as a fatal error that tears
 * down an established association: a datagram that is not a sequence of complete DTLS records, or
 * a protected record (epoch above zero) too short to hold the AES-GCM explicit nonce and tag.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6347#section-4.1">RFC 6347 §4.1 (record layer)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5288#section-3">RFC 5288 §3 (AES-GCM record)</a>
 */
final class DtlsRecordFilter {
    static final int HEADER_LENGTH = 13;

    /**
     * Smallest protected fragment: 8-byte explicit nonce plus 16-byte tag, true of every cipher
     * suite StreamKit negotiates (AES-GCM only).
     */
    static final int MIN_PROTECTED_FRAGMENT = 8 + 16;

    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int HEARTBEAT = 24;
    private static final int DTLS_MAJOR_VERSION = 0xFE;

    private DtlsRecordFilter() {
    }

    /**
     * @param datagram an inbound UDP payload (indices are not changed)
     * @return whether it consists of one or more well-framed DTLS records
     */
    static boolean isWellFramed(ByteBuf datagram) {
        int at = datagram.readerIndex();
        int end = datagram.writerIndex();
        if (at == end) {
            return false;
        }
        while (at < end) {
            if (end - at < HEADER_LENGTH) {
                return false;
            }
            int contentType = datagram.getUnsignedByte(at);
            if (contentType < CHANGE_CIPHER_SPEC || contentType > HEARTBEAT) {
                return false;
            }
            if (datagram.getUnsignedByte(at + 1) != DTLS_MAJOR_VERSION) {
                return false;
            }
            int epoch = datagram.getUnsignedShort(at + 3);
            int length = datagram.getUnsignedShort(at + 11);
            if (epoch != 0 && length < MIN_PROTECTED_FRAGMENT) {
                return false;
            }
            at += HEADER_LENGTH + length;
        }
        return at == end;
    }
}
