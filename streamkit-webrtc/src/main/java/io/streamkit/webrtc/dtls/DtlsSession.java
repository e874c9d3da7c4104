package io.streamkit.webrtc.dtls;

import io.streamkit.webrtc.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS-SRTP association with one peer: runs the DTLS 1.2 handshake (client or server role) over
 * datagrams the caller moves, and yields the SRTP protection profile and keying material.
 *
 * <h2>Threads and buffers</h2>
 * The SFU's UDP event loop hands every DTLS datagram from the peer (first byte 20–63, RFC 7983) to
 * {@link #receive(ByteBuf)}, which never blocks: it queues the buffer (bounded; when full the
 * datagram is released, dropped and counted) and takes ownership of it. bctls' handshake is
 * blocking, so {@link #start()} runs it on the injected handshake executor, where it waits on that
 * queue. Outbound datagrams (at most {@value #MTU} bytes) are passed to the outbound sink from the
 * handshake executor's thread; the sink takes ownership of each buffer and typically writes it to
 * the UDP channel, which is safe from any thread.
 *
 * <h2>After the handshake</h2>
 * Data channels (SCTP over DTLS) are not supported: application data records that arrive after
 * the handshake are decrypted, counted ({@link DtlsMetrics#applicationRecordsDropped()}) and
 * dropped. The session keeps reading its queue on the handshake executor, one short task per burst
 * of datagrams (no thread is parked per peer), so that
 * <ul>
 *   <li>a peer that lost our final flight and retransmits its own is answered: bctls' record layer
 *       resends our last flight for handshake records of the previous epoch (RFC 6347 §4.2.4);</li>
 *   <li>a {@code close_notify} or fatal alert from the peer closes the session
 *       ({@link #closeFuture()} completes).</li>
 * </ul>
 *
 * <h2>Security choices</h2>
 * DTLS 1.2 only (a DTLS 1.0 ClientHello is refused with {@code protocol_version}); cipher suites
 * {@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256} and {@code ..._AES_256_GCM_SHA384}; the extended
 * master secret (RFC 7627) is required; the peer must present a certificate whose fingerprint
 * matches the one from its SDP. No HelloVerifyRequest cookie exchange is done as server: ICE has
 * already verified the peer's address, so the extra round trip buys nothing. The crypto is BC's
 * lightweight {@link BcTlsCrypto}: it needs no JCA provider registration (a process-wide mutable
 * setting) and behaves the same on every JDK; its speed does not matter, as DTLS only carries the
 * handshake while media goes through SRTP.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5764">RFC 5764 (DTLS-SRTP)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6347">RFC 6347 (DTLS 1.2)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8842">RFC 8842 (DTLS in SDP)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7983">RFC 7983 (demultiplexing)</a>
 */
public final class DtlsSession implements AutoCloseable {
    /** Largest datagram this session sends: the usual WebRTC path MTU allowance. */
    public static final int MTU = 1200;

    /** Largest inbound datagram accepted; bigger ones are dropped and counted. */
    public static final int MAX_INBOUND_DATAGRAM = 2048;

    /** Default handshake timeout. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** Default capacity of the inbound datagram queue. */
    public static final int DEFAULT_INBOUND_QUEUE_CAPACITY = 64;

    /** How long one read of the post-handshake drain waits for a further datagram. */
    private static final int DRAIN_WAIT_MILLIS = 1;

    private static final Logger log = LoggerFactory.getLogger(DtlsSession.class);

    /** Lifecycle of a session. */
    public enum State {
        /** Built; inbound datagrams are queued until {@link #start()}. */
        NEW,
        /** The handshake runs. */
        HANDSHAKING,
        /** The handshake completed; SRTP keys are available. */
        CONNECTED,
        /** Closed locally or by the peer, or the handshake failed. */
        CLOSED
    }

    private final DtlsRole role;
    private final DtlsCertificate certificate;
    private final Consumer<ByteBuf> outbound;
    private final Executor handshakeExecutor;
    private final Duration handshakeTimeout;
    private final ByteBufAllocator allocator;
    private final DtlsMetrics metrics;
    private final List<SrtpProfile> profiles;
    private final SecureRandom random;

    private final BlockingQueue<ByteBuf> inbound;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CompletableFuture<DtlsResult> result = new CompletableFuture<>();
    private final CompletableFuture<DtlsFingerprint> expectedFingerprint = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong datagramsDropped = new AtomicLong();
    private final AtomicLong applicationRecordsDropped = new AtomicLong();

    /** Set when nothing more may be read: closed locally, by the peer, or failed. */
    private volatile boolean closed;
    /** Set once outbound datagrams must no longer reach the sink. */
    private volatile boolean sendClosed;
    /** Set by bctls closing our transport (close_notify or a fatal alert from the peer). */
    private volatile boolean transportClosed;
    private volatile boolean timedOut;

    private final Object threadLock = new Object();
    private Thread handshakeThread;

    private final DatagramPath path = new DatagramPath();
    private final Object dtlsLock = new Object();
    private DTLSTransport dtls;

    private DtlsSession(Builder builder) {
        this.role = builder.role;
        this.certificate = builder.certificate;
        this.outbound = builder.outbound;
        this.handshakeExecutor = builder.handshakeExecutor;
        this.handshakeTimeout = builder.handshakeTimeout;
        this.allocator = builder.allocator;
        this.metrics = builder.metrics != null ? builder.metrics : new DtlsMetrics();
        this.profiles = builder.profiles;
        this.random = builder.random != null ? builder.random : new SecureRandom();
        this.inbound = new ArrayBlockingQueue<>(builder.inboundQueueCapacity);
        if (builder.remoteFingerprint != null) {
            expectedFingerprint.complete(builder.remoteFingerprint);
        }
    }

    /**
     * @param role the local role: {@link DtlsRole#SERVER} towards browsers ({@code a=setup:passive})
     * @param certificate the local identity, usually one per server
     * @return a builder; {@link Builder#outbound(Consumer)} and
     *     {@link Builder#handshakeExecutor(Executor)} are required
     */
    public static Builder builder(DtlsRole role, DtlsCertificate certificate) {
        return new Builder(role, certificate);
    }

    /**
     * Sets the fingerprint from the peer's SDP, if the builder did not. The handshake waits for it
     * (bounded by the handshake timeout) before accepting the peer's certificate.
     *
     * @param sdpFingerprint the peer's {@code a=fingerprint} value, for example {@code sha-256 AB:..}
     * @throws IllegalArgumentException if the value is malformed
     * @throws IllegalStateException if a fingerprint was already set
     */
    public void setRemoteFingerprint(String sdpFingerprint) {
        DtlsFingerprint fingerprint = DtlsFingerprint.parse(sdpFingerprint);
        if (!expectedFingerprint.complete(fingerprint)) {
            throw new IllegalStateException("remote fingerprint already set");
        }
    }

    /**
     * Starts the handshake on the handshake executor. Idempotent: later calls return the same future.
     *
     * @return completes with the SRTP parameters, or exceptionally with a
     *     {@link DtlsHandshakeException} ({@link DtlsFingerprintMismatchException},
     *     {@link DtlsHandshakeTimeoutException}, or another {@link DtlsFailureReason})
     */
    public CompletableFuture<DtlsResult> start() {
        if (!state.compareAndSet(State.NEW, State.HANDSHAKING)) {
            return result;
        }
        metrics.handshakeStarted();
        long deadlineNanos = System.nanoTime() + handshakeTimeout.toNanos();
        CompletableFuture.delayedExecutor(handshakeTimeout.toNanos(), TimeUnit.NANOSECONDS, Runnable::run)
                .execute(this::onHandshakeTimeout);
        try {
            handshakeExecutor.execute(() -> runHandshake(deadlineNanos));
        } catch (RejectedExecutionException e) {
            fail(new DtlsHandshakeException(DtlsFailureReason.INTERNAL_ERROR, "handshake executor rejected the task",
                    e));
        }
        return result;
    }

    /** @return the handshake outcome; completes only after {@link #start()} (or fails on close) */
    public CompletableFuture<DtlsResult> result() {
        return result;
    }

    /** @return completes when the session is closed: locally, by the peer, or after a failed handshake */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /** @return the current lifecycle state */
    public State state() {
        return state.get();
    }

    /** @return the counters this session updates */
    public DtlsMetrics metrics() {
        return metrics;
    }

    /** @return the local role */
    public DtlsRole role() {
        return role;
    }

    /** @return inbound datagrams this session dropped (queue full, oversized, or after close) */
    public long datagramsDropped() {
        return datagramsDropped.get();
    }

    /** @return application data records received after the handshake and dropped (no SCTP) */
    public long applicationRecordsDropped() {
        return applicationRecordsDropped.get();
    }

    /**
     * Hands over one inbound DTLS datagram. Never blocks and never throws on bad input: the
     * datagram is queued for the handshake or the post-handshake reader, or released and counted
     * when the queue is full, the datagram is larger than {@value #MAX_INBOUND_DATAGRAM} bytes or
     * is not a sequence of well-framed DTLS records, or the session is closed.
     *
     * @param datagram the UDP payload; this session takes ownership and releases it
     */
    public void receive(ByteBuf datagram) {
        Objects.requireNonNull(datagram, "datagram");
        int length = datagram.readableBytes();
        if (closed
                || length > MAX_INBOUND_DATAGRAM
                || !DtlsRecordFilter.isWellFramed(datagram)
                || !inbound.offer(datagram)) {
            datagram.release();
            drop();
            return;
        }
        if (closed) {
            releaseQueued();
            return;
        }
        if (state.get() == State.CONNECTED) {
            scheduleDrain();
        }
    }

    /**
     * Closes the session: sends {@code close_notify} if the handshake completed, stops a running
     * handshake promptly (its future fails with {@link DtlsFailureReason#CLOSED}) and releases
     * queued datagrams. Idempotent; does not wait for the handshake thread to exit.
     */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        synchronized (threadLock) {
            if (handshakeThread != null) {
                handshakeThread.interrupt();
            }
        }
        DtlsHandshakeException closedDuringHandshake = new DtlsHandshakeException(DtlsFailureReason.CLOSED,
                "DTLS session closed before the handshake completed");
        if (state.get() == State.NEW) {
            result.completeExceptionally(closedDuringHandshake);
        } else {
            fail(closedDuringHandshake);
        }
        synchronized (dtlsLock) {
            if (dtls != null) {
                closeQuietly(dtls);
                path.flushQuietly();
            }
        }
        sendClosed = true;
        shutdown();
    }

    private void runHandshake(long deadlineNanos) {
        synchronized (threadLock) {
            if (closed) {
                return;
            }
            handshakeThread = Thread.currentThread();
        }
        HandshakeState handshake = new HandshakeState(new BcTlsCrypto(random), certificate, profiles,
                expectedFingerprint, deadlineNanos);
        DTLSTransport established = null;
        Throwable error = null;
        try {
            if (role == DtlsRole.SERVER) {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                protocol.setVerifyRequests(false);
                established = protocol.accept(new SrtpDtlsServer(handshake), path);
            } else {
                established = new DTLSClientProtocol().connect(new SrtpDtlsClient(handshake), path);
            }
        } catch (IOException | RuntimeException e) {
            error = e;
        } finally {
            // the final flight, or the alert that ended the handshake
            path.flushQuietly();
            synchronized (threadLock) {
                handshakeThread = null;
                // an interrupt from close() must not leak into the executor's next task
                Thread.interrupted();
            }
        }
        if (established == null) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                timedOut = true; // the handshake thread gave up at the deadline just before the timer fired
            }
            fail(classify(handshake, error));
            return;
        }
        synchronized (dtlsLock) {
            if (closed) {
                closeQuietly(established);
                fail(classify(handshake, null));
                return;
            }
            dtls = established;
        }
        DtlsResult outcome = new DtlsResult(role, handshake.selectedProfile, handshake.keyingMaterial,
                handshake.remoteFingerprint);
        boolean connected = state.compareAndSet(State.HANDSHAKING, State.CONNECTED);
        if (connected) {
            // Counted before the future completes, so whoever awaits the result sees the count.
            metrics.handshakeCompleted();
        }
        if (connected && result.complete(outcome)) {
            log.debug("DTLS {} handshake complete: {}", role, outcome);
            if (!inbound.isEmpty()) {
                scheduleDrain();
            }
        } else {
            close();
        }
    }

    private DtlsHandshakeException classify(HandshakeState handshake, Throwable error) {
        if (handshake.failure != null) {
            return handshake.failure;
        }
        if (timedOut || error instanceof TlsTimeoutException) {
            return new DtlsHandshakeTimeoutException(handshakeTimeout);
        }
        if (closed) {
            return new DtlsHandshakeException(DtlsFailureReason.CLOSED,
                    "DTLS session closed before the handshake completed", error);
        }
        if (error instanceof TlsFatalAlertReceived) {
            short alert = ((TlsFatalAlertReceived) error).getAlertDescription();
            return new DtlsHandshakeException(DtlsFailureReason.PEER_ALERT,
                    "peer aborted the DTLS handshake with alert " + AlertDescription.getText(alert), error);
        }
        if (error instanceof TlsFatalAlert) {
            short alert = ((TlsFatalAlert) error).getAlertDescription();
            return new DtlsHandshakeException(alert == AlertDescription.internal_error
                    ? DtlsFailureReason.INTERNAL_ERROR
                    : DtlsFailureReason.PROTOCOL_ERROR,
                    "DTLS handshake aborted with alert " + AlertDescription.getText(alert)
                            + (AlertDescription.getText(alert).equals(error.getMessage())
                                    ? ""
                                    : ": " + error.getMessage()),
                    error);
        }
        return new DtlsHandshakeException(DtlsFailureReason.INTERNAL_ERROR,
                "DTLS handshake failed: " + (error == null ? "unknown" : error.toString()), error);
    }

    private void onHandshakeTimeout() {
        if (result.isDone()) {
            return;
        }
        timedOut = true;
        if (fail(new DtlsHandshakeTimeoutException(handshakeTimeout))) {
            synchronized (threadLock) {
                if (handshakeThread != null) {
                    handshakeThread.interrupt();
                }
            }
        }
    }

    /** Fails the handshake once (counted), and tears the session down. */
    private boolean fail(DtlsHandshakeException failure) {
        if (result.isDone() || !failing.compareAndSet(false, true)) {
            return false;
        }
        // counted before the future completes, so whoever sees the failure also sees the count
        metrics.handshakeFailed(failure.reason());
        if (!result.completeExceptionally(failure)) {
            return false;
        }
        if (failure.reason() == DtlsFailureReason.CLOSED) {
            log.debug("DTLS {} handshake stopped: {}", role, failure.getMessage());
        } else {
            log.info("DTLS {} handshake failed ({}): {}", role, failure.reason(), failure.getMessage());
        }
        shutdown();
        return true;
    }

    private void shutdown() {
        closed = true;
        state.set(State.CLOSED);
        releaseQueued();
        if (sendClosed) {
            path.flushQuietly();
        }
        closeFuture.complete(null);
    }

    private void scheduleDrain() {
        if (!drainScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            handshakeExecutor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drainScheduled.set(false);
            log.warn("DTLS {}: handshake executor rejected the post-handshake reader; closing", role);
            close();
        }
    }

    /** Reads what is queued after the handshake: answers retransmitted flights, drops application data. */
    private void drain() {
        byte[] buffer = new byte[MAX_INBOUND_DATAGRAM];
        try {
            while (true) {
                while (!closed && !inbound.isEmpty()) {
                    int received;
                    synchronized (dtlsLock) {
                        if (closed) {
                            break;
                        }
                        try {
                            received = dtls.receive(buffer, 0, buffer.length, DRAIN_WAIT_MILLIS);
                        } finally {
                            // a resent final flight or our close_notify reply
                            path.flushQuietly();
                        }
                    }
                    if (received >= 0) {
                        applicationRecordsDropped.incrementAndGet();
                        metrics.applicationRecordDropped();
                    }
                    if (transportClosed) {
                        log.debug("DTLS {}: peer closed the association", role);
                        sendClosed = true;
                        shutdown();
                        return;
                    }
                }
                drainScheduled.set(false);
                if (closed || inbound.isEmpty() || !drainScheduled.compareAndSet(false, true)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            drainScheduled.set(false);
            if (!closed) {
                metrics.associationFailed();
                log.info("DTLS {}: association ended: {}", role, e.toString());
            }
            sendClosed = true;
            shutdown();
        }
    }

    private void drop() {
        datagramsDropped.incrementAndGet();
        metrics.datagramDropped();
    }

    private void releaseQueued() {
        ByteBuf queued;
        while ((queued = inbound.poll()) != null) {
            queued.release();
        }
    }

    private static void closeQuietly(DTLSTransport transport) {
        try {
            transport.close();
        } catch (IOException | RuntimeException e) {
            log.debug("DTLS close failed: {}", e.toString());
        }
    }

    static void logAlert(String direction, short level, short description, String message) {
        if (level == AlertLevel.fatal) {
            log.debug("DTLS alert {}: {} {} {}", direction, AlertLevel.getText(level),
                    AlertDescription.getText(description), message == null ? "" : message);
        } else {
            log.trace("DTLS alert {}: {} {}", direction, AlertLevel.getText(level),
                    AlertDescription.getText(description));
        }
    }

    /**
     * The bctls view of the datagram path: reads the inbound queue; packs the records bctls writes
     * into datagrams of at most {@value #MTU} bytes (RFC 6347 §4.1.1 allows several records per
     * datagram) and hands them to the outbound sink when the flight is written, that is when bctls
     * starts waiting for the peer, or when the caller flushes. One datagram per flight instead of one
     * per handshake message makes a lost datagram much less likely to cost a retransmission round.
     */
    private final class DatagramPath implements DatagramTransport {
        private ByteBuf pending;

        @Override
        public int getReceiveLimit() {
            return MAX_INBOUND_DATAGRAM;
        }

        @Override
        public int getSendLimit() {
            return MTU;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            flush();
            if (closed) {
                throw new InterruptedIOException("DTLS session closed");
            }
            ByteBuf datagram;
            try {
                datagram = inbound.poll(Math.max(waitMillis, 1), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("DTLS session closed");
            }
            if (datagram == null) {
                return -1;
            }
            try {
                if (closed) {
                    throw new InterruptedIOException("DTLS session closed");
                }
                int length = Math.min(datagram.readableBytes(), len);
                datagram.getBytes(datagram.readerIndex(), buf, off, length);
                return length;
            } finally {
                datagram.release();
            }
        }

        @Override
        public synchronized void send(byte[] buf, int off, int len) throws IOException {
            if (sendClosed) {
                return;
            }
            if (pending != null && pending.readableBytes() + len > MTU) {
                flush();
            }
            if (pending == null) {
                pending = allocator.buffer(Math.max(len, MTU));
            }
            pending.writeBytes(buf, off, len);
        }

        /** Hands the packed records, if any, to the outbound sink. */
        synchronized void flush() throws IOException {
            ByteBuf datagram = pending;
            pending = null;
            if (datagram == null) {
                return;
            }
            if (sendClosed) {
                datagram.release();
                return;
            }
            try {
                outbound.accept(datagram);
            } catch (RuntimeException e) {
                throw new IOException("outbound datagram sink failed", e);
            }
        }

        void flushQuietly() {
            try {
                flush();
            } catch (IOException e) {
                log.debug("DTLS {}: {}", role, e.toString());
            }
        }

        @Override
        public void close() {
            transportClosed = true;
        }
    }

    /**
     * Configures a {@link DtlsSession}. The outbound sink and the handshake executor are required.
     */
    public static final class Builder {
        private final DtlsRole role;
        private final DtlsCertificate certificate;
        private DtlsFingerprint remoteFingerprint;
        private Consumer<ByteBuf> outbound;
        private Executor handshakeExecutor;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int inboundQueueCapacity = DEFAULT_INBOUND_QUEUE_CAPACITY;
        private ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        private DtlsMetrics metrics;
        private List<SrtpProfile> profiles = List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        private SecureRandom random;

        private Builder(DtlsRole role, DtlsCertificate certificate) {
            this.role = Objects.requireNonNull(role, "role");
            this.certificate = Objects.requireNonNull(certificate, "certificate");
        }

        /**
         * @param sdpFingerprint the peer's {@code a=fingerprint} value; may instead be given later with
         *     {@link DtlsSession#setRemoteFingerprint(String)}
         * @return this builder
         * @throws IllegalArgumentException if the value is malformed
         */
        public Builder remoteFingerprint(String sdpFingerprint) {
            this.remoteFingerprint = DtlsFingerprint.parse(sdpFingerprint);
            return this;
        }

        /**
         * @param outbound receives each outbound datagram (at most {@value DtlsSession#MTU} bytes) and
         *     takes ownership of it, even if it throws; called from the handshake executor's threads
         * @return this builder
         */
        public Builder outbound(Consumer<ByteBuf> outbound) {
            this.outbound = Objects.requireNonNull(outbound, "outbound");
            return this;
        }

        /**
         * @param executor runs the blocking handshake and the short post-handshake reads; never a Netty
         *     event loop. Each running handshake occupies one of its threads.
         * @return this builder
         */
        public Builder handshakeExecutor(Executor executor) {
            this.handshakeExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * @param timeout how long the handshake may take from {@link DtlsSession#start()}; default 10 s
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * @param capacity how many inbound datagrams may wait for the handshake thread; default 64
         * @return this builder
         */
        public Builder inboundQueueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("inbound queue capacity must be at least 1: " + capacity);
            }
            this.inboundQueueCapacity = capacity;
            return this;
        }

        /**
         * @param allocator allocates outbound datagrams; default {@link ByteBufAllocator#DEFAULT}
         * @return this builder
         */
        public Builder allocator(ByteBufAllocator allocator) {
            this.allocator = Objects.requireNonNull(allocator, "allocator");
            return this;
        }

        /**
         * @param metrics counters to update, usually shared by all sessions of a server; default a
         *     private instance
         * @return this builder
         */
        public Builder metrics(DtlsMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * @param profiles the SRTP profiles to accept, in preference order (a client offers them in
         *     this order; a server takes the first one in the client's order that is listed here);
         *     default AEAD_AES_128_GCM then AES_CM_128_HMAC_SHA1_80
         * @return this builder
         */
        public Builder srtpProfiles(List<SrtpProfile> profiles) {
            List<SrtpProfile> copy = List.copyOf(profiles);
            if (copy.isEmpty() || copy.stream().distinct().count() != copy.size()) {
                throw new IllegalArgumentException("SRTP profiles must be non-empty and distinct: " + copy);
            }
            this.profiles = copy;
            return this;
        }

        /**
         * @param random randomness for the handshake; default a new {@link SecureRandom}
         * @return this builder
         */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * @return a new session in state {@link State#NEW}
         * @throws IllegalStateException if the outbound sink or the handshake executor is missing
         */
        public DtlsSession build() {
            if (outbound == null) {
                throw new IllegalStateException("outbound datagram sink is required");
            }
            if (handshakeExecutor == null) {
                throw new IllegalStateException("handshake executor is required");
            }
            return new DtlsSession(this);
        }
    }
}
