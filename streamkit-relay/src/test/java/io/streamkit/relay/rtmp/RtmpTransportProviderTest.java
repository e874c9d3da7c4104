package io.streamkit.relay.rtmp;

import io.streamkit.api.StreamKit;
import io.streamkit.api.spi.TransportProvider;
import io.streamkit.api.testkit.TransportProviderContract;
import java.net.URI;

/** The RTMP transport (client) against StreamKit's RTMP server passes the compatibility kit. */
class RtmpTransportProviderTest extends TransportProviderContract {

    @Override
    protected TransportProvider provider() {
        return new RtmpTransportProvider();
    }

    @Override
    protected Endpoint newEndpoint(StreamKit kit) {
        RtmpServer server = RtmpServer.builder(kit).host("127.0.0.1").port(0).threads(1).build().start();
        String url = "rtmp://127.0.0.1:" + server.localAddress().getPort() + "/contract/remote";
        return new Endpoint(URI.create(url), URI.create(url), server);
    }

    @Override
    protected URI unreachableUri() {
        return URI.create("rtmp://127.0.0.1:1/live/nobody");
    }
}
