package io.streamkit.compositor.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.MediaType;
import io.streamkit.api.StreamKit;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.TrackInfo;
import io.streamkit.compositor.scene.Rect;
import io.streamkit.compositor.scene.Scene;
import io.streamkit.compositor.scene.VideoLayer;
import io.streamkit.compositor.source.FfmpegSource;
import io.streamkit.compositor.source.SourceStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Compositor.Pacing#AS_FAST_AS_POSSIBLE}: program time, every frame once, audio as long as video. */
@Timeout(120)
class CompositorUnpacedTest {
    private static final int FPS = 30;

    private record Seen(MediaType type, long dts, long pts) {
    }

    private static FfmpegSource lavfi(String id, String pattern, double seconds, boolean loop) {
        String graph = pattern + "=size=160x120:rate=" + FPS + ":duration=" + seconds
                + "[out0];sine=frequency=440:sample_rate=48000:duration=" + seconds + "[out1]";
        return FfmpegSource.builder(id, graph).format("lavfi").loop(loop).build();
    }

    private static Compositor.Builder program(StreamKit kit, FfmpegSource a, FfmpegSource b) {
        Scene scene = Scene.builder(320, 120).frameRate(FPS)
                .addLayer(VideoLayer.of("a", new Rect(0, 0, 160, 120)))
                .addLayer(VideoLayer.of("b", new Rect(160, 0, 160, 120))).build();
        return Compositor.builder(kit).scene(scene).source(a).source(b).pacing(Compositor.Pacing.AS_FAST_AS_POSSIBLE)
                .encoder(EncoderSettings.DEFAULT.withVideoBitrate(300_000).withGop(FPS)).publishTo("test/offline");
    }

    @Test
    void everyFrameOnceInOrderAndAudioAsLongAsVideo() throws Exception {
        try (StreamKit kit = StreamKit.builder().discoverTransports(false).build()) {
            List<Seen> seen = new CopyOnWriteArrayList<>();
            kit.stream("test/offline").subscribe(new MediaSink() {
                @Override
                public void onTracks(List<TrackInfo> tracks) {
                }

                @Override
                public void onPacket(MediaPacket p) {
                    seen.add(new Seen(p.mediaType(), p.dts(), p.pts()));
                }
            }, SubscribeOptions.on(Runnable::run));

            FfmpegSource a = lavfi("a", "testsrc2", 2, false);
            FfmpegSource b = lavfi("b", "smptebars", 2, false);
            Compositor program = program(kit, a, b).start();
            try {
                program.finished().get(90, TimeUnit.SECONDS);
                CompositorStats stats = program.stats();
                assertEquals(2 * FPS, stats.framesComposed(), "two seconds of program: " + stats);
                assertEquals(2 * FPS, stats.framesEncoded(), stats.toString());
                assertEquals(0, stats.framesDropped(), "nothing dropped: " + stats);
                assertEquals(0, stats.ticksSkipped(), "nothing skipped: " + stats);
                for (FfmpegSource s : List.of(a, b)) {
                    SourceStats ss = s.stats();
                    assertEquals(2 * FPS, ss.framesDecoded(), "every frame decoded once: " + ss);
                    assertEquals(0, ss.framesDropped(), "no decoded frame thrown away: " + ss);
                    assertTrue(ss.audioFrames() >= 2 * 48_000 - 1024, "the source's audio: " + ss);
                }
            } finally {
                program.close();
            }

            List<Long> videoPts = new ArrayList<>();
            long lastDts = -1;
            long audioEnd = 0;
            int audioPackets = 0;
            for (Seen s : seen) {
                if (s.type() == MediaType.VIDEO) {
                    assertTrue(s.dts() > lastDts, "video decode times increase");
                    lastDts = s.dts();
                    videoPts.add(s.pts());
                } else {
                    audioEnd = Math.max(audioEnd, s.pts() + 1024);
                    audioPackets++;
                }
            }
            videoPts.sort(null);
            assertEquals(2 * FPS, videoPts.size(), "one packet per frame");
            for (int i = 0; i < videoPts.size(); i++) {
                assertEquals(i * 90_000L / FPS, videoPts.get(i), "frame " + i + " at program time " + i + "/" + FPS);
            }
            long videoEndSamples = 2L * 48_000; // 60 frames at 30 fps, in 48 kHz samples
            assertTrue(Math.abs(audioEnd - videoEndSamples) <= 1024, "audio ends within one AAC frame of the video: "
                    + audioEnd + " vs " + videoEndSamples + " samples (" + audioPackets + " packets)");
        }
    }

    @Test
    void aLoopingProgramRunsUntilClosed() throws Exception {
        try (StreamKit kit = StreamKit.builder().discoverTransports(false).build()) {
            Compositor program = program(kit, lavfi("a", "testsrc2", 0.5, true), lavfi("b", "smptebars", 0.5, false))
                    .start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (program.stats().framesEncoded() < 3 * FPS) {
                assertTrue(System.nanoTime() < end, "three seconds of program: " + program.stats());
                Thread.sleep(20);
            }
            assertTrue(!program.finished().isDone(), "a looping source keeps the program going");
            program.close();
            program.finished().get(5, TimeUnit.SECONDS);
        }
    }
}
