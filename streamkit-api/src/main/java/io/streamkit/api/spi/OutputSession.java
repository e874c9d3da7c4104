package io.streamkit.api.spi;

import io.streamkit.api.MediaSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One connected outgoing connection: the kit subscribes it to the stream as a
 * {@link MediaSink} delivered on {@link #executor()}, and reconnects when {@link #closeFuture()}
 * completes.
 */
public interface OutputSession extends MediaSink {

    /** @return where the sink methods must run (a Netty channel's event loop, for example) */
    Executor executor();

    /**
     * @return completed when the connection ends: normally when {@link #close()} was called,
     *         exceptionally with the cause when it failed
     */
    CompletableFuture<Void> closeFuture();

    /** Closes the connection; idempotent. */
    void close();
}
