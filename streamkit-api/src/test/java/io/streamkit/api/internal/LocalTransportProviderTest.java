package io.streamkit.api.internal;

import io.streamkit.api.StreamKit;
import io.streamkit.api.spi.TransportProvider;
import io.streamkit.api.testkit.TransportProviderContract;
import java.net.URI;

/** The {@code local:} transport passes the compatibility kit. */
class LocalTransportProviderTest extends TransportProviderContract {

    @Override
    protected TransportProvider provider() {
        return new LocalTransportProvider();
    }

    @Override
    protected Endpoint newEndpoint(StreamKit kit) {
        return new Endpoint(URI.create("local:contract/remote"), URI.create("local:contract/remote"), null);
    }

    @Override
    protected URI unreachableUri() {
        // a path that is not valid: every attempt fails with a specific error
        return URI.create("local:bad..path/..");
    }
}
