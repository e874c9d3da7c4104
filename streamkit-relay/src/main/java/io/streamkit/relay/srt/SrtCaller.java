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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller side of SRT: connects to a listener (StreamKit's or libsrt's) with the HSv5
 * handshake (induction, then conclusion with HSREQ, stream id and, with a passphrase, KMREQ). The
 * handshake is resent every 250 ms until answered or the connect timeout passes. Each connection
 * has its own UDP socket on an ephemeral port.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-4.3.1">draft-sharabayko-srt, Caller-Listener Handshake</a>
 */
public final class SrtCaller {
    private static final Logger log = LoggerFactory.getLogger(SrtCaller.class);
    private static final long RESEND_MS = 250;

    /**
     * How to connect.
     *
     * @param streamId the stream id sent to the listener, or null for none (at most 512 bytes of UTF-8)
     * @param latency this side's TSBPD latency (the connection uses the larger of both sides')
     * @param passphrase the passphrase (10 to 79 bytes), or null for no encryption
     * @param keyLength the AES key length in bytes when encrypting: 16, 24 or 32
     * @param connectTimeout how long to wait for the handshake
     * @param maxBandwidth the sending rate limit in bytes per second (payload and SRT/UDP/IPv4 headers):
     *        {@link #AUTO_BANDWIDTH} (the default) for the input rate measured over 1 s plus 25 %,
     *        {@link #UNLIMITED_BANDWIDTH} for no pacing, or a positive limit
     * @param keyRefreshRate with a passphrase, after how many packets the sender switches to a new key
     *        (libsrt's {@code km_refreshrate}, default {@link #DEFAULT_KEY_REFRESH_RATE})
     * @param keyPreAnnounce how many packets before the switch the new key is announced, and after it
     *        the old one is dropped (libsrt's {@code km_preannounce}, default {@link #DEFAULT_KEY_PRE_ANNOUNCE}); at
     *        most half the refresh rate
     */
    public record Options(String streamId, Duration latency, String passphrase, int keyLength,
            Duration connectTimeout, long maxBandwidth, int keyRefreshRate, int keyPreAnnounce) {
        /** {@link #maxBandwidth()}: pace at the measured input rate plus 25 % overhead, as libsrt's {@code maxbw=0}. */
        public static final long AUTO_BANDWIDTH = 0;
        /** {@link #maxBandwidth()}: do not pace, as libsrt's {@code maxbw=-1}. */
        public static final long UNLIMITED_BANDWIDTH = -1;
        /** libsrt's default {@code km_refreshrate}: 2^24 packets. */
        public static final int DEFAULT_KEY_REFRESH_RATE = 1 << 24;
        /** libsrt's default {@code km_preannounce}: 2^12 packets. */
        public static final int DEFAULT_KEY_PRE_ANNOUNCE = 1 << 12;

        /** Validates the options. */
        public Options {
            Objects.requireNonNull(latency, "latency");
            if (maxBandwidth < UNLIMITED_BANDWIDTH) {
                throw new IllegalArgumentException("maximum bandwidth " + maxBandwidth + " is below -1");
            }
            if (keyPreAnnounce < 1 || keyRefreshRate < 2 || keyPreAnnounce > keyRefreshRate / 2) {
                throw new IllegalArgumentException("key pre-announce " + keyPreAnnounce + " must be 1 to half the "
                        + "key refresh rate " + keyRefreshRate);
            }
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (latency.isNegative() || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("latency and connect timeout must be positive");
            }
            if (streamId != null
                    && streamId.getBytes(StandardCharsets.UTF_8).length > SrtHandshakeExtension.MAX_STREAM_ID_BYTES) {
                throw new IllegalArgumentException("stream id longer than 512 bytes");
            }
            if (passphrase != null) {
                SrtCrypto.checkPassphrase(passphrase);
                SrtCrypto.checkKeyLength(keyLength);
            }
        }

        /**
         * Options with the default bandwidth limit ({@link #AUTO_BANDWIDTH}) and key refresh.
         *
         * @param streamId the stream id sent to the listener, or null for none
         * @param latency this side's TSBPD latency
         * @param passphrase the passphrase, or null for no encryption
         * @param keyLength the AES key length in bytes when encrypting: 16, 24 or 32
         * @param connectTimeout how long to wait for the handshake
         */
        public Options(String streamId, Duration latency, String passphrase, int keyLength,
                Duration connectTimeout) {
            this(streamId, latency, passphrase, keyLength, connectTimeout, AUTO_BANDWIDTH, DEFAULT_KEY_REFRESH_RATE,
                    DEFAULT_KEY_PRE_ANNOUNCE);
        }

        /**
         * @param bytesPerSecond {@link #AUTO_BANDWIDTH}, {@link #UNLIMITED_BANDWIDTH} or a positive limit
         * @return these options with another sending rate limit
         */
        public Options withMaxBandwidth(long bytesPerSecond) {
            return new Options(streamId, latency, passphrase, keyLength, connectTimeout, bytesPerSecond,
                    keyRefreshRate, keyPreAnnounce);
        }

        /**
         * @param refreshRate after how many packets the sender switches keys
         * @param preAnnounce how many packets before (and after) the switch the keys are announced (and retired)
         * @return these options with another key refresh schedule
         */
        public Options withKeyRefresh(int refreshRate, int preAnnounce) {
            return new Options(streamId, latency, passphrase, keyLength, connectTimeout, maxBandwidth, refreshRate,
                    preAnnounce);
        }

        /**
         * @param streamId the stream id, or null
         * @param latency the latency
         * @return options without encryption and a 3 s connect timeout
         */
        public static Options of(String streamId, Duration latency) {
            return new Options(streamId, latency, null, 16, Duration.ofSeconds(3));
        }
    }

