package io.streamkit.relay.rtmp;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.streamkit.api.StreamKit;
import io.streamkit.api.spi.TransportProvider;
import io.streamkit.api.testkit.TransportProviderContract;
import java.net.URI;

/** The RTMPS transport against StreamKit's RTMPS server (self-signed) passes the compatibility kit. */
class RtmpsTransportProviderTest extends TransportProviderContract {

    @Override
    protected TransportProvider provider() {
        return new RtmpTransportProvider(InsecureTrustManagerFactory.INSTANCE);
    }

    @Override
    protected Endpoint newEndpoint(StreamKit kit) {
        RtmpServer server = RtmpServer.builder(kit).host("127.0.0.1").port(0).threads(1).tlsSelfSigned().build()
                .start();
        String url = "rtmps://127.0.0.1:" + server.localAddress().getPort() + "/contract/remote";
        return new Endpoint(URI.create(url), URI.create(url), server);
    }

    @Override
    protected URI unreachableUri() {
        return URI.create("rtmps://127.0.0.1:1/live/nobody");
    }
}
