package io.streamkit.examples.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.Codec;
import io.streamkit.api.StreamKit;
import io.streamkit.api.TrackInfo;
import io.streamkit.compositor.source.SourceStats;
import io.streamkit.compositor.source.StreamSource;
import io.streamkit.webrtc.client.SfuParticipant;
import io.streamkit.webrtc.sfu.SfuServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A WebRTC guest in the compositor: a libwebrtc participant (webrtc-java) publishes generated
 * 640x360 video and audio into an SFU room; the SFU bridges the participant into a StreamKit stream
 * (VP8 frames reassembled from RTP, Opus packets), and the compositor's stream source decodes it
 * with FFmpeg: frames of the published size and audio must come out.
 */
@Timeout(90)
class SfuGuestSourceIT {

    @Test
    void aGuestsVideoAndAudioAreDecodedFromTheSfu() throws Exception {
        try (StreamKit kit = StreamKit.builder().build()) {
            SfuServer sfu = SfuServer.builder().host("127.0.0.1").httpPort(0).udpPort(0).bridgeTo(kit).build().start();
            URI signaling = URI.create("ws://127.0.0.1:" + sfu.signalingAddress().getPort() + "/ws");
            StreamSource guest = StreamSource.builder("guest", kit.stream("webrtc/studio/ann")).build();
            guest.start();
            try (SfuParticipant ann = SfuParticipant.builder(signaling, "studio").userId("ann").videoSize(640, 360)
                    .frameRate(30).publishAudio(true).connect()) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                SourceStats s = guest.stats();
                while (System.nanoTime() < end && (s.framesDecoded() < 60 || s.audioFrames() < 24_000)) {
                    Thread.sleep(200);
                    s = guest.stats();
                }
                List<TrackInfo> tracks = kit.stream("webrtc/studio/ann").tracks();
                assertTrue(tracks.stream().anyMatch(t -> t.codec() == Codec.VP8), tracks::toString);
                assertTrue(tracks.stream().anyMatch(t -> t.codec() == Codec.OPUS), tracks::toString);
                assertTrue(s.framesDecoded() >= 60, () -> "frames decoded from the guest: " + guest.stats() + ", sent "
                        + ann.framesSent() + ", sfu " + sfu.stats());
                assertEquals(640, s.width(), s::toString);
                assertEquals(360, s.height(), s::toString);
                assertTrue(s.audioFrames() >= 24_000, s::toString);
                assertTrue(guest.takeFrame() != null, "a frame is offered to the renderer");
            } finally {
                guest.close();
                sfu.closeAsync().get(10, TimeUnit.SECONDS);
            }
            Thread.sleep(Duration.ofMillis(100).toMillis());
        }
    }
}
