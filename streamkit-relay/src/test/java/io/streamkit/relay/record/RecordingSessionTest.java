package io.streamkit.relay.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaType;
import io.streamkit.api.TrackInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code file} transport's session with both formats: naming, rotation, listing and retention. */
class RecordingSessionTest {
    private static final TrackInfo VIDEO = TestMedia.h264(0, 1000);
    private static final TrackInfo AUDIO = TestMedia.aac(1, 1000);

    @TempDir
    Path root;

    /** Records 3.4 s of 30 fps video (a keyframe every 0.5 s) and AAC, with timestamps from 7 s. */
    private List<RecordedFile> record(RecordingOptions options) throws Exception {
        RecordingSession session = new RecordingSession(options, "live/x");
        List<MediaPacket> in = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 102; i++) {
            long dts = 7000 + i * 1000L / 30;
            in.add(TestMedia.video(VIDEO, dts, dts, i % 15 == 0, TestMedia.accessUnit(random, i % 15 == 0, 2000)));
        }
        for (long t = 7000; t < 7000 + 3400; t += 21) {
            in.add(TestMedia.audio(AUDIO, t, new byte[]{1, 2, 3, 4}));
        }
        in.sort(Comparator.comparingLong(MediaPacket::dts));
        session.executor().execute(() -> session.onTracks(List.of(VIDEO, AUDIO)));
        for (MediaPacket p : in) {
            session.executor().execute(() -> {
                try {
                    session.onPacket(p);
                } finally {
                    p.release();
                }
            });
        }
        session.close();
        session.closeFuture().get(10, TimeUnit.SECONDS);
        return RecordedFile.list(root, "live/x");
    }

    @Test
    void mpegTsFilesRotateAtKeyframesAndAreListed() throws Exception {
        List<RecordedFile> files = record(RecordingOptions.mpegTs(root).segment(Duration.ofSeconds(1)));
        assertEquals(4, files.size(), "cuts at 1, 2 and 3 s: " + files);
        int frames = 0;
        for (RecordedFile f : files) {
            assertTrue(
                    f.path().getFileName().toString().matches("\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d(-\\d)?\\.ts"),
                    f.toString());
            assertEquals(root.resolve("live/x"), f.path().getParent());
            assertEquals(Files.size(f.path()), f.size());
            assertNotNull(f.start());
            assertFalse(f.duration().isNegative());
            byte[] ts = Files.readAllBytes(f.path());
            assertEquals(0, TestMedia.pid(ts, 0), "PAT first in " + f);
            TestMedia.Demuxed d = TestMedia.demux(ts);
            assertEquals(0, d.errors());
            List<TestMedia.Frame> video = d.of(MediaType.VIDEO);
            assertTrue(video.get(0).keyframe(), "starts at a keyframe: " + f);
            assertEquals(0, video.get(0).dts(), "starts at zero: " + f);
            long audioStart = d.of(MediaType.AUDIO).get(0).dts();
            assertTrue(audioStart >= 0 && audioStart < 21 * 90, "audio within one frame of zero: " + audioStart);
            frames += video.size();
        }
        assertEquals(102, frames, "every frame in exactly one file");
    }

    @Test
    void retentionKeepsTheNewestMpegTsFile() throws Exception {
        List<RecordedFile> files = record(RecordingOptions.mpegTs(root).segment(Duration.ofSeconds(1)).retain(
                Duration.ZERO, 1));
        assertEquals(1, files.size(), files.toString());
        assertEquals(12, TestMedia.demux(files.get(0).path()).of(MediaType.VIDEO).size(), "the last 0.4 s");
    }

    @Test
    void mp4FilesStillRotate() throws Exception {
        List<RecordedFile> files = record(RecordingOptions.mp4(root).segment(Duration.ofSeconds(1)));
        assertEquals(4, files.size(), files.toString());
        assertTrue(files.stream().allMatch(f -> f.path().toString().endsWith(".mp4")), files.toString());
    }
}
