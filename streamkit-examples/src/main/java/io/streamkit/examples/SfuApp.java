package io.streamkit.examples;

import io.streamkit.webrtc.sfu.SfuServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The SFU: rooms over a WebSocket and WebRTC media forwarded without decoding, with a browser page
 * to join a room, publish camera and microphone, and see and hear the others.
 */
@Command(name = "sfu", mixinStandardHelpOptions = true, description = "WebRTC SFU with rooms: signaling on "
        + "ws://host:PORT/ws, media on one UDP port, and a demo page at http://host:PORT/.")
public final class SfuApp implements Callable<Integer> {

    @Option(names = "--host", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host = "0.0.0.0";

    @Option(names = "--http-port", description = "Signaling and page port (default: ${DEFAULT-VALUE}).")
    int httpPort = 8080;

    @Option(names = "--udp-port", description = "Media UDP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int udpPort = 0;

    @Option(names = "--announced-address", paramLabel = "IP", description = "Address written in ICE candidates "
            + "(default: the bound address, or the first non-loopback IPv4 address).")
    String announcedAddress;

    @Option(names = "--allowed-origin", paramLabel = "URL", description = "Browser origin allowed to connect; "
            + "repeatable (default: the page's own origin only).")
    List<String> allowedOrigins = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        SfuServer.Builder b = SfuServer.builder().host(host).httpPort(httpPort).udpPort(udpPort).clientPage(true);
        if (announcedAddress != null) {
            b.announcedAddress(announcedAddress);
        }
        allowedOrigins.forEach(b::allowedOrigin);
        SfuServer sfu = b.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shutting down...");
            sfu.close();
            stopped.countDown();
        }, "shutdown"));
        String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        int port = sfu.signalingAddress().getPort();
        System.out.printf("Page:       http://%s:%d/   (open it in two tabs or on two machines)%n", shown, port);
        System.out.printf("Signaling:  ws://%s:%d/ws%n", shown, port);
        System.out.printf("Media:      udp %d%n", sfu.mediaAddress().getPort());
        System.out.println("Press Ctrl+C to stop.");
        stopped.await();
        return 0;
    }
}
