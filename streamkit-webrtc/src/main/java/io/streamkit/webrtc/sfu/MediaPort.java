package io.streamkit.webrtc.sfu;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.streamkit.api.TransportException;
import io.streamkit.webrtc.stun.PacketDemux;
import io.streamkit.webrtc.stun.PacketKind;
import io.streamkit.webrtc.stun.StunMessage;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one UDP port of the media plane. Datagrams are classified by their first byte
 * (<a href="https://www.rfc-editor.org/rfc/rfc7983">RFC 7983</a>): STUN is routed to a transport by
 * the local ICE username fragment, DTLS and SRTP by the remote address that ICE validated.
 * Everything runs on the channel's event loop.
 */
final class MediaPort {
    private static final Logger log = LoggerFactory.getLogger(MediaPort.class);

    private final Map<String, PeerTransport> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, PeerTransport> byAddress = new ConcurrentHashMap<>();
    private final LongAdder unknownStun = new LongAdder();
    private final LongAdder unroutable = new LongAdder();
    private final LongAdder garbage = new LongAdder();
    private final LongAdder datagramsIn = new LongAdder();
    private final LongAdder datagramsOut = new LongAdder();
    private Channel channel;
    private boolean pendingFlush;

    MediaPort() {
    }

    void bind(EventLoop loop, String host, int port) {
        Bootstrap b = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024).option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                .handler(new Handler());
        try {
            channel = b.bind(host, port).sync().channel();
        } catch (Exception e) {
            throw new TransportException("cannot bind the SFU media port " + host + ":" + port + ": " + e.getMessage(),
                    e);
        }
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    EventLoop loop() {
        return channel.eventLoop();
    }

    void register(PeerTransport transport) {
        byUfrag.put(transport.localUfrag(), transport);
    }

    void unregister(PeerTransport transport) {
        byUfrag.remove(transport.localUfrag(), transport);
        byAddress.values().removeIf(t -> t == transport);
    }

    void bindAddress(InetSocketAddress address, PeerTransport transport) {
        PeerTransport previous = byAddress.put(address, transport);
        if (previous != null && previous != transport) {
            log.debug("address {} moved from {} to {}", address, previous, transport);
        }
    }

    /** Sends a datagram; takes ownership of the buffer. Thread-safe. */
    void send(ByteBuf payload, InetSocketAddress to) {
        Channel ch = channel;
        if (ch == null || !ch.isActive() || to == null) {
            payload.release();
            return;
        }
        datagramsOut.increment();
        if (ch.eventLoop().inEventLoop()) {
            ch.write(new DatagramPacket(payload, to));
            if (!pendingFlush) {
                pendingFlush = true;
                ch.eventLoop().execute(this::flush);
            }
        } else {
            ch.writeAndFlush(new DatagramPacket(payload, to));
        }
    }

    private void flush() {
        pendingFlush = false;
        channel.flush();
    }

    long unknownStun() {
        return unknownStun.sum();
    }

    long unroutable() {
        return unroutable.sum();
    }

    long garbage() {
        return garbage.sum();
    }

    long datagramsIn() {
        return datagramsIn.sum();
    }

    long datagramsOut() {
        return datagramsOut.sum();
    }

    void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            datagramsIn.increment();
            ByteBuf buf = packet.content();
            InetSocketAddress from = packet.sender();
            PacketKind kind = PacketDemux.classify(buf);
            switch (kind) {
                case STUN -> {
                    PeerTransport t = StunMessage.localUfragOf(buf).map(byUfrag::get).orElse(null);
                    if (t == null) {
                        unknownStun.increment();
                        log.debug("STUN from {} for an unknown ufrag dropped", from);
                        return;
                    }
                    t.onStun(buf, from);
                }
                case DTLS, RTP, RTCP, RTP_RTCP -> {
                    PeerTransport t = byAddress.get(from);
                    if (t == null) {
                        unroutable.increment();
                        return;
                    }
                    if (kind == PacketKind.DTLS) {
                        t.onDtls(buf.retain(), from);
                    } else {
                        t.onSrtp(buf, from, kind == PacketKind.RTCP);
                    }
                }
                default -> garbage.increment();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("SFU media port error", cause);
        }
    }
}
