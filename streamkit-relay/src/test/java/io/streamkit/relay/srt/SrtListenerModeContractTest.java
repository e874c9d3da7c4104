package io.streamkit.relay.srt;

import io.streamkit.api.StreamKit;
import io.streamkit.api.spi.TransportProvider;
import io.streamkit.api.testkit.TransportProviderContract;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;

/**
 * The SRT transport in listener mode passes the compatibility kit: the output binds a port
 * ({@code mode=listener}) and the kit's own caller-mode input pulls from it. The dead destination
 * is a listener on a port already in use.
 */
class SrtListenerModeContractTest extends TransportProviderContract {
    private DatagramSocket taken;

    @Override
    protected TransportProvider provider() {
        // the output's listener and the input's caller on their own threads, as two processes would be
        return new SrtTransportProvider(2);
    }

    @Override
    protected Endpoint newEndpoint(StreamKit kit) throws Exception {
        int port = SrtListenerTesting.freePort();
        // the contract sends 3 s of media at once: a latency that leaves time to recover what the burst loses
        return new Endpoint(URI.create("srt://127.0.0.1:" + port + "?mode=listener&latency=400"), URI.create(
                "srt://127.0.0.1:" + port + "?latency=400"), null);
    }

    @Override
    protected URI unreachableUri() {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    SrtListenerTesting.freePort());
            taken = new DatagramSocket(address);
            return URI.create("srt://127.0.0.1:" + address.getPort() + "?mode=listener");
        } catch (SocketException e) {
            throw new AssertionError("no free UDP port", e);
        }
    }

    @AfterEach
    void releasePort() {
        if (taken != null) {
            taken.close();
        }
    }
}
