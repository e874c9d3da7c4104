package io.streamkit.relay.srt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.api.CodecException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the datagrams of one SRT peer on a connected-to-one-peer channel (caller, rendezvous):
 * ignores other senders and oversized datagrams, decodes, and hands each packet on; malformed
 * datagrams are dropped and logged, and the datagram is always released.
 */
abstract class SrtDatagramHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SrtDatagramHandler.class);

    /** The only peer whose datagrams are read. */
    final InetSocketAddress remote;
    private final String role;

    SrtDatagramHandler(InetSocketAddress remote, String role) {
        this.remote = remote;
        this.role = role;
    }

    /** One decoded packet from the peer; data packets must be released or passed on. */
    abstract void onPacket(SrtPacket packet);

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket dp)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (!dp.sender().equals(remote) || dp.content().readableBytes() > SrtListener.MAX_DATAGRAM) {
                return;
            }
            SrtPacket packet;
            try {
                packet = SrtPacketCodec.decode(dp.content());
            } catch (CodecException e) {
                log.debug("SRT {} dropped a malformed datagram from {}: {}", role, remote, e.getMessage());
                return;
            }
            onPacket(packet);
        } catch (RuntimeException e) {
            log.debug("SRT {} failed on a datagram from {}", role, remote, e);
        } finally {
            dp.release();
        }
    }
}
