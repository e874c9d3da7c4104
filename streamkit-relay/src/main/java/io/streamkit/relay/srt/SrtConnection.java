package io.streamkit.relay.srt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.api.TransportException;
import io.streamkit.relay.srt.SrtControlPacket.Ack;
import io.streamkit.relay.srt.SrtControlPacket.AckAck;
import io.streamkit.relay.srt.SrtControlPacket.AckKind;
import io.streamkit.relay.srt.SrtControlPacket.DropRequest;
import io.streamkit.relay.srt.SrtControlPacket.KeepAlive;
import io.streamkit.relay.srt.SrtControlPacket.Nak;
import io.streamkit.relay.srt.SrtControlPacket.Opaque;
import io.streamkit.relay.srt.SrtControlPacket.Shutdown;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One established SRT connection in live mode, made by {@link SrtListener}, {@link SrtCaller} or
 * {@link SrtRendezvous}.
 * All protocol work runs on {@link #eventLoop()}; {@link #send}, {@link #close}, {@link #stats}
 * and {@link #setHandler} may be called from any thread.
 *
 * <p>Receiving: packets are held by sequence number (window of 8192 packets), losses are reported
 * at once and again every {@code max((RTT + 4 * RTTVar) / 2, 20 ms)} (NAK, libsrt's period), a full ACK goes out every
 * 10 ms and a light ACK every 64 packets, and each message is handed to the {@link Handler} at its
 * TSBPD play time ({@code base + timestamp + latency}, the base taken from the handshake; clock
 * drift is not tracked). A missing packet whose successor is due is skipped and counted as
 * dropped. When the peer shuts down, the messages already received are delivered at once before
 * {@link Handler#onClosed}. The periodic work (ACK, periodic NAK, too-late drop, retransmission
 * timeout, keep-alive) runs every 10 ms, from the connection's own timer or, for the connections of one
 * {@link SrtListener}, from the listener's single timer. Sending: messages pass a token-bucket pacer (bucket of 10 ms, at least two
 * packets; each packet counts its payload plus 44 bytes of SRT/UDP/IPv4 headers) whose rate is the
 * configured maximum bandwidth or, by default, the input rate measured over the last second of input plus
 * 25 % (libsrt's {@code maxbw=0, inputbw=0, oheadbw=25}; not limited during the first second of input).
 * Messages the pacer holds back wait on the event loop; one that waited longer than the sender drop
 * delay (max(1.25 x latency, 1 s), as libsrt lets packets wait at least 1 s) is
 * dropped and counted before it gets a sequence number. Retransmissions bypass the pacer (unlike
 * libsrt, where they share the limit; on a reordering link they would otherwise starve the
 * stream). Sent messages are kept until acknowledged for retransmission on NAK (with the R flag; a packet
 * already retransmitted less than one RTT ago is not sent again: the NAK crossed it). When
 * acknowledgements stall for a retransmission timeout, a peer that repeats its NAKs (every libsrt peer in live
 * mode) gets only the newest packet again, once per timeout and only while no NAK arrives (a probe for a lost
 * tail); a peer that does not gets up to 64 of the oldest packets per tick. Sent messages are dropped, with a drop request to the peer, once older than
 * {@code max(1.25 * latency, 1 s) + 20 ms}. With encryption, the sender refreshes its key as libsrt does: {@code keyPreAnnounce} packets
 * before every {@code keyRefreshRate} packets it puts a new key in the other (even/odd) slot and
 * announces both in a KMREQ (a user-defined control packet, subtype 3, resent until the peer
 * echoes it in a KMRSP, subtype 4), then switches the KK flag of its data packets, and
 * {@code keyPreAnnounce} packets later retires the old key (announcing the one left). The
 * receiver answers each KMREQ and keeps a retired key until a new one takes its slot. A keep-alive goes out after 1 s without sending; 5 s
 * without hearing from the peer closes the connection with a {@link TransportException}.
 *
 * <p>The handler is called on the event loop and must not block.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-sharabayko-srt#section-4">draft-sharabayko-srt, SRT Data Transmission and Control</a>
 */
public final class SrtConnection {
    /** Receives the messages of a connection, on its event loop. */
    public interface Handler {
        /**
         * One received message payload, delivered in order at its play time.
         *
         * @param message the payload; ownership passes to the handler, which must release it
         */
        void onMessage(ByteBuf message);

        /**
         * The connection closed.
         *
         * @param cause null for an orderly shutdown (either side), else why it closed
         */
        default void onClosed(Throwable cause) {
        }
    }

    /** The largest live-mode message payload (MTU 1500 minus IP, UDP and SRT headers). */
    public static final int MAX_MESSAGE_SIZE = 1456;
    private static final Logger log = LoggerFactory.getLogger(SrtConnection.class);
    private static final int WINDOW = SrtReceiveBuffer.CAPACITY;
    private static final int MASK = WINDOW - 1;
    private static final int PENDING_LIMIT = 1024;
    private static final long TICK_US = 10_000;
    private static final long KEEPALIVE_US = 1_000_000;
    private static final long IDLE_TIMEOUT_US = 5_000_000;
    private static final long MIN_NAK_INTERVAL_US = 20_000;
    private static final int LIGHT_ACK_PACKETS = 64;
    private static final int MAX_NAK_RANGES = 160;
    private static final int MAX_STALL_REXMIT = 64;
    private static final int ACK_HISTORY = 256;
    /** Bytes a packet costs the pacer besides its payload: SRT (16), UDP (8) and IPv4 (20) headers. */
    private static final int PACKET_OVERHEAD = 44;
    private static final long MIN_PACE_DELAY_US = 100;

    private final Channel channel;
    private final EventLoop eventLoop;
    private final InetSocketAddress remote;
    private final int localSocketId;
    private final int peerSocketId;
    private final String streamId;
    private final Duration latency;
    private final long latencyUs;
    private final long senderDropUs;
    private final SrtKeyRing keys;

    // key refresh (event loop only); each direction's keys change on their own after the handshake
    private static final int KM_MAX_RETRIES = 10;
    private static final long KM_MIN_RETRY_US = 50_000;
    private final String passphrase;
    private final int keyRefreshRate;
    private final int keyPreAnnounce;
    private SrtKeyRing sendKeys;
    private SrtKeyRing receiveKeys;
    private long packetsWithKey;
    private boolean decommissionPending;
    private byte[] kmPending;
    private int kmRetries;
    private long kmSentUs;
    private byte[] kmLastReceived;
    private volatile long keySwitches;
    private final long startNanos;
    private final Consumer<SrtConnection> onTerminated;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final int sendCapacity;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closed;
    private ScheduledFuture<?> tick;
    private Handler handler;
    private Throwable closeCause;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();

    // pacing (event loop only): a token bucket in bytes, refilled at paceBps (0: not limited)
    private record Paced(ByteBuf message, long originNanos) {
    }

    private final long maxBandwidth;
    private final ArrayDeque<Paced> paceQueue = new ArrayDeque<>();
    private long paceBps;
    private double tokens;
    private long tokensAtUs;
    private ScheduledFuture<?> paceTimer;
    private long inputBytes;
    private long inputWindowStartUs;
    private volatile long pacingDropped;

    // sender (event loop only)
    private final ByteBuf[] sndPayload = new ByteBuf[WINDOW];
    private final int[] sndMessage = new int[WINDOW];
    private final int[] sndTimestamp = new int[WINDOW];
    private final byte[] sndKey = new byte[WINDOW];
    private final long[] sndOrigin = new long[WINDOW];
    private final long[] sndLastTx = new long[WINDOW];
    /** When each packet was last retransmitted, 0 if never. */
    private final long[] sndLastRexmit = new long[WINDOW];
    private final boolean peerPeriodicNak;
    private long lastNakReceivedUs;
    private int sndUna;
    private int sndNext;
    private int nextMessage = 1;
    private long lastAckProgressUs;
    private long lastSendUs;

    // receiver (event loop only)
    private final SrtReceiveBuffer rcv;
    private final long[] ackTimes = new long[ACK_HISTORY];
    private final int[] ackSeqs = new int[ACK_HISTORY];
    private int ackNumber;
    private int lastAckAcked;
    private long lastFullAckUs;
    private int lastFullAckSeq = -1;
    private long lastNakUs;
    private int packetsSinceLightAck;
    private long tsbpdBaseUs;
    private long timestampReference;
    private long lastReceiveUs;

    // statistics: written on the event loop only, read from any thread
    private volatile long rttUs = 100_000;
    private volatile long rttVarUs = 50_000;
    private volatile long packetsSent;
    private volatile long packetsReceived;
    private volatile long packetsLost;
    private volatile long packetsRetransmitted;
    private volatile long packetsDropped;
    private volatile long bytesSent;
    private volatile long bytesReceived;
    private volatile long undecrypted;
    private volatile long sendRateBps;
    private volatile long receiveRateBps;
    private volatile int flightSize;
    private long rateWindowStartUs;
    private long rateBytesSent;
    private long rateBytesReceived;
    private long ratePacketsReceived;
    private long receivePacketRate;

    /** The fields a connection is made from. */
    record Setup(Channel channel, InetSocketAddress remote, int localSocketId, int peerSocketId, int sendIsn,
            int receiveIsn, String streamId, Duration latency, SrtKeyRing keys, long startNanos,
            int peerHandshakeTimestamp, int peerFlowWindow, boolean peerPeriodicNak, long maxBandwidth,
            String passphrase, int keyRefreshRate,
            int keyPreAnnounce,
            Consumer<SrtConnection> onTerminated) {
    }

    SrtConnection(Setup s) {
        this.channel = s.channel();
        this.eventLoop = s.channel().eventLoop();
        this.remote = s.remote();
        this.localSocketId = s.localSocketId();
        this.peerSocketId = s.peerSocketId();
        this.streamId = s.streamId() == null ? "" : s.streamId();
        this.latency = s.latency();
        this.latencyUs = s.latency().toNanos() / 1000;
        this.senderDropUs = Math.max(latencyUs * 5 / 4, 1_000_000) + 20_000;
        this.keys = s.keys();
        this.sendKeys = s.keys();
        this.receiveKeys = s.keys();
        this.passphrase = s.passphrase();
        this.keyRefreshRate = s.keyRefreshRate();
        this.keyPreAnnounce = s.keyPreAnnounce();
        this.startNanos = s.startNanos();
        this.onTerminated = s.onTerminated();
        this.sendCapacity = Math.max(2, Math.min(WINDOW - 1, s.peerFlowWindow() - 1));
        this.peerPeriodicNak = s.peerPeriodicNak();
        this.sndUna = s.sendIsn();
        this.sndNext = s.sendIsn();
        this.rcv = new SrtReceiveBuffer(s.receiveIsn());
        this.lastAckAcked = s.receiveIsn();
        long now = nowUs();
        this.timestampReference = Integer.toUnsignedLong(s.peerHandshakeTimestamp());
        this.tsbpdBaseUs = now - timestampReference;
        this.lastReceiveUs = now;
        this.lastSendUs = now;
        this.lastAckProgressUs = now;
        this.rateWindowStartUs = now;
        this.maxBandwidth = s.maxBandwidth();
        this.paceBps = Math.max(0, s.maxBandwidth());
        this.tokensAtUs = now;
        this.tokens = burstBytes();
    }

    /** Starts the connection's own 10 ms timer; called on the event loop once the connection is registered. */
    void start() {
        tick = eventLoop.scheduleAtFixedRate(this::onTick, TICK_US, TICK_US, TimeUnit.MICROSECONDS);
    }

    /**
     * The timer work of one 10 ms period, for an owner that runs one timer for all the connections
     * on its event loop instead of {@link #start()} (fewer wake-ups of the loop). Call on the event loop.
     */
    void tick() {
        onTick();
    }

    /**
     * Sets the receiver of messages. Messages that arrived before are held (up to 1024) and
     * delivered first. If the connection is already closed, {@link Handler#onClosed} is called.
     *
     * @param h the handler
     */
    public void setHandler(Handler h) {
        Objects.requireNonNull(h, "handler");
        runOnLoop(() -> {
            handler = h;
            while (!pending.isEmpty()) {
                deliverToHandler(pending.poll());
            }
            if (closed) {
                notifyClosed(h);
            }
        });
    }

    /**
     * Sends one message as a single live-mode packet.
     *
     * @param message at most {@link #MAX_MESSAGE_SIZE} bytes; ownership passes to the connection
     * @return false, with the message released, when the connection is closed or its send buffer is full (the
     *         message then counts as dropped)
     * @throws IllegalArgumentException (after releasing it) if the message is longer than {@link #MAX_MESSAGE_SIZE}
     */
    public boolean send(ByteBuf message) {
        int size = message.readableBytes();
        if (size > MAX_MESSAGE_SIZE) {
            message.release();
            throw new IllegalArgumentException("SRT live message of " + size + " bytes exceeds " + MAX_MESSAGE_SIZE);
        }
        if (closed) {
            message.release();
            return false;
        }
        if (queued.incrementAndGet() > sendCapacity) {
            queued.decrementAndGet();
            refused.incrementAndGet();
            message.release();
            return false;
        }
        long origin = System.nanoTime();
        if (eventLoop.inEventLoop()) {
            sendNow(message, origin);
        } else {
            try {
                eventLoop.execute(() -> sendNow(message, origin));
            } catch (RejectedExecutionException e) {
                queued.decrementAndGet();
                message.release();
                return false;
            }
        }
        return true;
    }

    /** @return the caller's Stream ID, {@code ""} if none */
    public String streamId() {
        return streamId;
    }

    /** @return the peer's address */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** @return the negotiated TSBPD latency: the largest that either side asked for */
    public Duration latency() {
        return latency;
    }

    /** @return whether payloads are encrypted */
    public boolean isEncrypted() {
        return keys != null;
    }

    /** @return this connection's own SRT socket id */
    public int socketId() {
        return localSocketId;
    }

    /** @return the peer's SRT socket id */
    public int peerSocketId() {
        return peerSocketId;
    }

    /** @return a snapshot of the statistics */
    public SrtStats stats() {
        return new SrtStats(Duration.ofNanos(rttUs * 1000), Duration.ofNanos(rttVarUs * 1000), sendRateBps,
                receiveRateBps, packetsSent, packetsReceived, packetsLost, packetsRetransmitted,
                packetsDropped + refused.get() + pacingDropped, bytesSent, bytesReceived, latency, flightSize,
                undecrypted);
    }

    /** Sends a shutdown to the peer and closes; idempotent. */
    public void close() {
        runOnLoop(() -> terminate(null, true));
    }

    /**
     * @return completes when the connection is closed: normally after an orderly shutdown of either side, or
     *         exceptionally with a {@link TransportException} when the peer fell silent
     */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /** @return the event loop that runs this connection */
    public EventLoop eventLoop() {
        return eventLoop;
    }

    @Override
    public String toString() {
        return "SrtConnection[" + remote + ", socket " + localSocketId + " <-> " + peerSocketId + ", streamId="
                + streamId + "]";
    }

    private void runOnLoop(Runnable task) {
        if (eventLoop.inEventLoop()) {
            task.run();
        } else {
            try {
                eventLoop.execute(task);
            } catch (RejectedExecutionException e) {
                log.debug("SRT event loop is shut down; {} cannot run a task", this);
            }
        }
    }

    private long nowUs() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    private int timestamp(long us) {
        return SrtTimestamp.of(Math.max(0, us));
    }

    // ---------------------------------------------------------------- sending

    /**
     * Takes a message from {@link #send}: sends it at once when the pacer has tokens and nothing
     * waits, else queues it until the pacer allows.
     */
    private void sendNow(ByteBuf message, long originNanos) {
        if (closed) {
            message.release();
            return;
        }
        int cost = message.readableBytes() + PACKET_OVERHEAD;
        long now = nowUs();
        if (inputBytes == 0) {
            inputWindowStartUs = now;
        }
        inputBytes += cost;
        if (paceQueue.isEmpty() && takeTokens(cost, now)) {
            sequenceAndTransmit(message, originNanos);
            return;
        }
        paceQueue.add(new Paced(message, originNanos));
        drainPaced();
    }

    /** @return the bucket size: 10 ms at the current rate, at least two full packets */
    private double burstBytes() {
        return Math.max(2.0 * (MAX_MESSAGE_SIZE + PACKET_OVERHEAD), paceBps / 100.0);
    }

    private void refill(long now) {
        if (paceBps > 0) {
            tokens = Math.min(burstBytes(), tokens + (now - tokensAtUs) * paceBps / 1e6);
        }
        tokensAtUs = now;
    }

    private boolean takeTokens(int cost, long now) {
        if (paceBps <= 0) {
            return true;
        }
        refill(now);
        if (tokens < cost) {
            return false;
        }
        tokens -= cost;
        return true;
    }

    /** Sends what the bucket allows from the pacing queue, drops what waited longer than the latency. */
    private void drainPaced() {
        if (closed) {
            return;
        }
        long now = nowUs();
        while (!paceQueue.isEmpty()) {
            Paced head = paceQueue.peek();
            if (now - (head.originNanos() - startNanos) / 1000 > senderDropUs) {
                paceQueue.poll().message().release();
                queued.decrementAndGet();
                pacingDropped++;
                continue;
            }
            if (!takeTokens(head.message().readableBytes() + PACKET_OVERHEAD, now)) {
                break;
            }
            paceQueue.poll();
            sequenceAndTransmit(head.message(), head.originNanos());
        }
        if (!paceQueue.isEmpty() && paceTimer == null) {
            double missing = paceQueue.peek().message().readableBytes() + PACKET_OVERHEAD - tokens;
            long delayUs = Math.max(MIN_PACE_DELAY_US, (long) Math.ceil(missing * 1e6 / paceBps));
            paceTimer = eventLoop.schedule(() -> {
                paceTimer = null;
                drainPaced();
            }, delayUs, TimeUnit.MICROSECONDS);
        }
    }

    /**
     * Estimates the input rate over windows of one second, each starting with the first message
     * after the last (so idle time does not count), and in automatic mode paces at 125 % of it.
     */
    private void updatePaceRate(long now) {
        long span = now - inputWindowStartUs;
        if (inputBytes > 0 && span >= 1_000_000) {
            if (maxBandwidth == SrtCaller.Options.AUTO_BANDWIDTH) {
                paceBps = inputBytes * 1_000_000 / span * 125 / 100;
            }
            inputBytes = 0;
        }
    }

    private void sequenceAndTransmit(ByteBuf message, long originNanos) {
        ByteBuf payload = message;
        if (keys != null) {
            // encrypt a copy: the caller's buffer may wrap memory it still reads
            payload = channel.alloc().buffer(message.readableBytes()).writeBytes(message);
            message.release();
        }
        int seq = sndNext;
        int idx = seq & MASK;
        long origin = (originNanos - startNanos) / 1000;
        SrtKeyFlag kk = sendKeys == null ? SrtKeyFlag.NONE : sendKeys.encrypt(payload, seq);
        if (sendKeys != null && passphrase != null) {
            refreshKeys(nowUs());
        }
        sndPayload[idx] = payload;
        sndMessage[idx] = nextMessage;
        sndTimestamp[idx] = timestamp(origin);
        sndKey[idx] = (byte) kk.bits();
        sndOrigin[idx] = origin;
        sndLastRexmit[idx] = 0;
        nextMessage = SrtSeq.nextMessage(nextMessage);
        sndNext = SrtSeq.next(seq);
        flightSize = SrtSeq.diff(sndNext, sndUna);
        transmit(seq, false, nowUs());
    }

    private void transmit(int seq, boolean retransmit, long now) {
        int idx = seq & MASK;
        ByteBuf payload = sndPayload[idx];
        SrtDataPacket p = new SrtDataPacket(seq, SrtPacketPosition.SOLO, false, SrtKeyFlag.fromBits(sndKey[idx]),
                retransmit, sndMessage[idx], sndTimestamp[idx], peerSocketId, payload);
        sndLastTx[idx] = now;
        if (retransmit) {
            sndLastRexmit[idx] = Math.max(1, now);
        }
        packetsSent++;
        bytesSent += payload.readableBytes();
        rateBytesSent += payload.readableBytes();
        if (retransmit) {
            packetsRetransmitted++;
        }
        write(p, now);
    }

    private void write(SrtPacket packet, long now) {
        lastSendUs = now;
        ByteBuf datagram = SrtPacketCodec.encode(channel.alloc(), packet);
        channel.writeAndFlush(new DatagramPacket(datagram, remote), channel.voidPromise());
    }

    private void onAck(Ack ack, long now) {
        if (ack.kind() == AckKind.FULL) {
            write(new AckAck(ack.ackNumber(), timestamp(now), peerSocketId), now);
            if (ack.rtt() > 0) {
                long sample = ack.rtt();
                rttVarUs = (3 * rttVarUs + Math.abs(rttUs - sample)) / 4;
                rttUs = (7 * rttUs + sample) / 8;
            }
        }
        int seq = ack.lastAckedSequence();
        int advance = SrtSeq.diff(seq, sndUna);
        if (advance <= 0 || SrtSeq.diff(seq, sndNext) > 0) {
            return;
        }
        while (sndUna != seq) {
            releaseSent(sndUna);
            sndUna = SrtSeq.next(sndUna);
        }
        flightSize = SrtSeq.diff(sndNext, sndUna);
        lastAckProgressUs = now;
    }

    private void releaseSent(int seq) {
        int idx = seq & MASK;
        if (sndPayload[idx] != null) {
            sndPayload[idx].release();
            sndPayload[idx] = null;
            queued.decrementAndGet();
        }
    }

    private void onNak(Nak nak, long now) {
        int[] lost;
        try {
            lost = SrtLossList.expand(nak.lossList(), WINDOW);
        } catch (IllegalArgumentException e) {
            log.debug("SRT {} ignores a NAK: {}", this, e.getMessage());
            return;
        }
        lastNakReceivedUs = now;
        // a packet retransmitted less than one RTT ago may still be on its way: the NAK crossed it (libsrt's
        // reduced retransmission waits RTT + 4 RTTVar, which on a jittery link skips every other periodic NAK and
        // halves the chances before the play time); the first retransmission always goes at once
        long recent = rttUs;
        for (int seq : lost) {
            int offset = SrtSeq.diff(seq, sndUna);
            int idx = seq & MASK;
            if (offset >= 0 && SrtSeq.diff(seq, sndNext) < 0 && sndPayload[idx] != null
                    && (sndLastRexmit[idx] == 0 || now - sndLastRexmit[idx] >= recent)) {
                transmit(seq, true, now);
            }
        }
    }

    private void senderTick(long now) {
        // too-late drop: give up on packets the receiver can no longer play
        int droppedFirst = -1;
        while (sndUna != sndNext && now - sndOrigin[sndUna & MASK] > senderDropUs) {
            int idx = sndUna & MASK;
            if (droppedFirst < 0) {
                droppedFirst = sndUna;
            }
            write(new DropRequest(sndMessage[idx], timestamp(now), peerSocketId, sndUna, sndUna), now);
            releaseSent(sndUna);
            packetsDropped++;
            sndUna = SrtSeq.next(sndUna);
        }
        if (droppedFirst >= 0) {
            flightSize = SrtSeq.diff(sndNext, sndUna);
            log.debug("SRT {} dropped unacknowledged packets {}..{}", this, droppedFirst, SrtSeq.previous(sndUna));
        }
        long rto = retransmitTimeoutUs();
        if (sndUna != sndNext && now - lastAckProgressUs > rto) {
            if (peerPeriodicNak) {
                probeTail(now, rto);
            } else {
                blindRetransmit(now, rto);
            }
        }
        if (kmPending != null && now - kmSentUs >= Math.max(KM_MIN_RETRY_US, rttUs * 3 / 2)) {
            if (++kmRetries > KM_MAX_RETRIES) {
                log.warn("SRT {}: the peer never confirmed the new keys", this);
                kmPending = null;
            } else {
                sendKeyMaterial(SrtHandshakeExtension.TYPE_KMREQ, kmPending, now);
                kmSentUs = now;
            }
        }
        if (now - lastSendUs >= KEEPALIVE_US) {
            write(new KeepAlive(timestamp(now), peerSocketId), now);
        }
    }

    /**
     * Acknowledgements stalled for an RTO while the peer reports its losses periodically: a hole
     * it knows of is being NAKed, so only the newest packets, with nothing after them to reveal
     * their loss, may be missing unseen. Resends the newest unacknowledged packet once per RTO
     * while no NAK arrives; if it gets through, the receiver reports whatever else is missing.
     */
    private void probeTail(long now, long rto) {
        if (now - lastNakReceivedUs <= rto) {
            return;
        }
        int newest = SrtSeq.previous(sndNext);
        int idx = newest & MASK;
        if (sndPayload[idx] != null && now - sndLastTx[idx] > rto) {
            transmit(newest, true, now);
        }
    }

    /**
     * Acknowledgements stalled for an RTO and the peer does not repeat its NAKs: resends, from the
     * oldest, up to 64 packets per tick that have waited longer than an RTO (tail loss, lost NAKs).
     */
    private void blindRetransmit(long now, long rto) {
        int n = 0;
        for (int seq = sndUna; seq != sndNext && n < MAX_STALL_REXMIT; seq = SrtSeq.next(seq)) {
            int idx = seq & MASK;
            if (sndPayload[idx] != null && now - sndLastTx[idx] > rto) {
                transmit(seq, true, now);
                n++;
            }
        }
    }

    /**
     * Counts one packet sent with the active key: {@code preAnnounce} packets before the refresh
     * rate a new key goes into the other slot and both are announced, at the refresh rate the
     * other key becomes active, and {@code preAnnounce} packets later the old key is retired.
     */
    private void refreshKeys(long now) {
        packetsWithKey++;
        if (decommissionPending && packetsWithKey >= keyPreAnnounce) {
            sendKeys = sendKeys.decommission();
            decommissionPending = false;
            announceKeys(now);
        }
        if (packetsWithKey == keyRefreshRate - keyPreAnnounce) {
            sendKeys = sendKeys.preAnnounce(SrtNegotiation.RANDOM);
            announceKeys(now);
        } else if (packetsWithKey >= keyRefreshRate && sendKeys.presentKeys() == SrtKeyFlag.BOTH) {
            sendKeys = sendKeys.switchKeys();
            packetsWithKey = 0;
            decommissionPending = true;
            keySwitches++;
            log.debug("SRT {} switched to the {} key", this, sendKeys.active());
        }
    }

    private void announceKeys(long now) {
        SrtKeyMaterial km = SrtCrypto.keyMaterial(passphrase, sendKeys);
        ByteBuf buf = Unpooled.buffer(km.length());
        km.encode(buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        kmPending = bytes;
        kmRetries = 0;
        kmSentUs = now;
        sendKeyMaterial(SrtHandshakeExtension.TYPE_KMREQ, bytes, now);
    }

    private void sendKeyMaterial(int subtype, byte[] content, long now) {
        write(new Opaque(SrtControlPacket.TYPE_USER_DEFINED, subtype, 0, timestamp(now), peerSocketId, content),
                now);
    }

    private void onKeyMaterialRequest(byte[] content, long now) {
        if (kmLastReceived != null && Arrays.equals(content, kmLastReceived)) {
            sendKeyMaterial(SrtHandshakeExtension.TYPE_KMRSP, content, now);
            return;
        }
        if (keys == null || passphrase == null) {
            log.debug("SRT {} got key material but is not encrypted", this);
            sendKeyMaterial(SrtHandshakeExtension.TYPE_KMRSP,
                    stateWord(SrtHandshakeExtension.KeyMaterialError.NOSECRET),
                    now);
            return;
        }
        try {
            SrtKeyRing fresh = SrtCrypto.unwrap(SrtKeyMaterial.decode(Unpooled.wrappedBuffer(content)), passphrase);
            receiveKeys = merge(receiveKeys, fresh);
            kmLastReceived = content;
            log.debug("SRT {} received new keys: {}", this, receiveKeys);
            sendKeyMaterial(SrtHandshakeExtension.TYPE_KMRSP, content, now);
        } catch (SrtBadSecretException e) {
            log.warn("SRT {} cannot unwrap the peer's new keys: passphrase mismatch", this);
            sendKeyMaterial(SrtHandshakeExtension.TYPE_KMRSP,
                    stateWord(SrtHandshakeExtension.KeyMaterialError.BADSECRET),
                    now);
        } catch (RuntimeException e) {
            log.debug("SRT {} ignores unusable key material: {}", this, e.toString());
        }
    }

    /** @return the keys of {@code fresh}, plus the old key of the slot it does not carry (packets may still use it) */
    private static SrtKeyRing merge(SrtKeyRing old, SrtKeyRing fresh) {
        if (old == null || !Arrays.equals(old.salt(), fresh.salt()) || old.keyLength() != fresh.keyLength()) {
            return fresh;
        }
        byte[] even = fresh.hasKey(SrtKeyFlag.EVEN)
                ? fresh.key(SrtKeyFlag.EVEN)
                : old.hasKey(SrtKeyFlag.EVEN) ? old.key(SrtKeyFlag.EVEN) : null;
        byte[] odd = fresh.hasKey(SrtKeyFlag.ODD)
                ? fresh.key(SrtKeyFlag.ODD)
                : old.hasKey(SrtKeyFlag.ODD) ? old.key(SrtKeyFlag.ODD) : null;
        return SrtKeyRing.of(fresh.salt(), even, odd, fresh.active());
    }

    private static byte[] stateWord(int state) {
        return new byte[]{0, 0, 0, (byte) state};
    }

    private void onKeyMaterialResponse(byte[] content) {
        if (content.length == 4) {
            log.warn("SRT {}: the peer refused the new keys (state {})", this, content[3]);
            kmPending = null;
        } else if (kmPending != null && Arrays.equals(content, kmPending)) {
            kmPending = null;
        }
    }

    /** @return how many times the sender switched to a new key (tests) */
    long keySwitches() {
        return keySwitches;
    }

    private long retransmitTimeoutUs() {
        return Math.max(rttUs + 4 * rttVarUs, MIN_NAK_INTERVAL_US) + TICK_US;
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Handles one packet from the peer, on the event loop.
     *
     * @param packet the packet; a data packet's ownership passes to this connection
     */
    void onPacket(SrtPacket packet) {
        if (closed) {
            if (packet instanceof SrtDataPacket data) {
                data.release();
            }
            return;
        }
        long now = nowUs();
        lastReceiveUs = now;
        if (packet instanceof SrtDataPacket data) {
            onData(data, now);
        } else if (packet instanceof Ack ack) {
            onAck(ack, now);
        } else if (packet instanceof Nak nak) {
            onNak(nak, now);
        } else if (packet instanceof AckAck ackAck) {
            onAckAck(ackAck, now);
        } else if (packet instanceof DropRequest drop) {
            rcv.dropRange(drop.firstSequence(), drop.lastSequence());
            deliverReady(now);
        } else if (packet instanceof Opaque ext && ext.controlType() == SrtControlPacket.TYPE_USER_DEFINED) {
            if (ext.subtype() == SrtHandshakeExtension.TYPE_KMREQ) {
                onKeyMaterialRequest(ext.controlInformation(), now);
            } else if (ext.subtype() == SrtHandshakeExtension.TYPE_KMRSP) {
                onKeyMaterialResponse(ext.controlInformation());
            }
        } else if (packet instanceof Shutdown) {
            log.debug("SRT {} received shutdown", this);
            // the peer sends nothing more: hand out what arrived, in order, without waiting for play times
            deliverReady(Long.MAX_VALUE);
            terminate(null, false);
        }
        // keep-alives only refresh lastReceiveUs; handshake repeats are answered by the listener;
        // peer errors and user-defined packets are ignored
    }

    private void onData(SrtDataPacket data, long now) {
        int seq = data.sequenceNumber();
        int size = data.payload().readableBytes();
        packetsReceived++;
        bytesReceived += size;
        rateBytesReceived += size;
        ratePacketsReceived++;
        if (!rcv.accepts(seq)) {
            rcv.insert(seq, data);
            return;
        }
        long unwrapped = SrtTimestamp.unwrap(data.timestamp(), timestampReference);
        if (unwrapped > timestampReference) {
            timestampReference = unwrapped;
        }
        if (tsbpdBaseUs + unwrapped > now + 1_000_000) {
            // the peer's clock does not match its handshake timestamp: re-base on this packet
            tsbpdBaseUs = now - unwrapped;
        }
        SrtDataPacket stored = data;
        if (data.encryption() != SrtKeyFlag.NONE
                && (receiveKeys == null || !receiveKeys.decrypt(data.payload(), seq, data.encryption()))) {
            undecrypted++;
            data.release();
            stored = null;
        } else if (data.encryption() == SrtKeyFlag.NONE && keys != null) {
            // an encrypted connection never carries plaintext
            undecrypted++;
            data.release();
            stored = null;
        }
        rcv.insert(seq, stored);
        SrtSeqRange loss = rcv.takeNewLoss();
        if (loss != null) {
            packetsLost += loss.size();
            write(new Nak(timestamp(now), peerSocketId, List.of(loss)), now);
        }
        if (++packetsSinceLightAck >= LIGHT_ACK_PACKETS) {
            packetsSinceLightAck = 0;
            write(Ack.light(0, timestamp(now), peerSocketId, rcv.ackSequence()), now);
        }
        deliverReady(now);
    }

    private long playTime(int timestamp) {
        return tsbpdBaseUs + SrtTimestamp.unwrap(timestamp, timestampReference) + latencyUs;
    }

    private void deliverReady(long now) {
        SrtDataPacket p;
        while (!closed && (p = rcv.poll(now, this::playTime)) != null) {
            deliverToHandler(p.payload());
        }
        packetsDropped = rcv.dropped() + pendingDropped;
    }

    private long pendingDropped;

    private void deliverToHandler(ByteBuf message) {
        Handler h = handler;
        if (h == null) {
            if (pending.size() >= PENDING_LIMIT) {
                message.release();
                pendingDropped++;
            } else {
                pending.add(message);
            }
            return;
        }
        try {
            h.onMessage(message);
        } catch (RuntimeException e) {
            log.warn("SRT {} message handler failed", this, e);
        }
    }

    private void onAckAck(AckAck ackAck, long now) {
        int n = ackAck.ackNumber();
        int idx = n & (ACK_HISTORY - 1);
        if (n <= 0 || n > ackNumber || ackNumber - n >= ACK_HISTORY || ackTimes[idx] == 0) {
            return;
        }
        long sample = Math.max(1, now - ackTimes[idx]);
        ackTimes[idx] = 0;
        rttVarUs = (3 * rttVarUs + Math.abs(rttUs - sample)) / 4;
        rttUs = (7 * rttUs + sample) / 8;
        if (SrtSeq.isBefore(lastAckAcked, ackSeqs[idx])) {
            lastAckAcked = ackSeqs[idx];
        }
    }

    private void receiverTick(long now) {
        int ack = rcv.ackSequence();
        if (ack != lastAckAcked && (ack != lastFullAckSeq || now - lastFullAckUs >= retransmitTimeoutUs())) {
            ackNumber = ackNumber == Integer.MAX_VALUE ? 1 : ackNumber + 1;
            int idx = ackNumber & (ACK_HISTORY - 1);
            ackTimes[idx] = Math.max(1, now);
            ackSeqs[idx] = ack;
            lastFullAckUs = now;
            lastFullAckSeq = ack;
            packetsSinceLightAck = 0;
            int available = Math.max(2, WINDOW - rcv.occupancy());
            int pktRate = (int) Math.min(Integer.MAX_VALUE, receivePacketRate);
            write(new Ack(ackNumber, timestamp(now), peerSocketId, AckKind.FULL, ack, (int) rttUs, (int) rttVarUs,
                    available, pktRate, pktRate, (int) Math.min(Integer.MAX_VALUE, receiveRateBps / 8)), now);
        }
        // libsrt's period: half the retransmission timeout, at least 20 ms
        long nakInterval = Math.max((rttUs + 4 * rttVarUs) / 2, MIN_NAK_INTERVAL_US);
        if (now - lastNakUs >= nakInterval) {
            List<SrtSeqRange> losses = rcv.lossList(MAX_NAK_RANGES);
            if (!losses.isEmpty()) {
                lastNakUs = now;
                write(new Nak(timestamp(now), peerSocketId, losses), now);
            }
        }
    }

    // ---------------------------------------------------------------- timers and lifecycle

    private void onTick() {
        if (closed) {
            return;
        }
        long now = nowUs();
        try {
            deliverReady(now);
            receiverTick(now);
            senderTick(now);
            updatePaceRate(now);
            if (now - rateWindowStartUs >= 1_000_000) {
                long span = now - rateWindowStartUs;
                sendRateBps = rateBytesSent * 8_000_000 / span;
                receiveRateBps = rateBytesReceived * 8_000_000 / span;
                receivePacketRate = ratePacketsReceived * 1_000_000 / span;
                rateBytesSent = 0;
                rateBytesReceived = 0;
                ratePacketsReceived = 0;
                rateWindowStartUs = now;
            }
            if (now - lastReceiveUs >= IDLE_TIMEOUT_US) {
                terminate(new TransportException("SRT peer " + remote + " (socket " + peerSocketId
                        + ") silent for 5 s"), true);
            }
        } catch (RuntimeException e) {
            log.warn("SRT {} timer failed; closing", this, e);
            terminate(new TransportException("SRT connection " + this + " failed: " + e.getMessage(), e), true);
        }
    }

    private void terminate(Throwable cause, boolean sendShutdown) {
        if (closed) {
            return;
        }
        closed = true;
        closeCause = cause;
        if (sendShutdown && channel.isActive()) {
            write(new Shutdown(timestamp(nowUs()), peerSocketId), nowUs());
        }
        if (tick != null) {
            tick.cancel(false);
        }
        if (paceTimer != null) {
            paceTimer.cancel(false);
            paceTimer = null;
        }
        while (!paceQueue.isEmpty()) {
            paceQueue.poll().message().release();
        }
        for (int i = 0; i < WINDOW; i++) {
            if (sndPayload[i] != null) {
                sndPayload[i].release();
                sndPayload[i] = null;
            }
        }
        queued.set(0);
        flightSize = 0;
        rcv.releaseAll();
        while (!pending.isEmpty()) {
            pending.poll().release();
        }
        try {
            onTerminated.accept(this);
        } catch (RuntimeException e) {
            log.warn("SRT {} owner failed on close", this, e);
        }
        if (handler != null) {
            notifyClosed(handler);
        }
        if (cause == null) {
            closeFuture.complete(null);
        } else {
            log.debug("SRT {} closed: {}", this, cause.getMessage());
            closeFuture.completeExceptionally(cause);
        }
    }

    private void notifyClosed(Handler h) {
        try {
            h.onClosed(closeCause);
        } catch (RuntimeException e) {
            log.warn("SRT {} close handler failed", this, e);
        }
    }
}
