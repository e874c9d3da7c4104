package io.streamkit.relay.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.streamkit.api.CodecException;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the RTMP handshake: reads C0+C1, answers S0+S1+S2, reads C2, then fires
 * {@link RtmpHandshakeCompleteEvent}, removes itself and forwards any bytes that followed C2 to the next handler.
 *
 * <p>Accepts only version 3 in C0 (anything else, such as RTMPE's 6, is a {@link CodecException} "unsupported RTMP
 * version N", delivered wrapped in a {@link DecoderException}; the handler then ignores further input). When the
 * version field of C1 is non-zero and C1 carries a valid Flash Player digest (offset scheme 0 or 1), S1 carries a
 * Flash Media Server digest in the same scheme and S2 ends with the digest Flash Player checks; otherwise the
 * simple handshake is used (S2 echoes C1). C2 is read but not validated: FFmpeg, OBS and Flash differ in what
 * they put there.
 *
 * <p>At most 1 + 1536 + 1536 bytes are consumed; a peer that stops sending is left to the session's idle timeout.
 *
 * @see <a href="https://rtmp.veriskope.com/docs/spec/#52handshake">RTMP 1.0, 5.2 Handshake</a>
 */
public class RtmpServerHandshakeHandler extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(RtmpServerHandshakeHandler.class);
    private static final int DIGEST_DATA_LENGTH = RtmpHandshake.PACKET_LENGTH - RtmpHandshake.DIGEST_LENGTH;

    private boolean waitingForC2;
    private boolean done;
    private boolean digest;
    private long peerVersion;

    /** Creates a handler for one connection (not sharable). */
    public RtmpServerHandshakeHandler() {
    }

    /** Reads C0+C1, answers S0+S1+S2, reads C2, then completes. */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!waitingForC2) {
            if (!in.isReadable()) {
                return;
            }
            int version = in.getUnsignedByte(in.readerIndex());
            if (version != RtmpHandshake.VERSION) {
                done = true;
                in.skipBytes(in.readableBytes());
                throw new CodecException("unsupported RTMP version " + version);
            }
            if (in.readableBytes() < 1 + RtmpHandshake.PACKET_LENGTH) {
                return;
            }
            in.skipBytes(1);
            byte[] c1 = new byte[RtmpHandshake.PACKET_LENGTH];
            in.readBytes(c1);
            ByteBuf response = ctx.alloc().buffer(1 + 2 * RtmpHandshake.PACKET_LENGTH);
            response.writeByte(RtmpHandshake.VERSION);
            writeS1S2(c1, response);
            ctx.writeAndFlush(response);
            waitingForC2 = true;
        }
        if (in.readableBytes() < RtmpHandshake.PACKET_LENGTH) {
            return;
        }
        in.skipBytes(RtmpHandshake.PACKET_LENGTH);
        done = true;
        log.debug("RTMP handshake with {} complete (digest {})", ctx.channel().remoteAddress(), digest);
        ctx.fireUserEventTriggered(new RtmpHandshakeCompleteEvent(digest, peerVersion));
        ctx.pipeline().remove(this);
    }

    private void writeS1S2(byte[] c1, ByteBuf response) {
        peerVersion = RtmpHandshake.uint32(c1, 4);
        int scheme = peerVersion == 0 ? -1 : RtmpHandshake.findClientDigestScheme(c1);
        if (scheme < 0) {
            if (peerVersion != 0) {
                log.debug("C1 announces version {} without a valid digest; simple handshake",
                        Long.toHexString(peerVersion));
            }
            response.writeInt(RtmpHandshake.epoch());
            response.writeInt(0);
            response.writeBytes(RtmpHandshake.randomBytes(RtmpHandshake.PACKET_LENGTH - 8));
            response.writeBytes(c1);
            return;
        }
        digest = true;
        int clientOffset = RtmpHandshake.digestOffset(c1, scheme);
        byte[] clientDigest = Arrays.copyOfRange(c1, clientOffset, clientOffset + RtmpHandshake.DIGEST_LENGTH);

        byte[] s1 = RtmpHandshake.randomBytes(RtmpHandshake.PACKET_LENGTH);
        RtmpHandshake.putInt(s1, 0, RtmpHandshake.epoch());
        RtmpHandshake.putInt(s1, 4, RtmpHandshake.SERVER_VERSION);
        int serverOffset = RtmpHandshake.digestOffset(s1, scheme);
        byte[] serverDigest = RtmpHandshake.packetDigest(s1, serverOffset, RtmpHandshake.SERVER_KEY,
                RtmpHandshake.SERVER_KEY_TEXT_LENGTH);
        System.arraycopy(serverDigest, 0, s1, serverOffset, RtmpHandshake.DIGEST_LENGTH);

        byte[] s2 = RtmpHandshake.randomBytes(RtmpHandshake.PACKET_LENGTH);
        byte[] s2Key = RtmpHandshake.hmac(RtmpHandshake.SERVER_KEY, RtmpHandshake.SERVER_KEY.length, clientDigest,
                clientDigest.length);
        byte[] s2Digest = RtmpHandshake.hmac(s2Key, s2Key.length, s2, DIGEST_DATA_LENGTH);
        System.arraycopy(s2Digest, 0, s2, DIGEST_DATA_LENGTH, RtmpHandshake.DIGEST_LENGTH);

        response.writeBytes(s1);
        response.writeBytes(s2);
    }
}
