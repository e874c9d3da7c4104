package io.streamkit.relay.srt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.api.NegotiationException;
import io.streamkit.api.TransportException;
import io.streamkit.relay.srt.SrtHandshakeExtension.HsMessage;
import io.streamkit.relay.srt.SrtHandshakeExtension.KeyMaterialError;
import io.streamkit.relay.srt.SrtHandshakeExtension.KeyMaterialMessage;
import io.streamkit.relay.srt.SrtHandshakeExtension.StreamId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rendezvous side of SRT: two peers, each bound to its own port and knowing the other's
 * address, connect to each other with the HSv5 rendezvous handshake.
 *
 * <p>Both sides send WAVEAHAND (version 5, a random cookie, the advertised key length) every
 * 250 ms. On the first handshake from the peer, the cookie contest decides the roles: the side
 * whose cookie minus the peer's (32-bit wrapping) is positive is the INITIATOR, the other the
 * RESPONDER (equal cookies: keep waving). The initiator sends CONCLUSION with HSREQ (and KMREQ
 * with a passphrase, and the stream id if set); the responder sends CONCLUSION without extensions
 * until it gets the initiator's HSREQ, then answers with CONCLUSION carrying HSRSP (and KMRSP).
 * The initiator, on HSRSP, is connected and sends AGREEMENT; the responder is connected on
 * AGREEMENT or on the first other packet of the peer. Each side sends from its own initial
 * sequence number; the keys are the initiator's, for both directions.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-4.3.2">draft-sharabayko-srt, Rendezvous Handshake</a>
 */
public final class SrtRendezvous {
    private static final Logger log = LoggerFactory.getLogger(SrtRendezvous.class);
    private static final long RESEND_MS = 250;

    private SrtRendezvous() {
    }

