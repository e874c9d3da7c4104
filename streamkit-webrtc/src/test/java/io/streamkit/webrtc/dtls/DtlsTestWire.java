package io.streamkit.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An in-memory datagram path between a DTLS server and client session: each side's outbound sink
 * hands the datagram, through a single "event loop" thread, to the other side's
 * {@link DtlsSession#receive}. A filter may drop datagrams. Every buffer that crossed the wire is
 * remembered so that a test can check they were all released.
 */
final class DtlsTestWire implements AutoCloseable {
    /** Decides whether a datagram is lost; sees the datagram before delivery. */
    interface Filter {
        boolean drop(boolean fromServer, ByteBuf datagram);
    }

    final ExecutorService handshakeExecutor = Executors.newCachedThreadPool(named("dtls-handshake-test"));
    private final ExecutorService eventLoop = Executors.newSingleThreadExecutor(named("dtls-wire-test"));
    private final List<ByteBuf> crossed = Collections.synchronizedList(new ArrayList<>());
    private volatile Filter filter = (fromServer, datagram) -> false;
    private volatile DtlsSession server;
    private volatile DtlsSession client;
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();

    static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    void filter(Filter filter) {
        this.filter = filter;
    }

    DtlsSession.Builder serverBuilder(DtlsCertificate certificate) {
        return DtlsSession.builder(DtlsRole.SERVER, certificate)
                .outbound(sink(true, wire -> wire.client))
                .handshakeExecutor(handshakeExecutor);
    }

    DtlsSession.Builder clientBuilder(DtlsCertificate certificate) {
        return DtlsSession.builder(DtlsRole.CLIENT, certificate)
                .outbound(sink(false, wire -> wire.server))
                .handshakeExecutor(handshakeExecutor);
    }

    DtlsSession server(DtlsSession session) {
        this.server = session;
        return session;
    }

    DtlsSession client(DtlsSession session) {
        this.client = session;
        return session;
    }

    /** Delivers a datagram to the server as if it came from the network (through the event loop). */
    void injectToServer(ByteBuf datagram) {
        crossed.add(datagram);
        deliver(datagram, () -> server);
    }

    private Consumer<ByteBuf> sink(boolean fromServer, Function<DtlsTestWire, DtlsSession> target) {
        return datagram -> {
            crossed.add(datagram);
            if (filter.drop(fromServer, datagram)) {
                dropped.incrementAndGet();
                datagram.release();
                return;
            }
            deliver(datagram, () -> target.apply(this));
        };
    }

    private void deliver(ByteBuf datagram, java.util.function.Supplier<DtlsSession> target) {
        try {
            eventLoop.execute(() -> {
                DtlsSession session = target.get();
                if (session == null) {
                    datagram.release();
                } else {
                    delivered.incrementAndGet();
                    session.receive(datagram);
                }
            });
        } catch (RejectedExecutionException e) {
            datagram.release();
        }
    }

    /** Closes both sessions, stops the threads, and checks that every datagram was released. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
        handshakeExecutor.shutdown();
        eventLoop.shutdown();
        try {
            assertTrue(handshakeExecutor.awaitTermination(10, TimeUnit.SECONDS), "handshake threads did not stop");
            assertTrue(eventLoop.awaitTermination(10, TimeUnit.SECONDS), "wire thread did not stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        assertReleased();
    }

    void assertReleased() {
        synchronized (crossed) {
            for (ByteBuf datagram : crossed) {
                assertEquals(0, datagram.refCnt(), "datagram not released");
            }
        }
    }
}
