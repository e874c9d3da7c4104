package io.streamkit.relay.rtmp;

import io.netty.channel.ChannelHandlerContext;

/**
 * The protocol-control duties both ends of an RTMP connection share: acknowledge received bytes
 * every window the peer asked for, and answer pings.
 *
 * @see <a href="https://rtmp.veriskope.com/docs/spec/#54-protocol-control-messages">RTMP 1.0, 5.4 Protocol Control Messages</a>
 */
final class RtmpFlowControl {
    private long peerWindow;
    private long lastAckSent;

    /**
     * Handles a window-size or user-control message.
     *
     * @param ctx the channel
     * @param m a received message; not released
     * @return whether the message was a control message handled here
     */
    boolean handle(ChannelHandlerContext ctx, RtmpMessage m) {
        if (m.typeId() == RtmpMessage.WINDOW_ACK_SIZE) {
            peerWindow = RtmpMessage.readWindowAckSize(m.payload());
            return true;
        }
        if (m.typeId() == RtmpMessage.USER_CONTROL) {
            var p = m.payload();
            if (p.readableBytes() >= 6 && RtmpMessage.readUserControlEventType(p) == RtmpMessage.EVENT_PING_REQUEST) {
                ctx.writeAndFlush(RtmpMessage.pingResponse(ctx.alloc(), RtmpMessage.readUserControlValue(p)), ctx
                        .voidPromise());
            }
            return true;
        }
        return false;
    }

    /**
     * Sends an acknowledgement when a window of bytes arrived since the last one.
     *
     * @param ctx the channel, whose pipeline holds the {@link RtmpChunkDecoder}
     */
    void afterRead(ChannelHandlerContext ctx) {
        RtmpChunkDecoder decoder = ctx.pipeline().get(RtmpChunkDecoder.class);
        long received = decoder == null ? 0 : decoder.bytesReceived();
        if (peerWindow > 0 && received - lastAckSent >= peerWindow) {
            lastAckSent = received;
            ctx.writeAndFlush(RtmpMessage.acknowledgement(ctx.alloc(), received & 0xFFFFFFFFL), ctx.voidPromise());
        }
    }
}
