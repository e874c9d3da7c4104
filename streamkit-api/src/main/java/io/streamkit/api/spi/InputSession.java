package io.streamkit.api.spi;

import java.util.concurrent.CompletableFuture;

/** One connected incoming connection, publishing through the {@link InputSink} it was given. */
public interface InputSession {

    /**
     * @return completed when the connection ends: normally after {@link #close()} or the
     *         remote's orderly end, exceptionally with the cause when it failed
     */
    CompletableFuture<Void> closeFuture();

    /** Closes the connection; idempotent. */
    void close();
}
