package io.streamkit.relay.rtmp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.ConnectionState;
import io.streamkit.api.Input;
import io.streamkit.api.InputConfig;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Publisher;
import io.streamkit.api.ReconnectPolicy;
import io.streamkit.api.StreamKit;
import io.streamkit.api.testkit.RecordingSink;
import io.streamkit.api.testkit.TestMedia;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A pulled RTMP source that goes silent without saying so is detected and reconnected. */
class RtmpSilentSourceTest {

    @Test
    void silentSourceIsReconnected() {
        try (StreamKit kit = StreamKit.builder().transport(new RtmpTransportProvider(null, Duration.ofMillis(700)))
                .publisherGracePeriod(Duration.ZERO).build()) {
            RtmpServer server = RtmpServer.builder(kit).host("127.0.0.1").port(0).threads(1).build().start();
            // live but sending nothing after its metadata
            Publisher quiet = kit.stream("live/quiet").publish(TestMedia.tracks(), PublishPolicy.REJECT, "quiet");
            Input in = kit.stream("pulled/quiet").addInput(InputConfig.of(URI.create("rtmp://127.0.0.1:" + server
                    .localAddress().getPort() + "/live/quiet")).withReconnect(new ReconnectPolicy(Duration.ofMillis(
                            100), Duration.ofMillis(300), 2, 0)));
            RecordingSink.await(Duration.ofSeconds(10), () -> in.stats().connects() >= 2,
                    "the silent source to be reconnected: " + in.stats());
            assertTrue(in.stats().lastError() != null && in.stats().lastError().contains("sent nothing"), in.stats()
                    .lastError());
            assertTrue(in.state() != ConnectionState.CLOSED);
            quiet.close();
        }
    }
}
