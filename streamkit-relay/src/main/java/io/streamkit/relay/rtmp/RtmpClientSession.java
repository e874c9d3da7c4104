package io.streamkit.relay.rtmp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.TransportException;
import io.streamkit.api.spi.InputSession;
import io.streamkit.api.spi.InputSink;
import io.streamkit.api.spi.OutputSession;
import io.streamkit.relay.amf.AmfObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one RTMP connection: {@code connect}, {@code createStream}, then
 * {@code publish} (push) or {@code play} (pull). {@link #ready()} completes when the server
 * confirms with {@code NetStream.Publish.Start} or {@code NetStream.Play.Start}.
 */
final class RtmpClientSession extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RtmpClientSession.class);
    private static final double TX_CONNECT = 1;
    private static final double TX_CREATE_STREAM = 4;
    private static final double TX_PUBLISH = 5;

    private final RtmpUrl url;
    private final boolean push;
    private final InputSink inputSink;
    private final java.time.Duration readIdle;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private ChannelHandlerContext ctx;
    private int streamId;
    private final RtmpFlowControl flow = new RtmpFlowControl();
    private RtmpMediaReader reader;
    private PushSession pushSession;
    private volatile Throwable failure;

    RtmpClientSession(RtmpUrl url, boolean push, InputSink inputSink, java.time.Duration readIdle) {
        this.readIdle = readIdle;
        this.url = url;
        this.push = push;
        this.inputSink = inputSink;
    }

    CompletableFuture<Void> ready() {
        return ready;
    }

    /** The output session of a push connection: writes FLV tags on the stream made by {@code publish}. */
    final class PushSession extends RtmpMediaWriter implements OutputSession {
        PushSession(Channel channel, int streamId) {
            super(channel, streamId);
        }

        @Override
        public Executor executor() {
            return ctx.channel().eventLoop();
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return closed;
        }

        @Override
        public void close() {
            RtmpClientSession.this.close();
        }
    }

    /** The input session of a pull connection. */
    final class PullSession implements InputSession {
        @Override
        public CompletableFuture<Void> closeFuture() {
            return closed;
        }

        @Override
        public void close() {
            RtmpClientSession.this.close();
        }
    }

    OutputSession outputSession() {
        return pushSession;
    }

    InputSession inputSession() {
        return new PullSession();
    }

    void close() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            closed.complete(null);
            return;
        }
        c.executor().execute(() -> {
            if (c.channel().isActive() && push && streamId > 0) {
                String name = url.streamName();
                c.write(RtmpCommand.encode(c.alloc(), 0, "FCUnpublish", 6.0, null, name));
                c.writeAndFlush(RtmpCommand.encode(c.alloc(), 0, "deleteStream", 7.0, null, (double) streamId));
            }
            c.close();
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
            fail(new TransportException("RTMP source " + url.host() + ":" + url.port() + " sent nothing for "
                    + readIdle.toMillis() + " ms"));
            return;
        }
        if (evt instanceof RtmpHandshakeCompleteEvent) {
            var alloc = ctx.alloc();
            ctx.write(RtmpMessage.setChunkSize(alloc, 4096));
            AmfObject o = new AmfObject();
            o.put("app", url.app());
            o.put("type", "nonprivate");
            o.put("flashVer", push ? "FMLE/3.0 (compatible; StreamKit)" : "LNX 9,0,124,2");
            o.put("tcUrl", url.tcUrl());
            if (!push) {
                o.put("fpad", false);
                o.put("capabilities", 15.0);
                o.put("audioCodecs", 4071.0);
                o.put("videoCodecs", 252.0);
                o.put("videoFunction", 1.0);
            }
            ctx.writeAndFlush(RtmpCommand.encode(alloc, 0, "connect", TX_CONNECT, o));
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage m)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            handle(m);
        } catch (CodecException e) {
            if (reader != null && (m.typeId() == RtmpMessage.AUDIO || m.typeId() == RtmpMessage.VIDEO)) {
                reader.countDecodeError();
                log.warn("RTMP {}: dropped malformed media message: {}", url.host(), e.getMessage());
            } else {
                fail(new TransportException("RTMP server " + url.host() + " sent a malformed message: " + e
                        .getMessage(), e));
            }
        } finally {
            m.release();
        }
        flow.afterRead(ctx);
    }

    private void handle(RtmpMessage m) {
        if (flow.handle(ctx, m)) {
            return;
        }
        switch (m.typeId()) {
            case RtmpMessage.COMMAND_AMF0, RtmpMessage.COMMAND_AMF3 -> command(RtmpCommand.parse(m));
            case RtmpMessage.AUDIO, RtmpMessage.VIDEO, RtmpMessage.DATA_AMF0, RtmpMessage.DATA_AMF3 -> {
                if (reader != null) {
                    reader.read(m);
                }
            }
            default -> {
            }
        }
    }

    private void command(RtmpCommand c) {
        log.debug("RTMP {} says {} tx {} {}", url.host(), c.name(), c.transactionId(), c.args());
        switch (c.name()) {
            case "_result" -> {
                if (c.transactionId() == TX_CONNECT) {
                    var alloc = ctx.alloc();
                    if (push) {
                        ctx.write(RtmpCommand.encode(alloc, 0, "releaseStream", 2.0, null, url.streamName()));
                        ctx.write(RtmpCommand.encode(alloc, 0, "FCPublish", 3.0, null, url.streamName()));
                    }
                    ctx.writeAndFlush(RtmpCommand.encode(alloc, 0, "createStream", TX_CREATE_STREAM, null));
                } else if (c.transactionId() == TX_CREATE_STREAM) {
                    streamId = (int) c.numberArg(1, 1);
                    var alloc = ctx.alloc();
                    if (push) {
                        ctx.writeAndFlush(RtmpCommand.encode(alloc, streamId, "publish", TX_PUBLISH, null, url
                                .streamName(), "live"));
                    } else {
                        ctx.write(RtmpMessage.setBufferLength(alloc, streamId, 1000));
                        var play = RtmpCommand.encode(alloc, streamId, "play", 0.0, null, url.streamName(), -2000.0);
                        ctx.writeAndFlush(play);
                    }
                }
            }
            case "_error" -> fail(new TransportException("RTMP server " + url.host() + " refused: " + describe(c)));
            case "onStatus" -> {
                AmfObject info = c.objectArg(1);
                String code = String.valueOf(info.get("code"));
                if ("error".equals(info.get("level"))) {
                    fail(new TransportException("RTMP server " + url.host() + " answered " + code + ": " + info.get(
                            "description")));
                } else if (code.equals("NetStream.Publish.Start") && push) {
                    pushSession = new PushSession(ctx.channel(), streamId);
                    ready.complete(null);
                } else if (code.equals("NetStream.Play.Start") && !push) {
                    reader = new RtmpMediaReader(new RtmpMediaReader.Target() {
                        @Override
                        public void tracks(List<TrackInfo> tracks) {
                            inputSink.tracks(tracks);
                        }

                        @Override
                        public void packet(MediaPacket packet) {
                            inputSink.packet(packet);
                        }
                    }, "rtmp pull " + url.host());
                    ready.complete(null);
                } else if (!push && (code.equals("NetStream.Play.Stop") || code.equals("NetStream.Play.Complete")
                        || code.equals("NetStream.Play.UnpublishNotify"))) {
                    // the remote stream ended: end this session; the input reconnects and waits for the next one
                    log.info("RTMP {}: remote stream ended ({})", url.host(), code);
                    close();
                }
            }
            case "onBWDone", "onFCPublish", "onFCUnpublish", "|RtmpSampleAccess" -> {
            }
            default -> log.debug("RTMP {}: unhandled command {}", url.host(), c.name());
        }
    }

    private static String describe(RtmpCommand c) {
        AmfObject info = c.objectArg(1);
        return info.isEmpty() ? String.valueOf(c.args()) : info.get("code") + " " + info.get("description");
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        ready.completeExceptionally(t);
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && pushSession != null) {
            pushSession.resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        fail(c instanceof TransportException
                ? c
                : new TransportException("RTMP connection to " + url.host() + ": "
                        + c.getMessage(), c));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Throwable t = failure;
        TransportException lost = new TransportException("RTMP connection to " + url.host() + ":" + url.port()
                + " closed before it was ready");
        ready.completeExceptionally(t != null ? t : lost);
        if (t != null) {
            closed.completeExceptionally(t);
        } else {
            closed.complete(null);
        }
        ctx.fireChannelInactive();
    }
}
