package io.streamkit.api.spi;

import io.streamkit.api.StreamKit;
import java.time.Duration;

/**
 * What the kit gives a {@link TransportProvider} for one connection.
 *
 * @param kit the kit (for shared services registered on it)
 * @param streamPath the path of the stream the endpoint is attached to
 * @param endpointId the id of the input or output, for logs
 * @param connectTimeout how long connecting may take before it counts as failed
 */
public record TransportContext(StreamKit kit, String streamPath, String endpointId, Duration connectTimeout) {
}
