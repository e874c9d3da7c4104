package io.streamkit.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.streamkit.relay.audience.Audience;
import io.streamkit.relay.audience.AudienceServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatHarnessTest {
    private EventLoopGroup loops;
    private final List<ChatHarness.ChatClient> clients = new ArrayList<>();
    private ChatHarness.Shared shared;

    @BeforeEach
    void start() {
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        shared = new ChatHarness.Shared();
    }

    @AfterEach
    void stop() {
        shared.closing = true;
        for (ChatHarness.ChatClient c : clients) {
            Channel ch = c.channel;
            if (ch != null) {
                ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void optionsHaveTheIssueDefaultsAndRefuseBadValues() {
        ChatHarness.Options o = ChatHarness.Options.parse(List.of());
        assertEquals(5000, o.clients());
        assertEquals(100, o.rate());
        assertEquals(20, o.senders());
        assertEquals(List.of("streamkit", "baseline"), o.servers());
        assertEquals(List.of("baseline"), ChatHarness.Options.parse(List.of("--servers", "baseline")).servers());
        assertThrows(IllegalArgumentException.class, () -> ChatHarness.Options.parse(List.of("--rate", "301")));
        assertThrows(IllegalArgumentException.class, () -> ChatHarness.Options.parse(List.of("--bogus", "1")));
        assertThrows(IllegalArgumentException.class, () -> ChatHarness.Options.parse(List.of("--clients")));
        assertThrows(IllegalArgumentException.class, () -> ChatHarness.Options.parse(List.of("--servers", "x")));
    }

    private ChatHarness.ChatClient connect(URI uri, boolean streamkit, boolean streamer, String name, String key)
            throws Exception {
        ChatHarness.ChatClient c = new ChatHarness.ChatClient(shared, streamkit, streamer, name, !streamer);
        clients.add(c);
        c.connect(new Bootstrap().group(loops).channel(NioSocketChannel.class), uri, key);
        c.ready.get(10, TimeUnit.SECONDS);
        return c;
    }

    private void sendAndAwait(ChatHarness.ChatClient from, boolean streamkit, String key, int viewers)
            throws InterruptedException {
        shared.open();
        long stamp = System.nanoTime();
        shared.sent(stamp);
        from.channel.writeAndFlush(new TextWebSocketFrame(ChatHarness.chatText(streamkit, key, stamp, "xyz")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (shared.delivered.sum() < viewers && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, shared.sent.sum());
        assertEquals(viewers, shared.delivered.sum());
        assertEquals(viewers, shared.histogram.count());
        assertEquals(0, shared.errors.sum());
        assertEquals(0, shared.closed.sum());
    }

    @Test
    void viewersOfTheAudienceServerRecordEveryBroadcast() throws Exception {
        Audience audience = Audience.builder().chatRateLimit(1000, Duration.ofSeconds(1)).build();
        AudienceServer server = AudienceServer.builder(audience).bind("127.0.0.1", 0).start();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/audience");
            ChatHarness.ChatClient streamer = connect(uri, true, true, "streamer", null);
            String key = streamer.streamKey;
            assertNotNull(key);
            List<ChatHarness.ChatClient> viewers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                viewers.add(connect(uri, true, false, "v" + i, key));
            }
            sendAndAwait(viewers.get(0), true, key, 3);
            assertEquals(1, viewers.get(2).windowReceived);
            assertEquals(0, streamer.windowReceived); // the streamer receives chat but does not record it
        } finally {
            shared.closing = true;
            server.close();
            audience.close();
        }
    }

    @Test
    void clientsOfTheBaselineRecordEveryBroadcast() throws Exception {
        try (BroadcastBaselineServer server = BroadcastBaselineServer.start("127.0.0.1", 0, 1)) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/audience");
            connect(uri, false, true, "other", null);
            List<ChatHarness.ChatClient> viewers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                viewers.add(connect(uri, false, false, "v" + i, null));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!server.stats().startsWith("open=4") && System.nanoTime() < deadline) {
                Thread.sleep(10); // the group adds a channel after its handshake completes on the server side
            }
            sendAndAwait(viewers.get(1), false, null, 3);
            shared.closing = true;
        }
    }
}
