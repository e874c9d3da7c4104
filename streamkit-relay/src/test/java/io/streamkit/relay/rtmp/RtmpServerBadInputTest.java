package io.streamkit.relay.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.ConnectionState;
import io.streamkit.api.Output;
import io.streamkit.api.OutputConfig;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Publisher;
import io.streamkit.api.ReconnectPolicy;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.api.testkit.TestMedia;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input from the network closes the offending connection with a counted protocol error; a
 * stream relayed through the same server at the same time carries on untouched.
 */
class RtmpServerBadInputTest {
    private final TestMedia media = new TestMedia();
    private StreamKit kit;
    private RtmpServer server;
    private int port;
    private Publisher source;
    private RecordingSink relayed;

    @BeforeEach
    void start() {
        kit = StreamKit.builder().publisherGracePeriod(Duration.ZERO).build();
        server = RtmpServer.builder(kit).host("127.0.0.1").port(0).threads(1).handshakeTimeout(Duration.ofMillis(
                500)).idleTimeout(Duration.ofMillis(800)).maxConnections(8).build().start();
        port = server.localAddress().getPort();
        // a healthy relay through the server: local stream -> RTMP push -> server stream "good/show"
        Stream src = kit.stream("good/src");
        source = src.publish(TestMedia.tracks(), PublishPolicy.REJECT, "test");
        Output out = src.addOutput(OutputConfig.of(URI.create("rtmp://127.0.0.1:" + port + "/good/show"))
                .withReconnect(new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 2, 0)));
        RecordingSink.await(Duration.ofSeconds(10), () -> out.state() == ConnectionState.LIVE, "the good push");
        relayed = new RecordingSink();
        RecordingSink.await(Duration.ofSeconds(10), () -> kit.findStream("good/show").isPresent(), "good/show");
        kit.findStream("good/show").orElseThrow().subscribe(relayed, SubscribeOptions.on(Runnable::run));
    }

    @AfterEach
    void stop() {
        kit.close();
        RecordingSink.await(Duration.ofSeconds(10), () -> media.live() == 0, "payloads released");
    }

    private void sendGoodFrames(int from, int count) {
        for (int i = from; i < from + count; i++) {
            source.send(media.video(i * 33L, i % 10 == 0, 300));
        }
    }

    private static boolean closedByServer(Socket s, Duration within) throws Exception {
        s.setSoTimeout((int) within.toMillis());
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        try {
            while (true) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    /** Completes a plain handshake by hand: C0+C1, read S0+S1+S2, send C2. */
    private static void handshake(Socket s) throws Exception {
        OutputStream out = s.getOutputStream();
        byte[] c1 = new byte[1536];
        new Random(1).nextBytes(c1);
        for (int i = 0; i < 8; i++) {
            c1[i] = 0;
        }
        out.write(3);
        out.write(c1);
        out.flush();
        byte[] s012 = s.getInputStream().readNBytes(1 + 1536 + 1536);
        assertEquals(3073, s012.length, "S0 S1 S2");
        out.write(s012, 1, 1536);
        out.flush();
    }

    @Test
    void wrongVersionIsRefused() throws Exception {
        sendGoodFrames(0, 10);
        long before = server.stats().protocolErrors();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(new byte[]{6, 1, 2, 3});
            assertTrue(closedByServer(s, Duration.ofSeconds(5)), "closed after an RTMP version 6 C0");
        }
        RecordingSink.await(Duration.ofSeconds(5), () -> server.stats().protocolErrors() > before, "counted");
        sendGoodFrames(10, 10);
        RecordingSink.await(Duration.ofSeconds(5), () -> relayed.packets().size() >= 20, "the good stream goes on");
    }

    @Test
    void silentClientIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            assertTrue(closedByServer(s, Duration.ofSeconds(5)), "a client that sends nothing is closed");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            handshake(s); // then never sends connect
            assertTrue(closedByServer(s, Duration.ofSeconds(5)), "a client that never connects is closed");
        }
        sendGoodFrames(0, 20);
        RecordingSink.await(Duration.ofSeconds(5), () -> relayed.packets().size() >= 20, "the good stream goes on");
    }

    @Test
    void absurdMessageLengthAndGarbageChunksCloseOnlyThatConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            handshake(s);
            // fmt 0 on csid 3: timestamp 0, length 0xFFFFFF (16 MiB), type 20, stream 0
            s.getOutputStream().write(new byte[]{0x03, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 20, 0, 0, 0,
                    0});
            s.getOutputStream().flush();
            assertTrue(closedByServer(s, Duration.ofSeconds(5)), "an over-long message is refused");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            handshake(s);
            // a well-formed chunk whose AMF body does not parse
            byte[] body = {0x02, 0x7F, 0x7F, 'x'};
            s.getOutputStream().write(new byte[]{0x03, 0, 0, 0, 0, 0, (byte) body.length, 20, 0, 0, 0, 0});
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            assertTrue(closedByServer(s, Duration.ofSeconds(5)), "an AMF command that does not parse is refused");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            handshake(s);
            byte[] junk = new byte[4096];
            new Random(7).nextBytes(junk);
            s.getOutputStream().write(junk);
            s.getOutputStream().flush();
            assertTrue(closedByServer(s, Duration.ofSeconds(5)), "random chunks are refused");
        }
        sendGoodFrames(0, 20);
        RecordingSink.await(Duration.ofSeconds(5), () -> relayed.packets().size() >= 20, "the good stream goes on");
        assertTrue(server.stats().protocolErrors() >= 3, "protocol errors counted: " + server.stats());
    }

    @Test
    void connectionFloodIsBoundedByTheLimit() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                flood.add(new Socket("127.0.0.1", port));
            }
            RecordingSink.await(Duration.ofSeconds(5), () -> server.stats().refused() >= 5,
                    "connections over the limit of 8 refused: " + server.stats());
            assertTrue(server.stats().connections() <= 8, "never more than the limit open: " + server.stats());
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        sendGoodFrames(0, 20);
        RecordingSink.await(Duration.ofSeconds(5), () -> relayed.packets().size() >= 20, "the good stream goes on");
    }
}
