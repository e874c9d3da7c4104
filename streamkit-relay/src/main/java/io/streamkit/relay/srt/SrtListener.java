package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.streamkit.api.CodecException;
import io.streamkit.api.TransportException;
import io.streamkit.relay.srt.SrtHandshakeExtension.HsMessage;
import io.streamkit.relay.srt.SrtHandshakeExtension.KeyMaterialError;
import io.streamkit.relay.srt.SrtHandshakeExtension.KeyMaterialMessage;
import io.streamkit.relay.srt.SrtHandshakeExtension.StreamId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SRT listener: one UDP port that accepts many callers, each routed by its stream id through
 * an {@link Acceptor} that decides latency and passphrase per connection.
 *
 * <p>Handshake (HSv5): the induction response carries a SYN cookie computed from the caller's
 * address and a coarse clock with a secret (HMAC-SHA256), so no state is kept before the
 * conclusion; a conclusion with a wrong cookie is ignored and counted. A repeated conclusion of
 * an established caller is answered again with the same response. Encryption follows libsrt with
 * enforced encryption: a caller with a wrong passphrase is rejected with
 * {@link SrtRejectReason#BADSECRET}, a passphrase on only one side with
 * {@link SrtRejectReason#UNSECURE}.
 *
 * <p>The acceptor runs on the listener's event loop and must not block. Malformed datagrams are
 * counted ({@link #stats()}) and logged at debug level at most once a second.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-4.3">draft-sharabayko-srt, Handshake Messages</a>
 */
public final class SrtListener implements AutoCloseable {
    /** Decides which callers connect, and with what latency and passphrase. */
    public interface Acceptor {
        /**
         * Called on the listener's event loop for each new caller; must not block.
         *
         * @param streamId the caller's stream id, {@code ""} if none
         * @param peer the caller's address
         * @return whether to accept it, and how
         */
        Decision decide(String streamId, InetSocketAddress peer);

        /**
         * The caller is connected; set its {@link SrtConnection#setHandler handler} here.
         *
         * @param connection the new connection
         */
        void onConnected(SrtConnection connection);
    }

    /**
     * The acceptor's answer for one caller.
     *
     * @param accept whether to accept
     * @param rejectReason the reason sent to the caller when rejecting ({@link SrtRejectReason})
     * @param latency this side's TSBPD latency (the connection uses the larger of both sides')
     * @param passphrase the passphrase, 10 to 79 bytes, or null for no encryption
     */
    public record Decision(boolean accept, int rejectReason, Duration latency, String passphrase) {
        /** Validates the fields of an acceptance or a rejection. */
        public Decision {
            if (accept) {
                Objects.requireNonNull(latency, "latency");
                if (latency.isNegative()) {
                    throw new IllegalArgumentException("latency " + latency + " is negative");
                }
                if (passphrase != null) {
                    SrtCrypto.checkPassphrase(passphrase);
                }
            } else if (!SrtRejectReason.isValid(rejectReason)) {
                throw new IllegalArgumentException("rejection reason " + rejectReason + " cannot be sent");
            }
        }

        /**
         * @param latency this side's latency
         * @param passphrase the passphrase, or null for no encryption
         * @return an acceptance
         */
        public static Decision accept(Duration latency, String passphrase) {
            return new Decision(true, 0, latency, passphrase);
        }

        /**
         * @param reason the reason the caller sees ({@link SrtRejectReason}, such as
         *        {@link SrtRejectReason#REJX_FORBIDDEN})
         * @return a rejection
         */
        public static Decision reject(int reason) {
            return new Decision(false, reason, null, null);
        }
    }

    /** The most connections one listener holds. */
    public static final int MAX_CONNECTIONS = 1024;
    /** Datagrams longer than this are not SRT packets (MTU 1500 less IP and UDP headers). */
    static final int MAX_DATAGRAM = 1500 - 28;
    private static final Logger log = LoggerFactory.getLogger(SrtListener.class);
    private static final long COOKIE_PERIOD_MS = 60_000;
    /** The period of the connections' timer work (ACK every 10 ms). */
    private static final long TICK_MS = 10;

    private final Channel channel;
    private final Acceptor acceptor;
    private final int socketId = SrtNegotiation.newSocketId();
    private final byte[] cookieSecret = new byte[32];
    private final Map<Integer, SrtConnection> bySocketId = new HashMap<>();
    private final Map<PeerKey, Established> byPeer = new HashMap<>();
    private volatile int connections;
    /** The connections the listener's timer ticks (a snapshot of bySocketId, rebuilt on change). */
    private SrtConnection[] ticked = new SrtConnection[0];
    private ScheduledFuture<?> ticker;
    private volatile boolean closed;
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong decodeErrors = new AtomicLong();
    private final AtomicLong badCookies = new AtomicLong();
    private final AtomicLong unknownSocket = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong badSecret = new AtomicLong();
    private long lastDebugLogMs;
    private long suppressedLogs;

    private record PeerKey(InetSocketAddress address, int socketId) {
    }

    private record Established(SrtConnection connection, SrtHandshake response) {
    }

    private SrtListener(Channel channel, Acceptor acceptor) {
        this.channel = channel;
        this.acceptor = acceptor;
        SrtNegotiation.RANDOM.nextBytes(cookieSecret);
    }

    /**
     * Binds a listener, waiting for the port.
     *
     * @param group the event loops (NIO); the listener and all its connections run on one of them
     * @param address where to listen, such as {@code 127.0.0.1:0}
     * @param acceptor decides on each caller
     * @return the bound listener
     * @throws TransportException if the port cannot be bound (already in use, for example)
     */
    public static SrtListener bind(EventLoopGroup group, InetSocketAddress address, Acceptor acceptor) {
        Objects.requireNonNull(acceptor, "acceptor");
        Channel ch = SrtSockets.bootstrap(group)
                .handler(new ChannelInboundHandlerAdapter()).register().syncUninterruptibly().channel();
        SrtListener listener = new SrtListener(ch, acceptor);
        ch.pipeline().addLast("srt-listener", listener.new Inbound());
        try {
            ch.bind(address).syncUninterruptibly();
        } catch (Exception e) { // Netty rethrows the checked BindException as is
            listener.closed = true;
            ch.close();
            throw bindFailure(address, e);
        }
        log.debug("SRT listener on {}", ch.localAddress());
        SrtSockets.checkReceiveBuffer(ch);
        return listener;
    }

    /**
     * Binds a listener without blocking the calling thread (which may be an event loop).
     *
     * @param group the event loops (NIO); the listener and all its connections run on one of them
     * @param address where to listen, such as {@code 0.0.0.0:9000}
     * @param acceptor decides on each caller
     * @return completes with the bound listener, or fails with a {@link TransportException} that says why the
     *         port cannot be bound (already in use, for example)
     */
    public static CompletableFuture<SrtListener> bindAsync(EventLoopGroup group, InetSocketAddress address,
            Acceptor acceptor) {
        Objects.requireNonNull(acceptor, "acceptor");
        Objects.requireNonNull(address, "address");
        CompletableFuture<SrtListener> result = new CompletableFuture<>();
        if (address.isUnresolved()) {
            result.completeExceptionally(new TransportException("cannot bind SRT listener to "
                    + address.getHostString() + ":" + address.getPort() + ": unknown host"));
            return result;
        }
        ChannelFuture registered = SrtSockets.bootstrap(group)
                .handler(new ChannelInboundHandlerAdapter()).register();
        registered.addListener(r -> {
            Channel ch = registered.channel();
            if (!r.isSuccess()) {
                ch.close();
                result.completeExceptionally(bindFailure(address, r.cause()));
                return;
            }
            SrtListener listener = new SrtListener(ch, acceptor);
            ch.pipeline().addLast("srt-listener", listener.new Inbound());
            ch.bind(address).addListener(b -> {
                if (b.isSuccess()) {
                    log.debug("SRT listener on {}", ch.localAddress());
                    SrtSockets.checkReceiveBuffer(ch);
                    result.complete(listener);
                } else {
                    listener.closed = true;
                    ch.close();
                    result.completeExceptionally(bindFailure(address, b.cause()));
                }
            });
        });
        return result;
    }

    private static TransportException bindFailure(InetSocketAddress address, Throwable cause) {
        String where = address.getHostString() + ":" + address.getPort();
        String why = cause instanceof java.net.BindException && String.valueOf(cause.getMessage()).contains("in use")
                ? "UDP port " + address.getPort() + " is already in use"
                : String.valueOf(cause.getMessage());
        return new TransportException("cannot bind SRT listener to " + where + ": " + why, cause);
    }

    /** @return the bound address (with the real port when bound to port 0) */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** @return the event loop that runs the listener and its connections */
    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** @return how many connections are open */
    public int connections() {
        return connections;
    }

    /** @return a snapshot of the listener's counters */
    public SrtListenerStats stats() {
        return new SrtListenerStats(datagrams.get(), decodeErrors.get(), badCookies.get(), unknownSocket.get(),
                accepted.get(), rejected.get(), badSecret.get());
    }

    /**
     * @return completes when the port is closed: normally after {@link #close()}, exceptionally when the
     *         socket failed
     */
    public CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Object bound = channel.localAddress();
        channel.closeFuture().addListener(c -> {
            if (closed) {
                f.complete(null);
            } else {
                f.completeExceptionally(new TransportException("SRT listener socket " + bound + " closed"));
            }
        });
        return f;
    }

    /**
     * Closes every connection (each sends a shutdown) and the port; idempotent. The JDK releases
     * the port itself when the event loop next polls its selector, a moment after this returns.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Runnable task = () -> {
            for (SrtConnection c : new ArrayList<>(bySocketId.values())) {
                c.close();
            }
            channel.close();
        };
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
            channel.closeFuture().awaitUninterruptibly(5_000);
        }
    }

    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket dp)) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            try {
                onDatagram(dp.content(), dp.sender());
            } catch (RuntimeException e) {
                decodeErrors.incrementAndGet();
                debugLimited("SRT listener failed on a datagram from {}: {}", dp.sender(), e.toString());
            } finally {
                dp.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            debugLimited("SRT listener channel error: {}{}", cause.toString(), "");
        }
    }

    private void debugLimited(String format, Object a, Object b) {
        if (!log.isDebugEnabled()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastDebugLogMs >= 1000) {
            lastDebugLogMs = now;
            if (suppressedLogs > 0) {
                log.debug("SRT listener {}: {} similar messages suppressed", localAddress(), suppressedLogs);
                suppressedLogs = 0;
            }
            log.debug(format, a, b);
        } else {
            suppressedLogs++;
        }
    }

    private void onDatagram(ByteBuf content, InetSocketAddress sender) {
        datagrams.incrementAndGet();
        if (content.readableBytes() > MAX_DATAGRAM) {
            decodeErrors.incrementAndGet();
            debugLimited("SRT listener dropped an oversized datagram from {}: {} bytes", sender,
                    content.readableBytes());
            return;
        }
        SrtPacket packet;
        try {
            packet = SrtPacketCodec.decode(content);
        } catch (CodecException e) {
            decodeErrors.incrementAndGet();
            debugLimited("SRT listener dropped a malformed datagram from {}: {}", sender, e.getMessage());
            return;
        }
        if (packet instanceof SrtHandshake hs) {
            onHandshake(hs, sender);
            return;
        }
        SrtConnection c = bySocketId.get(packet.destinationSocketId());
        if (c == null || !c.remoteAddress().equals(sender)) {
            unknownSocket.incrementAndGet();
            debugLimited("SRT listener: packet from {} for unknown socket {}", sender, packet.destinationSocketId());
            if (packet instanceof SrtDataPacket data) {
                data.release();
            }
            return;
        }
        c.onPacket(packet);
    }

    private void onHandshake(SrtHandshake hs, InetSocketAddress sender) {
        if (closed) {
            return;
        }
        Established existing = byPeer.get(new PeerKey(sender, hs.socketId()));
        if (existing != null) {
            if (hs.handshakeType() == SrtHandshake.CONCLUSION) {
                SrtHandshake again = existing.response().toBuilder()
                        .timestamp(SrtTimestamp.of(0)).build();
                write(again, sender);
            }
            return;
        }
        if (hs.handshakeType() == SrtHandshake.INDUCTION) {
            SrtHandshake response = SrtHandshake.builder().timestamp(0).destinationSocketId(hs.socketId())
                    .version(5).encryptionField(0).extensionField(SrtHandshake.MAGIC)
                    .initialSequenceNumber(hs.initialSequenceNumber()).mtu(hs.mtu()).flowWindow(hs.flowWindow())
                    .handshakeType(SrtHandshake.INDUCTION).socketId(socketId)
                    .synCookie(cookie(sender, System.currentTimeMillis() / COOKIE_PERIOD_MS))
                    .peerAddress(sender.getAddress()).build();
            write(response, sender);
        } else if (hs.handshakeType() == SrtHandshake.CONCLUSION) {
            onConclusion(hs, sender);
        } else {
            debugLimited("SRT listener ignores handshake type {} from {}", Integer.toUnsignedString(hs
                    .handshakeType()), sender);
        }
    }

    private void onConclusion(SrtHandshake hs, InetSocketAddress sender) {
        long bucket = System.currentTimeMillis() / COOKIE_PERIOD_MS;
        if (hs.synCookie() != cookie(sender, bucket) && hs.synCookie() != cookie(sender, bucket - 1)) {
            badCookies.incrementAndGet();
            debugLimited("SRT listener: conclusion from {} with a wrong cookie {}", sender, hs.synCookie());
            return;
        }
        if (hs.version() != 5) {
            reject(hs, sender, SrtRejectReason.VERSION, "handshake version " + hs.version());
            return;
        }
        HsMessage hsreq = hs.extension(HsMessage.class).filter(m -> !m.response()).orElse(null);
        if (hsreq == null || hsreq.srtVersion() < SrtNegotiation.MIN_PEER_VERSION) {
            reject(hs, sender, SrtRejectReason.VERSION, "no HSREQ or SRT version before 1.3.0");
            return;
        }
        if (hsreq.has(HsMessage.FLAG_STREAM)) {
            reject(hs, sender, SrtRejectReason.MESSAGEAPI, "stream (file) mode requested");
            return;
        }
        if (connections >= MAX_CONNECTIONS) {
            reject(hs, sender, SrtRejectReason.RESOURCE, "too many connections");
            return;
        }
        String streamId = hs.extension(StreamId.class).map(StreamId::value).orElse("");
        Decision decision;
        try {
            decision = acceptor.decide(streamId, sender);
        } catch (RuntimeException e) {
            log.warn("SRT acceptor failed for stream id {} from {}", streamId, sender, e);
            decision = Decision.reject(SrtRejectReason.IPE);
        }
        if (decision == null || !decision.accept()) {
            reject(hs, sender, decision == null ? SrtRejectReason.PEER : decision.rejectReason(), "by the acceptor");
            return;
        }
        KeyMaterialMessage kmreq = hs.extension(KeyMaterialMessage.class).filter(k -> !k.response()).orElse(null);
        SrtKeyRing keys = null;
        List<SrtHandshakeExtension> extensions = new ArrayList<>();
        Duration latency = SrtNegotiation.negotiate(decision.latency(), hsreq);
        extensions.add(SrtNegotiation.message(true, latency));
        int extensionField = SrtHandshake.EXT_HSREQ;
        if (kmreq != null) {
            if (decision.passphrase() == null) {
                reject(hs, sender, SrtRejectReason.UNSECURE,
                        "caller encrypts, stream " + streamId + " has no passphrase");
                return;
            }
            try {
                keys = SrtCrypto.unwrap(kmreq.keyMaterial(), decision.passphrase());
            } catch (SrtBadSecretException e) {
                badSecret.incrementAndGet();
                reject(hs, sender, SrtRejectReason.BADSECRET, "wrong passphrase for stream " + streamId);
                return;
            } catch (RuntimeException e) {
                reject(hs, sender, SrtRejectReason.ROGUE, "unusable key material: " + e.getMessage());
                return;
            }
            extensions.add(new KeyMaterialMessage(true, kmreq.keyMaterial()));
            extensionField |= SrtHandshake.EXT_KMREQ;
        } else if (decision.passphrase() != null) {
            reject(hs, sender, SrtRejectReason.UNSECURE, "stream " + streamId + " requires a passphrase");
            return;
        }
        long startNanos = System.nanoTime();
        int id;
        do {
            id = SrtNegotiation.newSocketId();
        } while (bySocketId.containsKey(id) || id == socketId);
        SrtHandshake response = SrtHandshake.builder().timestamp(0).destinationSocketId(hs.socketId()).version(5)
                .encryptionField(keys == null ? 0 : SrtCrypto.encryptionField(keys.keyLength()))
                .extensionField(extensionField).initialSequenceNumber(hs.initialSequenceNumber())
                .mtu(Math.min(1500, hs.mtu())).flowWindow(Math.min(8192, hs.flowWindow()))
                .handshakeType(SrtHandshake.CONCLUSION).socketId(id).synCookie(hs.synCookie())
                .peerAddress(sender.getAddress()).extensions(extensions).build();
        PeerKey key = new PeerKey(sender, hs.socketId());
        int localId = id;
        SrtConnection connection = new SrtConnection(new SrtConnection.Setup(channel, sender, id, hs.socketId(),
                hs.initialSequenceNumber(), hs.initialSequenceNumber(), streamId, latency, keys, startNanos,
                hs.timestamp(), hs.flowWindow(), hsreq.has(HsMessage.FLAG_PERIODICNAK),
                SrtCaller.Options.AUTO_BANDWIDTH, decision.passphrase(),
                SrtCaller.Options.DEFAULT_KEY_REFRESH_RATE, SrtCaller.Options.DEFAULT_KEY_PRE_ANNOUNCE, c -> {
                    bySocketId.remove(localId);
                    byPeer.remove(key);
                    connections = bySocketId.size();
                    retick();
                }));
        bySocketId.put(id, connection);
        byPeer.put(key, new Established(connection, response));
        connections = bySocketId.size();
        accepted.incrementAndGet();
        write(response, sender);
        retick();
        log.debug("SRT listener accepted {} stream id {} latency {} encrypted {}", sender, streamId, latency,
                keys != null);
        try {
            acceptor.onConnected(connection);
        } catch (RuntimeException e) {
            log.warn("SRT acceptor failed in onConnected for {}", connection, e);
            connection.close();
        }
    }

    /**
     * On the event loop: one 10 ms timer ticks every connection of this listener (rather than one
     * timer each, so the loop wakes once per period whatever the number of connections); it runs
     * only while there are connections.
     */
    private void retick() {
        ticked = bySocketId.values().toArray(new SrtConnection[0]);
        if (ticked.length == 0) {
            if (ticker != null) {
                ticker.cancel(false);
                ticker = null;
            }
        } else if (ticker == null) {
            ticker = channel.eventLoop().scheduleAtFixedRate(this::tickAll, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void tickAll() {
        for (SrtConnection c : ticked) {
            c.tick();
        }
    }

    private void reject(SrtHandshake hs, InetSocketAddress sender, int reason, String why) {
        rejected.incrementAndGet();
        log.debug("SRT listener rejects {} ({}): {}", sender, SrtRejectReason.name(reason), why);
        List<SrtHandshakeExtension> extensions = new ArrayList<>();
        if (reason == SrtRejectReason.BADSECRET || reason == SrtRejectReason.UNSECURE) {
            if (hs.extension(KeyMaterialMessage.class).isPresent()) {
                extensions.add(new KeyMaterialError(reason == SrtRejectReason.BADSECRET
                        ? KeyMaterialError.BADSECRET
                        : KeyMaterialError.NOSECRET));
            }
        }
        SrtHandshake response = SrtHandshake.builder().timestamp(0).destinationSocketId(hs.socketId()).version(5)
                .extensionField(extensions.isEmpty() ? 0 : SrtHandshake.EXT_KMREQ)
                .initialSequenceNumber(hs.initialSequenceNumber()).mtu(hs.mtu()).flowWindow(hs.flowWindow())
                .handshakeType(SrtHandshake.rejection(reason)).socketId(socketId).synCookie(hs.synCookie())
                .peerAddress(sender.getAddress()).extensions(extensions).build();
        write(response, sender);
    }

    private void write(SrtPacket packet, InetSocketAddress to) {
        channel.writeAndFlush(new DatagramPacket(SrtPacketCodec.encode(channel.alloc(), packet), to),
                channel.voidPromise());
    }

    private int cookie(InetSocketAddress peer, long bucket) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cookieSecret, "HmacSHA256"));
            mac.update(peer.getAddress().getAddress());
            mac.update(ByteBuffer.allocate(12).putInt(peer.getPort()).putLong(bucket).flip());
            return ByteBuffer.wrap(mac.doFinal()).getInt();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides HmacSHA256", e);
        }
    }
}
