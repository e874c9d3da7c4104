package io.streamkit.relay.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.streamkit.api.CodecException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the RTMP handshake (the simple form): sends C0+C1 as soon as the channel is active, reads S0
 * and S1, answers C2 (an echo of S1), reads S2, then fires {@link RtmpHandshakeCompleteEvent}, removes itself and
 * forwards any bytes that followed S2 to the next handler.
 *
 * <p>An S0 other than version 3 is a {@link CodecException} "unsupported RTMP version N", delivered wrapped in a
 * {@link DecoderException}; the handler then ignores further input. S2 is read but not validated, since servers
 * that answer with a digest handshake do not echo C1.
 *
 * <p>At most 1 + 1536 + 1536 bytes are consumed; a server that stops sending is left to the session's idle
 * timeout.
 *
 * @see <a href="https://rtmp.veriskope.com/docs/spec/#52handshake">RTMP 1.0, 5.2 Handshake</a>
 */
public class RtmpClientHandshakeHandler extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(RtmpClientHandshakeHandler.class);

    private boolean c1Sent;
    private boolean waitingForS2;
    private boolean done;
    private long peerVersion;

    /** Creates a handler for one connection (not sharable). */
    public RtmpClientHandshakeHandler() {
    }

    /** Sends C0+C1 if the channel is already active. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            sendC0C1(ctx);
        }
    }

    /** Sends C0+C1, then passes the event on. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        sendC0C1(ctx);
        super.channelActive(ctx);
    }

    private void sendC0C1(ChannelHandlerContext ctx) {
        if (c1Sent) {
            return;
        }
        c1Sent = true;
        ByteBuf c0c1 = ctx.alloc().buffer(1 + RtmpHandshake.PACKET_LENGTH);
        c0c1.writeByte(RtmpHandshake.VERSION);
        c0c1.writeInt(RtmpHandshake.epoch());
        c0c1.writeInt(0);
        c0c1.writeBytes(RtmpHandshake.randomBytes(RtmpHandshake.PACKET_LENGTH - 8));
        ctx.writeAndFlush(c0c1);
    }

    /** Reads S0+S1, answers C2, reads S2, then completes. */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!waitingForS2) {
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
            peerVersion = in.getUnsignedInt(in.readerIndex() + 4);
            ByteBuf c2 = in.readRetainedSlice(RtmpHandshake.PACKET_LENGTH);
            ctx.writeAndFlush(c2);
            waitingForS2 = true;
        }
        if (in.readableBytes() < RtmpHandshake.PACKET_LENGTH) {
            return;
        }
        in.skipBytes(RtmpHandshake.PACKET_LENGTH);
        done = true;
        log.debug("RTMP handshake with {} complete", ctx.channel().remoteAddress());
        ctx.fireUserEventTriggered(new RtmpHandshakeCompleteEvent(false, peerVersion));
        ctx.pipeline().remove(this);
    }
}
