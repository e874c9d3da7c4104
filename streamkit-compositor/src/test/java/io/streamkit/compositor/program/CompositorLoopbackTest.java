package io.streamkit.compositor.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.Codec;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.MediaType;
import io.streamkit.api.StreamKit;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.TrackInfo;
import io.streamkit.compositor.internal.H264Bitstream;
import io.streamkit.compositor.scene.Rect;
import io.streamkit.compositor.scene.Scene;
import io.streamkit.compositor.scene.TextLayer;
import io.streamkit.compositor.scene.VideoLayer;
import io.streamkit.compositor.source.SourceState;
import io.streamkit.compositor.source.StreamSource;
import io.streamkit.compositor.source.TestPatternSource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole pipeline in-process: test pattern, compose, encode, publish, subscribe, decode again. */
@Timeout(60)
class CompositorLoopbackTest {

    private static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private record Seen(MediaType type, long dts, long pts, boolean key, byte[] payload) {
    }

    @Test
    void programIsPublishedAndDecodesAgain() throws Exception {
        try (StreamKit kit = StreamKit.builder().discoverTransports(false).build()) {
            List<TrackInfo> tracks = new CopyOnWriteArrayList<>();
            List<Seen> seen = new CopyOnWriteArrayList<>();
            kit.stream("test/program").subscribe(new MediaSink() {
                @Override
                public void onTracks(List<TrackInfo> t) {
                    tracks.clear();
                    tracks.addAll(t);
                }

                @Override
                public void onPacket(MediaPacket p) {
                    seen.add(new Seen(p.mediaType(), p.dts(), p.pts(), p.isKeyframe(), p.payload().toByteArray()));
                }
            }, SubscribeOptions.on(Runnable::run));

            Scene scene = Scene.builder(320, 180).frameRate(25)
                    .addLayer(VideoLayer.of("bars", new Rect(0, 0, 320, 180)))
                    .addLayer(TextLayer.of("title", "loopback", new Rect(10, 10, 200, 40))).build();
            Compositor program = Compositor.builder(kit).scene(scene)
                    .source(TestPatternSource.builder("bars").size(320, 180).frameRate(25).tone(true).build())
                    .encoder(EncoderSettings.DEFAULT.withVideoBitrate(500_000).withGop(25))
                    .preview(new PreviewSettings(160, 5, 0.6)).publishTo("test/program").start();
            StreamSource decoded = StreamSource.builder("again", kit.stream("test/program")).build();
            decoded.start();
            try {
                await("two seconds of program", () -> program.stats().framesEncoded() >= 50
                        && program.stats().audioBlocks() >= 60);
                await("decoded frames", () -> decoded.stats().framesDecoded() >= 10);
                assertEquals(SourceState.LIVE, decoded.state());
                BufferedImage frame = decoded.takeFrame();
                assertNotNull(frame);
                assertEquals(320, frame.getWidth());
                assertTrue(decoded.stats().audioFrames() > 0, decoded.stats().toString());
                byte[] jpeg = program.previewJpeg().orElseThrow();
                BufferedImage preview = ImageIO.read(new ByteArrayInputStream(jpeg));
                assertEquals(160, preview.getWidth());
                assertEquals(90, preview.getHeight());
            } finally {
                decoded.close();
                program.close();
                program.close();
            }

            CompositorStats stats = program.stats();
            assertTrue(stats.packetsPublished() > 0, stats.toString());
            assertTrue(stats.encodeMillisP99() >= stats.encodeMillisP50());
            TrackInfo video = tracks.stream().filter(t -> t.codec() == Codec.H264).findFirst().orElseThrow();
            TrackInfo audio = tracks.stream().filter(t -> t.codec() == Codec.AAC).findFirst().orElseThrow();
            assertEquals(1, video.config().unsignedByte(0), "avcC version");
            assertEquals(320, video.width());
            assertEquals(48_000, audio.sampleRate());
            assertFalse(audio.config().isEmpty(), "AudioSpecificConfig");

            Seen firstVideo = seen.stream().filter(s -> s.type() == MediaType.VIDEO).findFirst().orElseThrow();
            assertTrue(firstVideo.key(), "the program starts with a keyframe");
            long lastVideo = -1;
            long lastAudio = -1;
            int keyframes = 0;
            for (Seen s : seen) {
                if (s.type() == MediaType.VIDEO) {
                    List<byte[]> nals = H264Bitstream.splitLengthPrefixed(s.payload());
                    assertFalse(nals.isEmpty());
                    assertTrue(s.dts() > lastVideo, "video timestamps increase");
                    lastVideo = s.dts();
                    keyframes += s.key() ? 1 : 0;
                } else {
                    assertTrue(s.pts() > lastAudio, "audio timestamps increase");
                    assertEquals(0, s.pts() % 1024, "one AAC frame per 1024 samples");
                    lastAudio = s.pts();
                }
            }
            assertTrue(keyframes >= 2, "a keyframe every 25 frames, saw " + keyframes);
        }
    }

    @Test
    void missingEncoderIsASpecificError() {
        try (StreamKit kit = StreamKit.builder().discoverTransports(false).build()) {
            CodecException e = assertThrows(CodecException.class, () -> Compositor.builder(kit)
                    .scene(Scene.builder(64, 64).build())
                    .encoder(EncoderSettings.DEFAULT.withVideoCodec("no-such-encoder")).start());
            assertTrue(e.getMessage().contains("no-such-encoder"), e.getMessage());
        }
    }
}
