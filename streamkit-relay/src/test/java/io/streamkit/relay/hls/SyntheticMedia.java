package io.streamkit.relay.hls;

import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.Publisher;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.testkit.TestMedia;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic H.264 + AAC stream for the HLS tests: video at a frame rate with a keyframe every
 * GOP, AAC frames of 1024 samples at 48 kHz, all in millisecond timestamps, in decode order. The
 * payloads come from {@link TestMedia}, which counts their releases.
 */
final class SyntheticMedia {
    final TestMedia media = new TestMedia();
    private final double fps;
    private final int gopFrames;
    private final boolean audio;
    private final boolean video;
    private long frame;
    private long audioFrame;
    private final long startMs;

    SyntheticMedia(double fps, int gopFrames, boolean video, boolean audio, long startMs) {
        this.fps = fps;
        this.gopFrames = gopFrames;
        this.video = video;
        this.audio = audio;
        this.startMs = startMs;
    }

    /** 30 fps, a keyframe every 2 s, with audio, starting at 0. */
    static SyntheticMedia standard() {
        return new SyntheticMedia(30, 60, true, true, 0);
    }

    List<TrackInfo> tracks() {
        List<TrackInfo> t = new ArrayList<>();
        if (video) {
            t.add(TestMedia.videoTrack());
        }
        if (audio) {
            t.add(TestMedia.audioTrack());
        }
        return List.copyOf(t);
    }

    private long videoDts(long i) {
        return startMs + Math.round(i * 1000 / fps);
    }

    private long audioDts(long i) {
        return startMs + Math.round(i * 1024 * 1000 / 48000.0);
    }

    /** @return the packets with a decode time before {@code untilMs} not produced yet, in decode order */
    List<MediaPacket> until(long untilMs) {
        List<MediaPacket> out = new ArrayList<>();
        while (true) {
            long v = video ? videoDts(frame) : Long.MAX_VALUE;
            long a = audio ? audioDts(audioFrame) : Long.MAX_VALUE;
            long next = Math.min(v, a);
            if (next >= untilMs) {
                return out;
            }
            if (v <= a) {
                boolean key = frame % gopFrames == 0;
                out.add(media.video(v, key, key ? 3000 : 600));
                frame++;
            } else {
                out.add(media.audio(a, 200));
                audioFrame++;
            }
        }
    }

    /** Gives a sink the packets up to {@code untilMs}, lent as a subscription would, and releases them. */
    void feed(MediaSink sink, long untilMs) {
        for (MediaPacket p : until(untilMs)) {
            try {
                sink.onPacket(p);
            } finally {
                p.release();
            }
        }
    }

    /** Sends the packets up to {@code untilMs} to a publisher (which takes them). */
    void send(Publisher publisher, long untilMs) {
        for (MediaPacket p : until(untilMs)) {
            publisher.send(p);
        }
    }
}