    /**
     * Connects to a peer in rendezvous mode. The peer must use the same passphrase; the stream id
     * of the options is sent by this side if it turns out to be the initiator.
     *
     * @param group the event loops (NIO); the connection runs on one of them
     * @param local the address to bind, whose port the peer sends to
     * @param remote the peer's address
     * @param options latency, passphrase, key length and connect timeout
     * @return completes (on the connection's event loop) with the connection, or fails with a
     *         {@link SrtRejectedException}, a {@link NegotiationException}, or a {@link TransportException} on
     *         timeout or socket failure
     */
    public static CompletableFuture<SrtConnection> connect(EventLoopGroup group, InetSocketAddress local,
            InetSocketAddress remote, SrtCaller.Options options) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(options, "options");
        CompletableFuture<SrtConnection> result = new CompletableFuture<>();
        Attempt attempt = new Attempt(remote, options, result);
        ChannelFuture bound = SrtSockets.bootstrap(group).handler(attempt).bind(local);
        bound.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TransportException("cannot bind SRT rendezvous socket "
                        + local + ": " + f.cause().getMessage(), f.cause()));
                return;
            }
            SrtSockets.checkReceiveBuffer(bound.channel());
            attempt.begin();
        });
        return result;
    }

    /** Which side of the rendezvous this is, decided by the cookie contest. */
    private enum Role {
        UNDECIDED, INITIATOR, RESPONDER
    }

    /**
     * @param own this side's cookie
     * @param peer the peer's cookie
     * @return the role: the difference is taken in 32-bit wrapping arithmetic, as libsrt does
     */
    private static Role contest(int own, int peer) {
        int diff = own - peer;
        if (diff == 0 || peer == 0) {
            return Role.UNDECIDED;
        }
        return diff > 0 ? Role.INITIATOR : Role.RESPONDER;
    }

    private static final class Attempt extends SrtDatagramHandler {
        private final SrtCaller.Options options;
        private final CompletableFuture<SrtConnection> result;
        private final int socketId = SrtNegotiation.newSocketId();
        private final int isn = SrtNegotiation.newInitialSequence();
        private final int cookie = nonZeroCookie();
        private final long startNanos = System.nanoTime();
        private final SrtKeyRing ownKeys;
        private Channel channel;
        private Role role = Role.UNDECIDED;
        private int peerSocketId;
        private SrtHandshake request;
        private SrtKeyRing keys;
        private SrtHandshake lastPeerHandshake;
        private HsMessage peerHs;
        private ScheduledFuture<?> resend;
        private ScheduledFuture<?> timeout;
        private SrtConnection connection;

        Attempt(InetSocketAddress remote, SrtCaller.Options options, CompletableFuture<SrtConnection> result) {
            super(remote, "rendezvous");
            this.options = options;
            this.result = result;
            this.ownKeys = options.passphrase() == null
                    ? null
                    : SrtKeyRing.generate(options.keyLength(), SrtNegotiation.RANDOM);
        }

        private static int nonZeroCookie() {
            int c;
            do {
                c = SrtNegotiation.RANDOM.nextInt();
            } while (c == 0);
            return c;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        void begin() {
            channel.eventLoop().execute(() -> {
                request = base(SrtHandshake.WAVEAHAND, 0).extensionField(0).build();
                send();
                resend = channel.eventLoop().scheduleAtFixedRate(this::send, RESEND_MS, RESEND_MS,
                        TimeUnit.MILLISECONDS);
                timeout = channel.eventLoop().schedule(() -> fail(new TransportException("SRT rendezvous with "
                        + remote + " timed out after " + options.connectTimeout().toMillis() + " ms")), options
                                .connectTimeout().toNanos(),
                        TimeUnit.NANOSECONDS);
            });
            result.whenComplete((c, e) -> {
                if (e != null && c == null) {
                    channel.close();
                }
            });
        }

        private SrtHandshake.Builder base(int type, int destination) {
            return SrtHandshake.builder().timestamp(timestamp()).destinationSocketId(destination).version(5)
                    .encryptionField(options.passphrase() == null
                            ? 0
                            : SrtCrypto.encryptionField(options
                                    .keyLength()))
                    .initialSequenceNumber(isn).handshakeType(type).socketId(socketId).synCookie(cookie)
                    .peerAddress(remote.getAddress());
        }

        private int timestamp() {
            return SrtTimestamp.of((System.nanoTime() - startNanos) / 1000);
        }

        private void send() {
            if (request != null && connection == null && !result.isDone()) {
                write(request);
            }
        }

        private void write(SrtHandshake hs) {
            SrtHandshake stamped = hs.toBuilder().timestamp(timestamp()).build();
            channel.writeAndFlush(new DatagramPacket(SrtPacketCodec.encode(channel.alloc(), stamped), remote),
                    channel.voidPromise());
        }

        private void fail(Throwable cause) {
            stopTimers();
            if (result.completeExceptionally(cause)) {
                log.debug("SRT rendezvous with {} failed: {}", remote, cause.getMessage());
            }
            channel.close();
        }

        private void reject(int reason, String why) {
            write(base(SrtHandshake.rejection(reason), peerSocketId).build());
            fail(new SrtRejectedException("SRT rendezvous with " + remote + " failed: " + why + " ("
                    + SrtRejectReason.describe(reason) + ")", reason));
        }

        private void stopTimers() {
            if (resend != null) {
                resend.cancel(false);
            }
            if (timeout != null) {
                timeout.cancel(false);
            }
        }

        @Override
        void onPacket(SrtPacket packet) {
            if (packet instanceof SrtHandshake hs) {
                if (hs.destinationSocketId() == socketId || hs.destinationSocketId() == 0) {
                    onHandshake(hs);
                }
                return;
            }
            if (packet.destinationSocketId() != socketId) {
                release(packet);
                return;
            }
            if (connection == null && role == Role.RESPONDER && keysSettled()) {
                // the AGREEMENT was lost, but the initiator already talks: it is connected
                establish();
            }
            if (connection != null) {
                connection.onPacket(packet);
            } else {
                release(packet);
            }
        }

        private static void release(SrtPacket packet) {
            if (packet instanceof SrtDataPacket data) {
                data.release();
            }
        }

        private boolean keysSettled() {
            return peerHs != null;
        }

        private void onHandshake(SrtHandshake hs) {
            if (result.isDone() && connection == null) {
                return;
            }
            if (hs.isRejection()) {
                if (connection == null) {
                    int reason = hs.rejectionReason().orElse(0);
                    fail(new SrtRejectedException("SRT rendezvous with " + remote + " rejected by peer: "
                            + SrtRejectReason.describe(reason), reason));
                }
                return;
            }
            if (hs.version() != 5) {
                fail(new NegotiationException("SRT rendezvous peer " + remote + " does not speak HSv5 (version "
                        + hs.version() + ")"));
                return;
            }
            if (role == Role.UNDECIDED) {
                role = contest(cookie, hs.synCookie());
                if (role == Role.UNDECIDED) {
                    return;
                }
                peerSocketId = hs.socketId();
                log.debug("SRT rendezvous with {}: {} (cookies {} / {})", remote, role, cookie, hs.synCookie());
                request = role == Role.INITIATOR
                        ? initiatorConclusion()
                        : base(SrtHandshake.CONCLUSION, peerSocketId).extensionField(0).build();
            }
            if (role == Role.INITIATOR) {
                onHandshakeAsInitiator(hs);
            } else {
                onHandshakeAsResponder(hs);
            }
        }

        private SrtHandshake initiatorConclusion() {
            SrtHandshake.Builder b = base(SrtHandshake.CONCLUSION, peerSocketId);
            int ext = SrtHandshake.EXT_HSREQ;
            b.addExtension(SrtNegotiation.message(false, options.latency()));
            if (ownKeys != null) {
                b.addExtension(new KeyMaterialMessage(false, SrtCrypto.keyMaterial(options.passphrase(), ownKeys)));
                ext |= SrtHandshake.EXT_KMREQ;
            }
            if (options.streamId() != null && !options.streamId().isEmpty()) {
                b.addExtension(new StreamId(options.streamId()));
                ext |= SrtHandshake.EXT_CONFIG;
            }
            return b.extensionField(ext).build();
        }

        private void onHandshakeAsInitiator(SrtHandshake hs) {
            if (connection != null) {
                if (hs.handshakeType() == SrtHandshake.CONCLUSION) {
                    write(base(SrtHandshake.AGREEMENT, peerSocketId).build());
                }
                return;
            }
            HsMessage hsrsp = hs.handshakeType() == SrtHandshake.CONCLUSION
                    ? hs.extension(HsMessage.class).filter(HsMessage::response).orElse(null)
                    : null;
            if (hsrsp == null) {
                // the peer still waves or sent its plain conclusion: (re)send our HSREQ at once
                send();
                return;
            }
            var kmError = hs.extension(KeyMaterialError.class);
            if (ownKeys != null && kmError.isPresent()) {
                int reason = kmError.get().state() == KeyMaterialError.BADSECRET
                        ? SrtRejectReason.BADSECRET
                        : SrtRejectReason.UNSECURE;
                reject(reason, "the peer cannot use our key material");
                return;
            }
            if (ownKeys != null && hs.extension(KeyMaterialMessage.class).isEmpty()) {
                reject(SrtRejectReason.UNSECURE, "the peer did not confirm encryption");
                return;
            }
            if (ownKeys == null && hs.encryptionField() != 0) {
                reject(SrtRejectReason.UNSECURE, "the peer encrypts and we have no passphrase");
                return;
            }
            keys = ownKeys;
            peerHs = hsrsp;
            lastPeerHandshake = hs;
            write(base(SrtHandshake.AGREEMENT, peerSocketId).build());
            establish();
        }

        private void onHandshakeAsResponder(SrtHandshake hs) {
            if (hs.handshakeType() == SrtHandshake.AGREEMENT) {
                if (connection == null && keysSettled()) {
                    establish();
                }
                return;
            }
            if (hs.handshakeType() != SrtHandshake.CONCLUSION) {
                if (connection == null) {
                    send();
                }
                return;
            }
            HsMessage hsreq = hs.extension(HsMessage.class).filter(m -> !m.response()).orElse(null);
            if (hsreq == null) {
                if (connection == null) {
                    send();
                }
                return;
            }
            if (peerHs == null) {
                if (!acceptRequest(hs, hsreq)) {
                    return;
                }
            }
            write(request);
        }

        /** Checks the initiator's HSREQ/KMREQ and makes the answering conclusion; false if it failed. */
        private boolean acceptRequest(SrtHandshake hs, HsMessage hsreq) {
            if (hsreq.srtVersion() < SrtNegotiation.MIN_PEER_VERSION) {
                reject(SrtRejectReason.VERSION, "peer SRT version before 1.3.0");
                return false;
            }
            if (hsreq.has(HsMessage.FLAG_STREAM)) {
                reject(SrtRejectReason.MESSAGEAPI, "the peer asks for stream (file) mode");
                return false;
            }
            KeyMaterialMessage kmreq = hs.extension(KeyMaterialMessage.class).filter(k -> !k.response())
                    .orElse(null);
            Duration latency = SrtNegotiation.negotiate(options.latency(), hsreq);
            SrtHandshake.Builder b = base(SrtHandshake.CONCLUSION, peerSocketId);
            int ext = SrtHandshake.EXT_HSREQ;
            b.addExtension(SrtNegotiation.message(true, latency));
            if (kmreq != null) {
                if (options.passphrase() == null) {
                    reject(SrtRejectReason.UNSECURE, "the peer encrypts and we have no passphrase");
                    return false;
                }
                try {
                    keys = SrtCrypto.unwrap(kmreq.keyMaterial(), options.passphrase());
                } catch (SrtBadSecretException e) {
                    reject(SrtRejectReason.BADSECRET, "the peer's passphrase differs");
                    return false;
                } catch (RuntimeException e) {
                    reject(SrtRejectReason.ROGUE, "unusable key material: " + e.getMessage());
                    return false;
                }
                b.addExtension(new KeyMaterialMessage(true, kmreq.keyMaterial()));
                b.encryptionField(SrtCrypto.encryptionField(keys.keyLength()));
                ext |= SrtHandshake.EXT_KMREQ;
            } else if (options.passphrase() != null) {
                reject(SrtRejectReason.UNSECURE, "the peer does not encrypt");
                return false;
            }
            peerHs = hsreq;
            lastPeerHandshake = hs;
            request = b.extensionField(ext).build();
            return true;
        }

        private void establish() {
            stopTimers();
            SrtHandshake hs = lastPeerHandshake;
            Duration latency = SrtNegotiation.negotiate(options.latency(), peerHs);
            String streamId = role == Role.INITIATOR
                    ? options.streamId()
                    : hs.extension(StreamId.class).map(StreamId::value).orElse(null);
            connection = new SrtConnection(new SrtConnection.Setup(channel, remote, socketId, peerSocketId, isn,
                    hs.initialSequenceNumber(), streamId, latency, keys, startNanos, hs.timestamp(), hs
                            .flowWindow(),
                    peerHs.has(HsMessage.FLAG_PERIODICNAK),
                    options.maxBandwidth(), options.passphrase(), options.keyRefreshRate(), options.keyPreAnnounce(),
                    c -> channel.close()));
            connection.start();
            log.debug("SRT rendezvous with {} connected as {} latency {} encrypted {}", remote, role, latency,
                    keys != null);
            if (!result.complete(connection)) {
                connection.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stopTimers();
            result.completeExceptionally(new TransportException("SRT rendezvous socket towards " + remote
                    + " closed"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("SRT rendezvous socket error towards {}: {}", remote, cause.toString());
        }
    }
}
