package io.streamkit.api.spi;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The contract a transport implements: make one outgoing connection that sends media
 * ({@link #connectOutput}) or one that receives media ({@link #connectInput}). The kit wraps it in
 * the user's {@link io.streamkit.api.Output}/{@link io.streamkit.api.Input} handles, which own
 * reconnection with back-off, subscription, state and stats, so a provider only connects once.
 *
 * <p>Providers are found by URI scheme through {@link java.util.ServiceLoader} (declare them in
 * {@code module-info} {@code provides} and in {@code META-INF/services}) or registered with
 * {@link io.streamkit.api.StreamKit.Builder#transport(TransportProvider)}; an explicit
 * registration wins over a discovered one. Every method has a default, so adding hooks later
 * breaks no implementor. Verify an implementation with the compatibility kit
 * ({@code io.streamkit.api.testkit.TransportProviderContract} in the {@code tests} jar).
 *
 * <p>A provider that holds resources (threads, sockets) implements {@link AutoCloseable}; the kit
 * closes it after its streams. Each kit loads its own provider instances.
 */
public interface TransportProvider {

    /** @return a short name for logs */
    String name();

    /** @return the URI schemes handled, lower case, for example {@code rtmp}, {@code rtmps} */
    Set<String> schemes();

    /**
     * Opens one connection that will send media to {@code uri}.
     *
     * @param uri the destination
     * @param context the kit's services for this output
     * @return a future of the connected session; completed exceptionally when the connection
     *         fails (a {@link io.streamkit.api.TransportException} with a specific message)
     */
    default CompletableFuture<OutputSession> connectOutput(URI uri, TransportContext context) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                name() + " cannot send to " + uri.getScheme() + " URIs"));
    }

    /**
     * Opens one connection that receives media from {@code uri} and publishes it through
     * {@code sink}.
     *
     * @param uri the source
     * @param context the kit's services for this input
     * @param sink where to publish what arrives
     * @return a future of the connected session
     */
    default CompletableFuture<InputSession> connectInput(URI uri, TransportContext context, InputSink sink) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                name() + " cannot receive from " + uri.getScheme() + " URIs"));
    }
}
