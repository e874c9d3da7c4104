package io.streamkit.compositor.source;

import io.streamkit.api.Codec;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.MediaSink;
import io.streamkit.api.MediaType;
import io.streamkit.api.Stream;
import io.streamkit.api.SubscribeOptions;
import io.streamkit.api.Subscription;
import io.streamkit.api.TrackInfo;
import io.streamkit.compositor.internal.Decoder;
import io.streamkit.compositor.internal.Ffmpeg;
import io.streamkit.compositor.internal.ImageConverter;
import io.streamkit.compositor.internal.MediaClock;
import io.streamkit.compositor.internal.SampleConverter;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source that subscribes to a StreamKit {@link Stream} (an RTMP or SRT publisher, a WebRTC guest
 * bridged into a stream, another program) and decodes its packets with FFmpeg's decoders, fed from
 * the packets' payloads and the tracks' codec configuration: H.264, H.265, VP8, VP9 and AV1 video;
 * AAC, Opus, MP3 and G.711 audio. Decoding runs on the source's own thread, which is also the
 * subscription's executor, so a slow decoder makes the stream drop to the next keyframe for this
 * subscriber only. Frames are shown as they arrive; their timestamps place the audio.
 *
 * <p>
 * A packet the decoder refuses is dropped and counted ({@link SourceStats#framesDropped()}); a
 * track change (new codec configuration) reopens the decoder. When the publisher leaves, the
 * source stalls and shows its last frame, then a placeholder, until a publisher returns.
 *
 * @see <a href="https://www.iso.org/standard/83336.html">ISO/IEC 14496-15 (avcC, hvcC)</a>
 */
public final class StreamSource extends BaseSource {

    private static final Logger log = LoggerFactory.getLogger(StreamSource.class);
    private static final AVRational NANOS = Ffmpeg.rational(1, 1_000_000_000);
    private static final int PADDING = 64;

    private final Stream stream;
    private final int width;
    private final int height;
    private final int queueCapacity;
    private final ExecutorService executor;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final MediaClock mediaClock = new MediaClock(1_000_000_000L, 3_000_000_000L);
    private volatile Subscription subscription;

    // decode-thread state
    private TrackInfo videoTrack;
    private TrackInfo audioTrack;
    private Decoder video;
    private Decoder audio;
    private ImageConverter images;
    private SampleConverter samples;
    private AVPacket packet;
    private BytePointer packetData;
    private byte[] scratch = new byte[0];
    private long resyncCount;

    private StreamSource(Builder b) {
        super(b.id, b.audio, b.stall, b.placeholder, System::nanoTime);
        this.stream = b.stream;
        this.width = b.width;
        this.height = b.height;
        this.queueCapacity = b.queueCapacity;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "streamkit-source-" + b.id);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a builder.
     *
     * @param id     the source id
     * @param stream the stream to decode
     * @return the builder
     */
    public static Builder builder(String id, Stream stream) {
        return new Builder(id, stream);
    }

    @Override
    public void start() {
        if (closed.get()) {
            throw new IllegalStateException("source " + id() + " is closed");
        }
        if (started.compareAndSet(false, true)) {
            subscription = stream.subscribe(new Sink(), SubscribeOptions.on(executor)
                    .withQueueCapacity(queueCapacity).withLabel("compositor source " + id()));
        }
    }

    @Override
    long resyncs() {
        return resyncCount;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        setState(SourceState.CLOSED);
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        executor.execute(this::releaseNatives);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("source {}: decode thread did not stop within 10 s", id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void releaseNatives() {
        closeDecoders();
        if (images != null) {
            images.close();
            samples.close();
            images = null;
        }
        if (packet != null) {
            avcodec.av_packet_free(packet);
            packet = null;
        }
        if (packetData != null) {
            packetData.close();
            packetData = null;
        }
    }

    private void closeDecoders() {
        if (video != null) {
            video.close();
            video = null;
        }
        if (audio != null) {
            audio.close();
            audio = null;
        }
    }

    private final class Sink implements MediaSink {
        @Override
        public void onTracks(List<TrackInfo> tracks) {
            if (!closed.get()) {
                tracks(tracks);
            }
        }

        @Override
        public void onPacket(MediaPacket p) {
            if (!closed.get()) {
                packet(p);
            }
        }

        @Override
        public void onUnpublished() {
            log.info("source {}: stream {} unpublished", id(), stream.path());
        }
    }

    private void tracks(List<TrackInfo> tracks) {
        TrackInfo v = null;
        TrackInfo a = null;
        for (TrackInfo t : tracks) {
            if (t.mediaType() == MediaType.VIDEO && v == null) {
                v = t;
            } else if (t.mediaType() == MediaType.AUDIO && a == null && ring() != null) {
                a = t;
            }
        }
        Ffmpeg.load();
        if (images == null) {
            images = new ImageConverter();
            samples = new SampleConverter();
            packet = avcodec.av_packet_alloc();
        }
        if (!Objects.equals(v, videoTrack)) {
            if (video != null) {
                video.close();
                video = null;
            }
            videoTrack = v;
            video = open(v);
        }
        if (!Objects.equals(a, audioTrack)) {
            if (audio != null) {
                audio.close();
                audio = null;
            }
            audioTrack = a;
            audio = open(a);
        }
        mediaClock.reset();
    }

    private Decoder open(TrackInfo t) {
        if (t == null) {
            return null;
        }
        int codecId = codecId(t.codec());
        try {
            Decoder d = Decoder.open(codecId, t.config().toByteArray(), NANOS, t.sampleRate(), t.channels());
            log.info("source {}: decoding track {} ({}) of {} with {}", id(), t.id(), t.codec(), stream.path(),
                    d.name());
            return d;
        } catch (CodecException e) {
            error(e.getMessage());
            log.warn("source {}: cannot decode track {} ({}): {}", id(), t.id(), t.codec(), e.getMessage());
            return null;
        }
    }

    private static int codecId(Codec c) {
        return switch (c) {
            case H264 -> avcodec.AV_CODEC_ID_H264;
            case H265 -> avcodec.AV_CODEC_ID_HEVC;
            case VP8 -> avcodec.AV_CODEC_ID_VP8;
            case VP9 -> avcodec.AV_CODEC_ID_VP9;
            case AV1 -> avcodec.AV_CODEC_ID_AV1;
            case AAC -> avcodec.AV_CODEC_ID_AAC;
            case OPUS -> avcodec.AV_CODEC_ID_OPUS;
            case MP3 -> avcodec.AV_CODEC_ID_MP3;
            case G711_ALAW -> avcodec.AV_CODEC_ID_PCM_ALAW;
            case G711_ULAW -> avcodec.AV_CODEC_ID_PCM_MULAW;
            case G722 -> avcodec.AV_CODEC_ID_ADPCM_G722;
        };
    }

    private void packet(MediaPacket p) {
        Decoder d;
        boolean isVideo;
        if (videoTrack != null && p.trackId() == videoTrack.id()) {
            d = video;
            isVideo = true;
        } else if (audioTrack != null && p.trackId() == audioTrack.id()) {
            d = audio;
            isVideo = false;
        } else {
            return;
        }
        if (d == null || p.size() == 0) {
            return;
        }
        int n = p.size();
        if (scratch.length < n) {
            scratch = new byte[n];
        }
        p.payload().getBytes(0, scratch, 0, n);
        if (packetData == null || packetData.capacity() < n + PADDING) {
            if (packetData != null) {
                packetData.close();
            }
            packetData = new BytePointer((long) n + PADDING + n / 2);
        }
        packetData.position(0).put(scratch, 0, n);
        for (int i = 0; i < PADDING; i++) {
            packetData.put(n + i, (byte) 0);
        }
        packet.data(packetData);
        packet.size(n);
        packet.pts(p.ptsNanos());
        packet.dts(p.dtsNanos());
        packet.flags(p.isKeyframe() ? avcodec.AV_PKT_FLAG_KEY : 0);
        int err;
        try {
            err = isVideo ? d.decode(packet, this::onVideo) : d.decode(packet, this::onAudio);
        } catch (RuntimeException e) {
            err = -1;
            error(e.getMessage());
        }
        if (err < 0) {
            decodeErrors.incrementAndGet();
            log.debug("source {}: {} packet refused by the decoder", id(), isVideo ? "video" : "audio");
        }
    }

    private long wall(AVFrame f) {
        long ts = f.best_effort_timestamp();
        long now = System.nanoTime();
        if (ts == org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE) {
            return now;
        }
        long before = mediaClock.resyncs();
        long w = mediaClock.wallTime(ts, now);
        if (mediaClock.resyncs() != before) {
            resyncCount++;
        }
        return w;
    }

    private void onVideo(AVFrame f) {
        wall(f);
        int w = width > 0 ? width : f.width();
        int h = height > 0 ? height : f.height();
        BufferedImage image = writable(w, h);
        images.convert(f, image);
        publishFrame(w, h);
    }

    private void onAudio(AVFrame f) {
        long wall = wall(f);
        int n = samples.convert(f);
        writeAudio(wall, samples.samples(), n);
    }

    /** Builds a {@link StreamSource}. */
    public static final class Builder {
        private final String id;
        private final Stream stream;
        private boolean audio = true;
        private int width;
        private int height;
        private int queueCapacity = SubscribeOptions.DEFAULT_QUEUE_CAPACITY;
        private Duration stall = DEFAULT_STALL;
        private Duration placeholder = DEFAULT_PLACEHOLDER;

        private Builder(String id, Stream stream) {
            this.id = Objects.requireNonNull(id, "id");
            this.stream = Objects.requireNonNull(stream, "stream");
        }

        /**
         * Decodes the audio (on by default).
         *
         * @param on whether the source has audio for the mixer
         * @return this builder
         */
        public Builder audio(boolean on) {
            this.audio = on;
            return this;
        }

        /**
         * Scales frames to a size while converting them.
         *
         * @param newWidth  the width, 2..8192
         * @param newHeight the height, 2..8192
         * @return this builder
         */
        public Builder size(int newWidth, int newHeight) {
            if (newWidth < 2 || newWidth > 8192 || newHeight < 2 || newHeight > 8192) {
                throw new IllegalArgumentException("size " + newWidth + "x" + newHeight + " is outside 2..8192");
            }
            this.width = newWidth;
            this.height = newHeight;
            return this;
        }

        /**
         * Sets how many packets may wait for the decoder before the subscription drops to the next
         * keyframe.
         *
         * @param capacity the queue capacity
         * @return this builder
         */
        public Builder queueCapacity(int capacity) {
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * Sets the time without a frame after which the source counts as stalled (2 s by default).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder stallTimeout(Duration timeout) {
            this.stall = timeout;
            return this;
        }

        /**
         * Sets the time without a frame after which the placeholder replaces the last frame (5 s by
         * default).
         *
         * @param delay the delay
         * @return this builder
         */
        public Builder placeholderAfter(Duration delay) {
            this.placeholder = delay;
            return this;
        }

        /**
         * Builds the source (not started).
         *
         * @return the source
         */
        public StreamSource build() {
            return new StreamSource(this);
        }
    }
}
