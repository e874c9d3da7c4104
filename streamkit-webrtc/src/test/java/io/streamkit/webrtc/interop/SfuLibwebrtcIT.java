package io.streamkit.webrtc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.webrtc.client.ReceivedVideo;
import io.streamkit.webrtc.client.SfuParticipant;
import io.streamkit.webrtc.sfu.PeerStats;
import io.streamkit.webrtc.sfu.SfuServer;
import io.streamkit.webrtc.sfu.SfuStats;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libwebrtc (through webrtc-java) against the SFU: real participants publish generated video,
 * the SFU forwards it, and the other participant's decoder must deliver frames of the published
 * size. Everything runs on 127.0.0.1 with ephemeral ports.
 */
class SfuLibwebrtcIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** More than 60 decoded frames: two seconds of video at 30 fps. */
    private static final long MIN_FRAMES = 61;

    private SfuServer sfu;
    private URI signaling;

    @BeforeEach
    void startSfu() {
        sfu = SfuServer.builder().host("127.0.0.1").httpPort(0).udpPort(0).reconnectGrace(Duration.ofSeconds(2))
                .build().start();
        InetSocketAddress address = sfu.signalingAddress();
        signaling = URI.create("ws://127.0.0.1:" + address.getPort() + "/ws");
    }

    @AfterEach
    void stopSfu() {
        if (sfu != null) {
            sfu.close();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aViewerDecodesThePublishersVideoThroughTheSfu() throws InterruptedException {
        try (SfuParticipant ann = SfuParticipant.builder(signaling, "interop").userId("ann").videoSize(640, 360)
                .frameRate(30).publishAudio(true).connect();
                SfuParticipant bob = SfuParticipant.builder(signaling, "interop").userId("bob").publishVideo(false)
                        .connect()) {
            String annId = ann.peerId();
            assertTrue(bob.remotePeers().contains(annId) || waitForPeer(bob, annId), "bob never saw ann join");

            assertTrue(bob.awaitFrames(annId, MIN_FRAMES, WAIT),
                    () -> "bob decoded too few frames of ann: " + bob.receivedVideo() + ", ann sent "
                            + ann.framesSent() + ", sfu " + summary(sfu.stats()) + ", errors " + bob.errors());
            ReceivedVideo video = bob.receivedVideo().get(annId);
            assertEquals(640, video.width(), () -> "width of " + video);
            assertEquals(360, video.height(), () -> "height of " + video);
            assertTrue(bob.subscriberConnected());
            assertTrue(ann.publisherConnected());
            assertTrue(bob.receivedVideo().keySet().stream().allMatch(annId::equals),
                    () -> "bob received video from someone else: " + bob.receivedVideo());

            SfuStats stats = sfu.stats();
            assertTrue(stats.packetsForwarded() >= MIN_FRAMES, () -> "forwarded: " + summary(stats));
            PeerStats annStats = peer(stats, annId);
            PeerStats bobStats = peer(stats, bob.peerId());
            assertTrue(annStats.publishedTracks() >= 1 && annStats.packetsIn() > 0, () -> "ann: " + annStats);
            assertTrue(bobStats.forwardedTracks() >= 1 && bobStats.packetsOut() > 0, () -> "bob: " + bobStats);
            assertEquals(0, stats.srtpErrors(), () -> summary(stats));
            assertTrue(ann.errors().isEmpty() && bob.errors().isEmpty(), () -> ann.errors() + " " + bob.errors());
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoPublishersDecodeEachOther() throws InterruptedException {
        try (SfuParticipant ann = SfuParticipant.builder(signaling, "both").userId("ann").videoSize(640, 360)
                .connect();
                SfuParticipant bob = SfuParticipant.builder(signaling, "both").userId("bob").videoSize(320, 240)
                        .frameRate(20).connect()) {
            String annId = ann.peerId();
            String bobId = bob.peerId();

            assertTrue(bob.awaitFrames(annId, MIN_FRAMES, WAIT),
                    () -> "bob: " + bob.receivedVideo() + " sfu " + summary(sfu.stats()) + " " + bob.errors());
            assertTrue(ann.awaitFrames(bobId, MIN_FRAMES, WAIT),
                    () -> "ann: " + ann.receivedVideo() + " sfu " + summary(sfu.stats()) + " " + ann.errors());
            ReceivedVideo annAtBob = bob.receivedVideo().get(annId);
            ReceivedVideo bobAtAnn = ann.receivedVideo().get(bobId);
            assertEquals(640, annAtBob.width(), () -> annAtBob.toString());
            assertEquals(360, annAtBob.height(), () -> annAtBob.toString());
            assertEquals(320, bobAtAnn.width(), () -> bobAtAnn.toString());
            assertEquals(240, bobAtAnn.height(), () -> bobAtAnn.toString());
            assertTrue(sfu.stats().packetsForwarded() >= 2 * MIN_FRAMES, () -> summary(sfu.stats()));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closingTwiceIsHarmlessAndTheRoomEmpties() throws InterruptedException {
        SfuParticipant ann = SfuParticipant.builder(signaling, "leave").userId("ann").connect();
        String annId = ann.peerId();
        assertTrue(sfu.hub().room("leave").isPresent());
        ann.close();
        ann.close();
        assertTrue(ann.closeAsync().isDone());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sfu.hub().room("leave").isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(sfu.hub().room("leave").isEmpty(), () -> annId + " still in " + sfu.hub().room("leave"));
    }

    private static boolean waitForPeer(SfuParticipant participant, String peerId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (participant.remotePeers().contains(peerId)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static PeerStats peer(SfuStats stats, String peerId) {
        return stats.peers().stream().filter(p -> p.peerId().equals(peerId)).findFirst()
                .orElseThrow(() -> new AssertionError("no stats for " + peerId + ": " + stats.peers()));
    }

    private static String summary(SfuStats s) {
        return "forwarded=" + s.packetsForwarded() + " in=" + s.datagramsIn() + " out=" + s.datagramsOut()
                + " srtpErrors=" + s.srtpErrors() + " unroutable=" + s.unroutable() + " unknownSsrc="
                + s.unknownSsrc() + " dtlsFailures=" + s.dtlsFailures() + " peers=" + s.peers();
    }
}
