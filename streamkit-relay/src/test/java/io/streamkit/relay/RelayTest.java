package io.streamkit.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.Output;
import io.streamkit.api.StreamKit;
import io.streamkit.relay.hls.HlsServer;
import io.streamkit.relay.record.RecordingOptions;
import io.streamkit.relay.rtmp.RtmpServer;
import io.streamkit.relay.srt.SrtServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayTest {

    @Test
    void startsServersAddsOutputsAndClosesWhatItStarted(@TempDir Path dir) throws Exception {
        try (StreamKit kit = StreamKit.builder().build()) {
            Relay relay = Relay.on(kit);
            RtmpServer rtmp = relay.rtmp(b -> b.host("127.0.0.1").port(0));
            SrtServer srt = relay.srt(b -> b.host("127.0.0.1").port(0));
            HlsServer hls = relay.hls(b -> b.host("127.0.0.1").port(0));
            assertTrue(accepts(rtmp.localAddress()));
            assertTrue(accepts(hls.localAddress()));
            assertTrue(srt.localAddress().getPort() > 0);
            Output rec = relay.stream("live/show").record(RecordingOptions.mp4(dir).segment(Duration.ofMinutes(10)));
            assertEquals("file", rec.config().uri().getScheme());
            Output push = relay.stream("live/show").push(URI.create("rtmp://127.0.0.1:1/live/x"));
            assertEquals(2, kit.stream("live/show").outputs().size());
            push.close();
            InetSocketAddress rtmpAddress = rtmp.localAddress();
            InetSocketAddress hlsAddress = hls.localAddress();
            relay.close();
            relay.close(); // idempotent
            assertTrue(!accepts(rtmpAddress) && !accepts(hlsAddress), "servers closed with the relay");
            assertThrows(IllegalStateException.class, () -> relay.rtmp(b -> b.port(0)));
            assertTrue(Files.isDirectory(dir));
        }
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
