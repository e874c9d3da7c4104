package io.streamkit.relay.rtmp;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.PublishRejectedException;
import io.streamkit.api.Publisher;
import io.streamkit.api.Stream;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.Subscription;
import io.streamkit.api.TrackInfo;
import io.streamkit.relay.amf.AmfObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of an {@link RtmpServer}: answers the NetConnection and NetStream
 * commands, publishes into a stream or subscribes to one. Runs on its channel's event loop.
 */
final class RtmpServerSession extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RtmpServerSession.class);
    private static final long WINDOW = 2_500_000;

    private final RtmpServer server;
    private ChannelHandlerContext ctx;
    private String remote = "?";
    private final String id;
    private final java.time.Instant since = java.time.Instant.now();
    private volatile String activePath;
    private volatile boolean publishing;
    private final ByteCounter counter = new ByteCounter();
    private String app;
    private String tcUrl;
    private boolean connected;
    private int nextStreamId = 1;
    private final RtmpFlowControl flow = new RtmpFlowControl();
    private ScheduledFuture<?> connectTimer;
    // one publish and one play per connection, like every common client
    private int publishStreamId = -1;
    private Publisher publisher;
    private RtmpMediaReader reader;
    private int playStreamId = -1;
    private RtmpMediaWriter player;

    RtmpServerSession(RtmpServer server, String id) {
        this.server = server;
        this.id = id;
    }

    /** @return the counting handler to put first in the pipeline */
    ByteCounter counter() {
        return counter;
    }

    String id() {
        return id;
    }

    /** @return a snapshot of this connection */
    io.streamkit.api.ConnectionInfo info() {
        return new io.streamkit.api.ConnectionInfo(id, server.isTls() ? "rtmps" : "rtmp", remote.startsWith("/")
                ? remote.substring(1)
                : remote, activePath, publishing, since, counter.bytesRead(), counter.bytesWritten(),
                java.util.Map
                        .of());
    }

    /** Disconnects the client. */
    void kick() {
        log.info("RTMP client {} kicked", remote);
        ctx.close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.remote = String.valueOf(ctx.channel().remoteAddress());
        long ms = server.config().handshakeTimeout.toMillis();
        connectTimer = ctx.executor().schedule(() -> {
            if (!connected) {
                server.protocolError();
                log.warn("RTMP client {} did not complete handshake and connect within {} ms; closing", remote, ms);
                ctx.close();
            }
        }, ms, TimeUnit.MILLISECONDS);
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
            if (reader != null && m.typeId() >= RtmpMessage.AUDIO && m.typeId() <= RtmpMessage.VIDEO) {
                // a bad media message loses that message only
                reader.countDecodeError();
                if (reader.decodeErrors() <= 10) {
                    log.warn("RTMP client {}: dropped malformed media message: {}", remote, e.getMessage());
                }
            } else {
                fail("malformed message: " + e.getMessage());
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
            case RtmpMessage.COMMAND_AMF0, RtmpMessage.COMMAND_AMF3 -> command(RtmpCommand.parse(m), m
                    .messageStreamId());
            case RtmpMessage.AUDIO, RtmpMessage.VIDEO, RtmpMessage.DATA_AMF0, RtmpMessage.DATA_AMF3 -> {
                if (reader != null && m.messageStreamId() == publishStreamId) {
                    reader.read(m);
                } else if (m.typeId() == RtmpMessage.AUDIO || m.typeId() == RtmpMessage.VIDEO) {
                    log.debug("RTMP client {} sent media on stream {} without publishing; ignored", remote, m
                            .messageStreamId());
                }
            }
            default -> {
                // set chunk size is applied by the decoder; ack, abort, bandwidth need no answer
            }
        }
    }

    private void command(RtmpCommand c, int streamId) {
        log.debug("RTMP client {} command {} tx {} args {}", remote, c.name(), c.transactionId(), c.args());
        switch (c.name()) {
            case "connect" -> connect(c);
            case "releaseStream", "FCPublish", "FCUnpublish", "getStreamLength", "_checkbw" -> {
                if (c.transactionId() > 0) {
                    write(RtmpCommand.encode(ctx.alloc(), 0, "_result", c.transactionId(), null, null));
                }
                if (c.name().equals("FCUnpublish")) {
                    stopPublishing("FCUnpublish");
                }
            }
            case "createStream" -> {
                requireConnected(c);
                write(RtmpCommand.encode(ctx.alloc(), 0, "_result", c.transactionId(), null, (double) nextStreamId++));
            }
            case "publish" -> publish(c, streamId);
            case "play" -> play(c, streamId);
            case "deleteStream", "closeStream" -> {
                int id = c.name().equals("deleteStream") ? (int) c.numberArg(1, streamId) : streamId;
                if (id == publishStreamId) {
                    stopPublishing(c.name());
                }
                if (id == playStreamId) {
                    stopPlaying();
                }
            }
            case "pause", "receiveAudio", "receiveVideo", "_result", "_error", "onStatus" -> {
                // acknowledged implicitly
            }
            default -> {
                log.debug("RTMP client {}: unknown command {}", remote, c.name());
                if (c.transactionId() > 0) {
                    write(RtmpCommand.encode(ctx.alloc(), 0, "_error", c.transactionId(), null, RtmpCommand.status(
                            "error", "NetConnection.Call.Failed", "unknown command " + c.name())));
                }
            }
        }
    }

    private void requireConnected(RtmpCommand c) {
        if (!connected) {
            throw new CodecException("command " + c.name() + " before connect");
        }
    }

    private void connect(RtmpCommand c) {
        AmfObject o = c.objectArg(0);
        Object appValue = o.get("app");
        if (!(appValue instanceof String a)) {
            // an empty app is allowed: rtmp://host/ with the key as the stream name (OBS's "Server" + "Stream Key")
            fail("connect without an app");
            return;
        }
        app = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
        int q = app.indexOf('?');
        if (q >= 0) {
            app = app.substring(0, q);
        }
        tcUrl = o.get("tcUrl") instanceof String t ? t : "";
        connected = true;
        if (connectTimer != null) {
            connectTimer.cancel(false);
        }
        var alloc = ctx.alloc();
        ctx.write(RtmpMessage.windowAckSize(alloc, WINDOW));
        ctx.write(RtmpMessage.setPeerBandwidth(alloc, WINDOW, RtmpMessage.LIMIT_DYNAMIC));
        ctx.write(RtmpMessage.setChunkSize(alloc, server.config().chunkSize));
        AmfObject props = new AmfObject();
        props.put("fmsVer", "FMS/3,5,7,7009");
        props.put("capabilities", 31.0);
        props.put("mode", 1.0);
        AmfObject info = RtmpCommand.status("status", "NetConnection.Connect.Success", "Connection succeeded.");
        info.put("objectEncoding", o.get("objectEncoding") instanceof Number n ? n.doubleValue() : 0.0);
        write(RtmpCommand.encode(alloc, 0, "_result", c.transactionId(), props, info));
        log.debug("RTMP client {} connected to app {}", remote, app);
    }

    /** Splits {@code name?a=b} into the name and its decoded parameters. */
    private static Map<String, String> splitQuery(String nameWithQuery, StringBuilder name) {
        Map<String, String> params = new HashMap<>();
        int q = nameWithQuery.indexOf('?');
        name.append(q < 0 ? nameWithQuery : nameWithQuery.substring(0, q));
        if (q >= 0) {
            for (String pair : nameWithQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(
                            pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    private RtmpRequest request(RtmpRequest.Action action, String nameWithQuery) {
        StringBuilder name = new StringBuilder();
        Map<String, String> params = splitQuery(nameWithQuery, name);
        String path = name.length() == 0 ? app : app.isEmpty() ? name.toString() : app + "/" + name;
        return new RtmpRequest(action, app, name.toString(), path, params, ctx.channel().remoteAddress(), tcUrl);
    }

    private void publish(RtmpCommand c, int streamId) {
        requireConnected(c);
        String nameWithQuery = c.stringArg(1);
        if (nameWithQuery == null) {
            nameWithQuery = "";
        }
        if (nameWithQuery.isEmpty() && (app == null || app.isEmpty())) {
            // rtmp://host/{key} (no stream name) publishes the path {key}, as MediaMTX users expect
            refusePublish(streamId, "NetStream.Publish.BadName", "publish without a stream name");
            return;
        }
        if (publisher != null) {
            refusePublish(streamId, "NetStream.Publish.BadName", "this connection already publishes");
            return;
        }
        RtmpRequest req = request(RtmpRequest.Action.PUBLISH, nameWithQuery);
        if (!server.config().authenticator.authorize(req)) {
            server.authFailures.incrementAndGet();
            refusePublish(streamId, "NetStream.Publish.Unauthorized", "not authorized to publish " + req.path());
            return;
        }
        Stream stream;
        try {
            stream = server.kit().stream(req.path());
            publisher = stream.publish(List.of(), server.config().publishPolicy, "rtmp " + remote);
            activePath = req.path();
            publishing = true;
        } catch (PublishRejectedException e) {
            server.authFailures.incrementAndGet();
            refusePublish(streamId, "NetStream.Publish.BadName", e.getMessage());
            return;
        } catch (IllegalArgumentException | IllegalStateException e) {
            refusePublish(streamId, "NetStream.Publish.BadName", e.getMessage());
            return;
        }
        server.publishers.incrementAndGet();
        publishStreamId = streamId;
        Publisher pub = publisher;
        reader = new RtmpMediaReader(new RtmpMediaReader.Target() {
            @Override
            public void tracks(List<TrackInfo> tracks) {
                pub.updateTracks(tracks);
            }

            @Override
            public void packet(MediaPacket packet) {
                pub.send(packet);
            }
        }, "rtmp publisher " + remote + " on " + req.path());
        pub.revoked().thenRun(() -> ctx.executor().execute(() -> {
            if (publisher == pub && ctx.channel().isActive()) {
                log.info("RTMP publisher {} on {} was taken over; closing", remote, req.path());
                ctx.writeAndFlush(RtmpCommand.onStatus(ctx.alloc(), streamId, "status",
                        "NetStream.Publish.BadName", "taken over by another publisher")).addListener(
                                ChannelFutureListener.CLOSE);
            }
        }));
        var alloc = ctx.alloc();
        ctx.write(RtmpMessage.streamBegin(alloc, streamId));
        write(RtmpCommand.onStatus(alloc, streamId, "status", "NetStream.Publish.Start", req.path()
                + " is now published."));
        log.info("RTMP client {} publishes {}", remote, req.path());
    }

    private void refusePublish(int streamId, String code, String why) {
        log.warn("RTMP client {} may not publish: {} ({})", remote, why, code);
        ctx.writeAndFlush(RtmpCommand.onStatus(ctx.alloc(), streamId, "error", code, why)).addListener(
                ChannelFutureListener.CLOSE);
    }

    private void play(RtmpCommand c, int streamId) {
        requireConnected(c);
        String nameWithQuery = c.stringArg(1) == null ? "" : c.stringArg(1);
        if ((nameWithQuery.isEmpty() && (app == null || app.isEmpty())) || player != null) {
            refusePlay(streamId, "NetStream.Play.Failed", player != null
                    ? "this connection already plays"
                    : "play without a stream name");
            return;
        }
        RtmpRequest req = request(RtmpRequest.Action.PLAY, nameWithQuery);
        if (!server.config().authenticator.authorize(req)) {
            server.authFailures.incrementAndGet();
            refusePlay(streamId, "NetStream.Play.Failed", "not authorized to play " + req.path());
            return;
        }
        Stream stream;
        try {
            stream = server.kit().stream(req.path());
        } catch (IllegalArgumentException | IllegalStateException e) {
            refusePlay(streamId, "NetStream.Play.StreamNotFound", e.getMessage());
            return;
        }
        var alloc = ctx.alloc();
        ctx.write(RtmpMessage.streamIsRecorded(alloc, streamId));
        ctx.write(RtmpMessage.streamBegin(alloc, streamId));
        ctx.write(RtmpCommand.onStatus(alloc, streamId, "status", "NetStream.Play.Reset", "Playing and resetting "
                + req.path()));
        ctx.write(RtmpCommand.onStatus(alloc, streamId, "status", "NetStream.Play.Start", "Started playing "
                + req.path()));
        var access = ctx.alloc().buffer();
        io.streamkit.relay.amf.Amf0.encodeAll(access, "|RtmpSampleAccess", true, true);
        ctx.write(new RtmpMessage(RtmpMessage.CSID_DATA, RtmpMessage.DATA_AMF0, streamId, 0, access));
        write(RtmpCommand.onStatus(alloc, streamId, "status", "NetStream.Data.Start", "Started playing "
                + req.path()));
        playStreamId = streamId;
        RtmpServerSession session = this;
        activePath = req.path();
        player = new RtmpMediaWriter(ctx.channel(), streamId) {
            @Override
            public void onUnpublished() {
                ctx.writeAndFlush(RtmpCommand.onStatus(ctx.alloc(), streamId, "status",
                        "NetStream.Play.UnpublishNotify", req.path() + " is no longer published"));
            }

            @Override
            public void onClose(Throwable cause) {
                if (session.player == this && ctx.channel().isActive()) {
                    log.info("RTMP player {}: stream {} closed; disconnecting", remote, req.path());
                    ctx.close();
                }
            }
        };
        stream.subscribe(player, SubscribeOptions.on(ctx.channel().eventLoop()).withLabel("rtmp " + remote));
        server.players.incrementAndGet();
        log.info("RTMP client {} plays {}", remote, req.path());
    }

    private void refusePlay(int streamId, String code, String why) {
        log.warn("RTMP client {} may not play: {}", remote, why);
        ctx.writeAndFlush(RtmpCommand.onStatus(ctx.alloc(), streamId, "error", code, why)).addListener(
                ChannelFutureListener.CLOSE);
    }

    private void write(RtmpMessage m) {
        ctx.writeAndFlush(m, ctx.voidPromise());
    }

    private void stopPublishing(String why) {
        Publisher p = publisher;
        if (p != null) {
            publisher = null;
            reader = null;
            publishStreamId = -1;
            server.publishers.decrementAndGet();
            log.info("RTMP client {} stopped publishing {} ({})", remote, p.stream().path(), why);
            p.close();
        }
    }

    private void stopPlaying() {
        RtmpMediaWriter w = player;
        if (w != null) {
            player = null;
            playStreamId = -1;
            server.players.decrementAndGet();
            Subscription s = w.subscription();
            if (s != null) {
                s.close();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && player != null) {
            player.resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && player == null) {
            server.protocolError();
            log.warn("RTMP client {} sent nothing for {} ms; closing", remote, server.config().idleTimeout.toMillis());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void fail(String why) {
        server.protocolError();
        log.warn("RTMP client {}: {}; closing", remote, why);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof java.io.IOException) {
            log.debug("RTMP client {}: {}", remote, c.getMessage());
            ctx.close();
        } else {
            fail(c instanceof CodecException ? c.getMessage() : c.toString());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connectTimer != null) {
            connectTimer.cancel(false);
        }
        stopPublishing("disconnected");
        stopPlaying();
        server.sessionClosed(this);
        ctx.fireChannelInactive();
    }
}
