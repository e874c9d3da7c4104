package io.streamkit.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Receives the header-extension elements of an RTP packet, in wire order, from
 * {@link RtpPacket#forEachExtension(RtpExtensionVisitor)}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8285#section-4">RFC 8285 §4</a>
 */
@FunctionalInterface
public interface RtpExtensionVisitor {
    /**
     * Called once per element (padding bytes are skipped).
     *
     * @param id the element's local identifier (1..14 in the one-byte form, 1..255 in the two-byte form)
     * @param buffer the packet's buffer; read it with absolute getters only
     * @param index absolute index of the element's first data byte in {@code buffer}
     * @param length number of data bytes (0 is possible in the two-byte form)
     */
    void visit(int id, ByteBuf buffer, int index, int length);
}