    private SrtCaller() {
    }

    /**
     * Connects to a listener.
     *
     * @param group the event loops (NIO); the connection runs on one of them
     * @param remote the listener's address
     * @param options how to connect
     * @return completes (on the connection's event loop) with the connection, or fails with a
     *         {@link SrtRejectedException} carrying the listener's reason, a {@link NegotiationException}, or a
     *         {@link TransportException} on timeout or socket failure
     */
    public static CompletableFuture<SrtConnection> connect(EventLoopGroup group, InetSocketAddress remote,
            Options options) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(options, "options");
        CompletableFuture<SrtConnection> result = new CompletableFuture<>();
        Attempt attempt = new Attempt(remote, options, result);
        ChannelFuture bound = SrtSockets.bootstrap(group).handler(attempt).bind(new InetSocketAddress(0));
        bound.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TransportException("cannot open a UDP socket for SRT to "
                        + remote + ": " + f.cause().getMessage(), f.cause()));
                return;
            }
            SrtSockets.checkReceiveBuffer(bound.channel());
            attempt.begin();
        });
        return result;
    }

    private static final class Attempt extends SrtDatagramHandler {
        private final Options options;
        private final CompletableFuture<SrtConnection> result;
        private final int socketId = SrtNegotiation.newSocketId();
        private final int isn = SrtNegotiation.newInitialSequence();
        private final long startNanos = System.nanoTime();
        private final SrtKeyRing keys;
        private Channel channel;
        private SrtHandshake request;
        private ScheduledFuture<?> resend;
        private ScheduledFuture<?> timeout;
        private SrtConnection connection;

        Attempt(InetSocketAddress remote, Options options, CompletableFuture<SrtConnection> result) {
            super(remote, "caller");
            this.options = options;
            this.result = result;
            this.keys = options.passphrase() == null
                    ? null
                    : SrtKeyRing.generate(options.keyLength(), SrtNegotiation.RANDOM);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        void begin() {
            channel.eventLoop().execute(() -> {
                request = SrtHandshake.builder().timestamp(timestamp()).destinationSocketId(0).version(4)
                        .extensionField(SrtHandshake.UDT_DGRAM).initialSequenceNumber(isn)
                        .handshakeType(SrtHandshake.INDUCTION).socketId(socketId).peerAddress(remote.getAddress())
                        .build();
                send();
                resend = channel.eventLoop().scheduleAtFixedRate(this::send, RESEND_MS, RESEND_MS,
                        TimeUnit.MILLISECONDS);
                timeout = channel.eventLoop().schedule(() -> fail(new TransportException("SRT connection to "
                        + remote + " timed out after " + options.connectTimeout().toMillis()
                        + " ms: no handshake response")), options.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
            });
            result.whenComplete((c, e) -> {
                if (e != null && c == null) {
                    channel.close();
                }
            });
        }

        private int timestamp() {
            return SrtTimestamp.of((System.nanoTime() - startNanos) / 1000);
        }

        private void send() {
            if (request != null && !result.isDone()) {
                SrtHandshake hs = request.toBuilder().timestamp(timestamp()).build();
                channel.writeAndFlush(new DatagramPacket(SrtPacketCodec.encode(channel.alloc(), hs), remote),
                        channel.voidPromise());
            }
        }

        private void fail(Throwable cause) {
            stopTimers();
            if (result.completeExceptionally(cause)) {
                log.debug("SRT connection to {} failed: {}", remote, cause.getMessage());
            }
            channel.close();
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
            if (connection != null) {
                if (packet.destinationSocketId() == socketId) {
                    connection.onPacket(packet);
                } else if (packet instanceof SrtDataPacket data) {
                    data.release();
                }
            } else if (packet instanceof SrtHandshake hs) {
                onHandshake(hs);
            } else if (packet instanceof SrtDataPacket data) {
                data.release();
            }
        }

        private void onHandshake(SrtHandshake hs) {
            if (result.isDone() || hs.destinationSocketId() != socketId && hs.destinationSocketId() != 0) {
                return;
            }
            if (hs.isRejection()) {
                int reason = hs.rejectionReason().orElse(0);
                fail(new SrtRejectedException("SRT connection to " + remote + " rejected by peer: "
                        + SrtRejectReason.describe(reason), reason));
                return;
            }
            if (hs.handshakeType() == SrtHandshake.INDUCTION && request.handshakeType() == SrtHandshake.INDUCTION) {
                if (hs.version() != 5 || hs.extensionField() != SrtHandshake.MAGIC) {
                    fail(new NegotiationException("SRT listener " + remote + " does not speak HSv5 (version "
                            + hs.version() + ")"));
                    return;
                }
                SrtHandshake.Builder b = SrtHandshake.builder().timestamp(timestamp()).destinationSocketId(0)
                        .version(5).initialSequenceNumber(isn).handshakeType(SrtHandshake.CONCLUSION)
                        .socketId(socketId).synCookie(hs.synCookie()).peerAddress(remote.getAddress());
                int ext = SrtHandshake.EXT_HSREQ;
                b.addExtension(SrtNegotiation.message(false, options.latency()));
                if (keys != null) {
                    b.addExtension(new KeyMaterialMessage(false, SrtCrypto.keyMaterial(options.passphrase(), keys)));
                    b.encryptionField(SrtCrypto.encryptionField(keys.keyLength()));
                    ext |= SrtHandshake.EXT_KMREQ;
                }
                if (options.streamId() != null && !options.streamId().isEmpty()) {
                    b.addExtension(new StreamId(options.streamId()));
                    ext |= SrtHandshake.EXT_CONFIG;
                }
                request = b.extensionField(ext).build();
                send();
                return;
            }
            if (hs.handshakeType() != SrtHandshake.CONCLUSION || request.handshakeType() != SrtHandshake.CONCLUSION) {
                return;
            }
            HsMessage hsrsp = hs.extension(HsMessage.class).orElse(null);
            if (hsrsp == null) {
                fail(new NegotiationException("SRT listener " + remote + " answered without HSRSP"));
                return;
            }
            var kmError = hs.extension(KeyMaterialError.class);
            if (kmError.isPresent() && keys != null) {
                int state = kmError.get().state();
                fail(new SrtRejectedException("SRT connection to " + remote + " rejected by peer: "
                        + (state == KeyMaterialError.BADSECRET
                                ? SrtRejectReason.describe(SrtRejectReason.BADSECRET)
                                : SrtRejectReason.describe(SrtRejectReason.UNSECURE)),
                        state == KeyMaterialError.BADSECRET ? SrtRejectReason.BADSECRET : SrtRejectReason.UNSECURE));
                return;
            }
            if (keys != null && hs.extension(KeyMaterialMessage.class).isEmpty()) {
                fail(new SrtRejectedException("SRT listener " + remote + " did not confirm encryption (UNSECURE: "
                        + "it has no passphrase)", SrtRejectReason.UNSECURE));
                return;
            }
            stopTimers();
            Duration latency = SrtNegotiation.negotiate(options.latency(), hsrsp);
            connection = new SrtConnection(new SrtConnection.Setup(channel, remote, socketId, hs.socketId(), isn,
                    hs.initialSequenceNumber(), options.streamId(), latency, keys, startNanos, hs.timestamp(),
                    hs.flowWindow(), hsrsp.has(HsMessage.FLAG_PERIODICNAK), options.maxBandwidth(),
                    options.passphrase(), options.keyRefreshRate(),
                    options.keyPreAnnounce(), c -> channel.close()));
            connection.start();
            log.debug("SRT connected to {} latency {} encrypted {}", remote, latency, keys != null);
            if (!result.complete(connection)) {
                connection.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stopTimers();
            result.completeExceptionally(new TransportException("SRT socket to " + remote + " closed"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("SRT caller socket error towards {}: {}", remote, cause.toString());
        }
    }
}
