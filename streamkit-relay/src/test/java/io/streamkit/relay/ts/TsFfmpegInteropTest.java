package io.streamkit.relay.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.api.Codec;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.TrackInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known answers from Debian's ffmpeg: transport streams it writes are demuxed to the expected
 * tracks and frames, and what {@link TsMuxer} writes from them probes and decodes without errors.
 */
class TsFfmpegInteropTest {
    @TempDir
    Path dir;

    @Test
    void demuxesFfmpegH264AacAndRemuxesForFfmpeg() throws Exception {
        TsTesting.run(dir, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f",
                "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "2", "-c:v", "libx264", "-g", "30",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts", "x.ts");
        TsTesting.Recorder recorder = new TsTesting.Recorder();
        try {
            TsDemuxer demuxer = TsTesting.demux(Files.readAllBytes(dir.resolve("x.ts")), List.of(), recorder);
            List<TrackInfo> tracks = recorder.lastTracks();
            assertEquals(2, tracks.size(), tracks.toString());
            TrackInfo video = tracks.get(0);
            assertEquals(Codec.H264, video.codec());
            assertEquals(0, video.id());
            assertEquals(1280, video.width());
            assertEquals(720, video.height());
            assertEquals(90_000, video.timescale());
            TrackInfo audio = tracks.get(1);
            assertEquals(Codec.AAC, audio.codec());
            assertEquals(1, audio.id());
            assertEquals(48_000, audio.sampleRate());
            assertEquals(1, audio.channels(), "the sine source is mono, which ffmpeg's aac encoder keeps");
            assertArrayEquals(new byte[]{0x11, (byte) 0x88}, audio.config().toByteArray()); // AAC-LC 48 kHz mono
            assertEquals(List.of(0L, 0L, 0L, 0L, 0L), List.of(demuxer.continuityErrors(), demuxer.syncLosses(),
                    demuxer.pesErrors(), demuxer.psiErrors(), demuxer.droppedBeforeConfig()));

            List<MediaPacket> frames = recorder.track(0);
            assertEquals(60, frames.size());
            assertTrue(frames.get(0).isKeyframe());
            assertTrue(frames.get(30).isKeyframe());
            for (int i = 1; i < frames.size(); i++) {
                assertEquals(3000, frames.get(i).dts() - frames.get(i - 1).dts(), "30 fps in 90 kHz");
                assertTrue(frames.get(i).pts() >= frames.get(i).dts());
                assertEquals(0x09 == (frames.get(i).payload().getByte(4) & 0x1F), false, "AUD dropped");
            }
            List<MediaPacket> sound = recorder.track(1);
            assertTrue(sound.size() >= 93 && sound.size() <= 97, sound.size() + " AAC frames in 2 s");
            for (int i = 1; i < sound.size(); i++) {
                assertEquals(1920, sound.get(i).pts() - sound.get(i - 1).pts(), "1024 samples at 48 kHz");
            }

            byte[] remuxed = TsTesting.mux(tracks, recorder.packets);
            Path y = dir.resolve("y.ts");
            Files.write(y, remuxed);
            String probe = TsTesting.run(dir, "ffprobe", "-v", "error", "-show_entries",
                    "stream=codec_name,width,height", "-of", "compact", "y.ts");
            assertTrue(probe.contains("codec_name=h264|width=1280|height=720"), probe);
            assertTrue(probe.contains("codec_name=aac"), probe);
            assertEquals("", TsTesting.run(dir, "ffmpeg", "-v", "error", "-i", "y.ts", "-f", "null", "-").trim());
            String count = TsTesting.run(dir, "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", "y.ts");
            // ffprobe lists the stream once on its own and once in its program
            assertEquals(List.of("60"), count.lines().filter(l -> !l.isBlank()).distinct().toList());

            // and back: the remuxed stream demuxes to the same packets
            TsTesting.Recorder again = new TsTesting.Recorder();
            try {
                TsTesting.demux(remuxed, List.of(), again);
                assertEquals(tracks, again.lastTracks());
                assertEquals(summaries(recorder.track(0)), summaries(again.track(0)));
                assertEquals(summaries(recorder.track(1)), summaries(again.track(1)));
            } finally {
                again.releaseAll();
            }
        } finally {
            recorder.releaseAll();
        }
    }

    @Test
    void demuxesFfmpegHevcMp3AndRemuxes() throws Exception {
        TsTesting.run(dir, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f",
                "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "1", "-c:v", "libx265", "-x265-params",
                "log-level=error:keyint=25", "-pix_fmt", "yuv420p", "-c:a", "libmp3lame", "-ac", "2", "-f", "mpegts",
                "h.ts");
        checkRemux("h.ts", Codec.H265, 640, 360, 25, Codec.MP3, 44100, 2, "hevc", "mp3");
    }

    @Test
    void demuxesFfmpegOpusAndRemuxes() throws Exception {
        TsTesting.run(dir, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f",
                "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "1", "-c:v", "libx264", "-pix_fmt",
                "yuv420p", "-c:a", "libopus", "-ac", "2", "-f", "mpegts", "o.ts");
        checkRemux("o.ts", Codec.H264, 320, 240, 30, Codec.OPUS, 48000, 2, "h264", "opus");
    }

    private void checkRemux(String file, Codec videoCodec, int width, int height, int frames, Codec audioCodec,
            int rate, int channels, String videoName, String audioName) throws Exception {
        TsTesting.Recorder recorder = new TsTesting.Recorder();
        try {
            TsDemuxer demuxer = TsTesting.demux(Files.readAllBytes(dir.resolve(file)), List.of(), recorder);
            List<TrackInfo> tracks = recorder.lastTracks();
            assertEquals(2, tracks.size(), tracks.toString());
            assertEquals(videoCodec, tracks.get(0).codec());
            assertEquals(width, tracks.get(0).width());
            assertEquals(height, tracks.get(0).height());
            assertEquals(audioCodec, tracks.get(1).codec());
            assertEquals(rate, tracks.get(1).sampleRate());
            assertEquals(channels, tracks.get(1).channels());
            assertEquals(frames, recorder.track(0).size());
            assertTrue(recorder.track(0).get(0).isKeyframe());
            assertTrue(recorder.track(1).size() > 10);
            assertEquals(0, demuxer.pesErrors() + demuxer.continuityErrors() + demuxer.psiErrors());

            Files.write(dir.resolve("re-" + file), TsTesting.mux(tracks, recorder.packets));
            String probe = TsTesting.run(dir, "ffprobe", "-v", "error", "-show_entries",
                    "stream=codec_name,width,height", "-of", "compact", "re-" + file);
            assertTrue(probe.contains("codec_name=" + videoName + "|width=" + width + "|height=" + height), probe);
            assertTrue(probe.contains("codec_name=" + audioName), probe);
            assertEquals("", TsTesting.run(dir, "ffmpeg", "-v", "error", "-i", "re-" + file, "-f", "null", "-")
                    .trim());
        } finally {
            recorder.releaseAll();
        }
    }

    private static List<TsTesting.Summary> summaries(List<MediaPacket> packets) {
        List<TsTesting.Summary> out = new ArrayList<>();
        packets.forEach(p -> out.add(TsTesting.Summary.of(p)));
        return out;
    }
}
