package io.streamkit.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The anchor of the chat benchmark: the least a Netty WebSocket server (<a
 * href="https://www.rfc-editor.org/rfc/rfc6455">RFC 6455</a>) does to broadcast chat. Every
 * upgraded connection joins one {@link ChannelGroup}; a text frame from any of them is written
 * unchanged (one shared buffer, no parsing, no copy) to every connection, the sender's included.
 * No users, rooms, history, rate limits, keep-alive or slow-consumer protection. Same transport and
 * thread count as {@code AudienceServer}'s default: NIO, one event loop for accepting and I/O.
 */
final class BroadcastBaselineServer implements AutoCloseable {
    private static final int MAX_MESSAGE = 16 * 1024;

    private final EventLoopGroup group;
    private final ChannelGroup members = new DefaultChannelGroup("chat", GlobalEventExecutor.INSTANCE);
    private final LongAdder framesIn = new LongAdder();
    private final LongAdder framesOut = new LongAdder();
    private final Channel serverChannel;

    private BroadcastBaselineServer(String host, int port, int ioThreads) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("baseline-chat", true),
                NioIoHandler.newFactory());
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder().websocketPath("/audience")
                .maxFramePayloadLength(MAX_MESSAGE).checkStartsWith(false).build();
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192));
                        ch.pipeline().addLast(new HttpObjectAggregator(16 * 1024));
                        ch.pipeline().addLast(new WebSocketServerProtocolHandler(config));
                        ch.pipeline().addLast(new Broadcaster());
                    }
                });
        try {
            serverChannel = b.bind(host, port).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * @param host the address to bind
     * @param port the port, 0 for an ephemeral one
     * @param ioThreads event loop threads
     * @return the running server
     * @throws InterruptedException when interrupted while binding
     */
    static BroadcastBaselineServer start(String host, int port, int ioThreads) throws InterruptedException {
        return new BroadcastBaselineServer(host, port, ioThreads);
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    String stats() {
        return "open=" + members.size() + " framesIn=" + framesIn.sum() + " framesOut=" + framesOut.sum();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        members.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Joins upgraded connections to the group and fans every text frame out to it. */
    private final class Broadcaster extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                members.add(ctx.channel()); // the group forgets a channel when it closes
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            framesIn.increment();
            int n = 0;
            for (Channel ch : members) {
                ch.writeAndFlush(frame.retainedDuplicate(), ch.voidPromise());
                n++;
            }
            framesOut.add(n);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
