package io.streamkit.relay.srt;

import io.streamkit.api.StreamKit;
import io.streamkit.api.spi.TransportProvider;
import io.streamkit.api.testkit.TransportProviderContract;
import java.net.URI;

/** The SRT transport (caller) against StreamKit's SRT server passes the compatibility kit. */
class SrtTransportProviderTest extends TransportProviderContract {

    @Override
    protected TransportProvider provider() {
        return new SrtTransportProvider();
    }

    @Override
    protected Endpoint newEndpoint(StreamKit kit) {
        SrtServer server = SrtServer.builder(kit).host("127.0.0.1").port(0).build().start();
        String base = "srt://127.0.0.1:" + server.localAddress().getPort() + "?latency=120&streamid=";
        return new Endpoint(URI.create(base + "publish:contract/remote"), URI.create(base + "read:contract/remote"),
                server);
    }

    @Override
    protected URI unreachableUri() {
        return URI.create("srt://127.0.0.1:1?streamid=publish:nobody");
    }
}
