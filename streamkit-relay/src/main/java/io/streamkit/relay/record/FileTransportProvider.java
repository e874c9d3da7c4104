package io.streamkit.relay.record;

import io.streamkit.api.TransportException;
import io.streamkit.api.spi.OutputSession;
import io.streamkit.api.spi.TransportContext;
import io.streamkit.api.spi.TransportProvider;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code file} transport: an output that records its stream without re-encoding (see
 * {@link RecordingOptions} for the URI parameters). An unwritable directory or a full disk stops
 * the recording with a specific error in the output's stats and an event; the stream and its other
 * outputs carry on, and the output retries with back-off.
 */
public final class FileTransportProvider implements TransportProvider {

    /** Creates the provider. */
    public FileTransportProvider() {
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("file");
    }

    @Override
    public CompletableFuture<OutputSession> connectOutput(URI uri, TransportContext context) {
        try {
            RecordingOptions options = RecordingOptions.fromUri(uri);
            return CompletableFuture.completedFuture(new RecordingSession(options, context.streamPath()));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new TransportException(e.getMessage(), e));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new TransportException("cannot create recording directory under "
                    + uri.getPath() + ": " + e, e));
        }
    }
}
