package io.streamkit.webrtc.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Hex and buffer helpers shared by the SRTP tests. */
final class SrtpTestSupport {
    private SrtpTestSupport() {
    }

    /** @return the bytes of a hex string, whitespace ignored */
    static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s.replaceAll("\\s", ""));
    }

    /** @return a heap or direct buffer holding {@code bytes} with {@code spare} writable bytes after them */
    static ByteBuf buffer(byte[] bytes, int spare, boolean direct) {
        ByteBuf b = direct
                ? Unpooled.directBuffer(bytes.length + spare)
                : Unpooled.buffer(bytes.length + spare);
        return b.writeBytes(bytes);
    }

    /** @return the readable bytes, without changing the indices */
    static byte[] bytes(ByteBuf b) {
        return ByteBufUtil.getBytes(b);
    }

    /** Session keys given directly, as the RFC vectors do; no authentication key for AEAD. */
    static SessionKeys sessionKeys(byte[] key, byte[] authKey, byte[] salt) {
        return new SessionKeys(key, authKey, salt);
    }
}
