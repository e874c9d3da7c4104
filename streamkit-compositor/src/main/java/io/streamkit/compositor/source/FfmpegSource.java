package io.streamkit.compositor.source;

import io.streamkit.api.CodecException;
import io.streamkit.api.ReconnectPolicy;
import io.streamkit.compositor.audio.SampleRing;
import io.streamkit.compositor.internal.Decoder;
import io.streamkit.compositor.internal.Ffmpeg;
import io.streamkit.compositor.internal.FrameQueue;
import io.streamkit.compositor.internal.ImageConverter;
import io.streamkit.compositor.internal.MediaClock;
import io.streamkit.compositor.internal.SampleConverter;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source that opens anything FFmpeg opens: a file, an RTMP/SRT/RTSP/HLS/HTTP URL, or a device or
 * {@code lavfi} filter graph with {@link Builder#format(String)}. It demuxes and decodes on its own
 * thread ({@code streamkit-source-ID}), converts video to {@code TYPE_3BYTE_BGR} images (scaled with
 * swscale when {@link Builder#size(int, int)} is set) and audio to 48 kHz stereo.
 *
 * <p>
 * Frames are paced to their timestamps, so a file plays in real time; a file may {@linkplain
 * Builder#loop(boolean) loop}. A network input that fails, ends or sends nothing for the read
 * timeout is reopened with the {@linkplain Builder#reconnect(ReconnectPolicy) reconnect policy}'s
 * back-off; meanwhile the program shows its last frame, then a placeholder. When it returns, its
 * timestamps are re-anchored to the clock (a resync).
 *
 * @see <a href="https://ffmpeg.org/ffmpeg-protocols.html">FFmpeg protocols</a>
 * @see <a href="https://ffmpeg.org/ffmpeg-formats.html">FFmpeg formats</a>
 */
public final class FfmpegSource extends BaseSource implements ProgramTimeSource {

    private static final Logger log = LoggerFactory.getLogger(FfmpegSource.class);
    private static final long MAX_LATE = 1_000_000_000L;
    private static final long MAX_EARLY = 3_000_000_000L;

    private final String url;
    private final String format;
    private final Map<String, String> options;
    private final boolean loop;
    private final ReconnectPolicy reconnect;
    private final boolean paced;
    private final int width;
    private final int height;
    private final long readTimeoutNanos;
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private final MediaClock mediaClock = new MediaClock(MAX_LATE, MAX_EARLY);
    private volatile boolean closed;
    private volatile long deadline = Long.MAX_VALUE;
    private volatile long resyncCount;

    // decode-thread state
    private ImageConverter images;
    private SampleConverter samples;
    private AVRational videoTb;
    private AVRational audioTb;
    private long lastVideoWall = Long.MIN_VALUE;
    private long lastVideoDuration = 33_333_333L;
    private boolean framesThisSession;

    // program-time mode (null queue: wall-clock mode)
    private static final int QUEUED_FRAMES = 4;
    /** How far audio may be decoded ahead of the program in program-time mode. */
    private static final long MAX_AUDIO_AHEAD = 1_000_000_000L;
    private volatile FrameQueue queue;
    private final AtomicLong queued = new AtomicLong();
    private long nextStart;
    private long sessionOffset = Long.MIN_VALUE;
    private long lastProgramTime = Long.MIN_VALUE;

    private FfmpegSource(Builder b) {
        super(b.id, b.audio, b.stall, b.placeholder, System::nanoTime);
        this.url = b.url;
        this.format = b.format;
        this.options = Map.copyOf(b.options);
        this.loop = b.loop;
        this.reconnect = b.reconnect;
        this.paced = b.paced;
        this.width = b.width;
        this.height = b.height;
        this.readTimeoutNanos = b.readTimeout.toNanos();
        this.thread = new Thread(this::run, "streamkit-source-" + b.id);
        this.thread.setDaemon(true);
    }

    /**
     * Starts a builder.
     *
     * @param id  the source id
     * @param url a file path or any URL FFmpeg opens (for {@code lavfi}, the filter graph)
     * @return the builder
     */
    public static Builder builder(String id, String url) {
        return new Builder(id, url);
    }

    /**
     * Returns what is opened.
     *
     * @return the file or URL
     */
    public String url() {
        return url;
    }

    @Override
    public void start() {
        if (closed) {
            throw new IllegalStateException("source " + id() + " is closed");
        }
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    @Override
    long resyncs() {
        return resyncCount;
    }

    @Override
    public void followProgramTime(long startNanos) {
        if (started.get()) {
            throw new IllegalStateException("source " + id() + " already started on the wall clock");
        }
        nextStart = startNanos;
        queue = new FrameQueue(QUEUED_FRAMES);
    }

    @Override
    public boolean advanceTo(long programNanos, long timeoutNanos) throws InterruptedException {
        FrameQueue q = queue;
        if (q == null) {
            throw new IllegalStateException("source " + id() + " follows the wall clock");
        }
        return q.advanceTo(programNanos, timeoutNanos);
    }

    @Override
    public boolean finishedBefore(long programNanos) {
        FrameQueue q = queue;
        return q != null && q.drained() && q.currentTime() < programNanos;
    }

    @Override
    BufferedImage takeNewFrame() {
        FrameQueue q = queue;
        return q == null ? super.takeNewFrame() : q.take();
    }

    @Override
    long framesPublished() {
        return queue == null ? super.framesPublished() : queued.get();
    }

    @Override
    long framesDropped() {
        FrameQueue q = queue;
        return q == null ? super.framesDropped() : q.passed();
    }

    /** Program time of a media timestamp: each session continues where the previous one ended. */
    private long programTime(long ns) {
        if (ns == Long.MIN_VALUE) {
            return lastProgramTime == Long.MIN_VALUE ? nextStart : lastProgramTime + lastVideoDuration;
        }
        if (sessionOffset == Long.MIN_VALUE) {
            sessionOffset = nextStart - ns;
        }
        return ns + sessionOffset;
    }

    /** A new session (loop or reopen) follows the last frame in program time. */
    private void continueProgramTime() {
        if (lastProgramTime != Long.MIN_VALUE) {
            nextStart = lastProgramTime + lastVideoDuration;
        }
        sessionOffset = Long.MIN_VALUE;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        setState(SourceState.CLOSED);
        FrameQueue q = queue;
        if (q != null) {
            q.close();
        }
        if (started.get() && Thread.currentThread() != thread) {
            LockSupport.unpark(thread);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                log.warn("source {}: decode thread did not stop within 10 s", id());
            }
        }
    }

    private final class Interrupt extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            return closed || System.nanoTime() > deadline ? 1 : 0;
        }
    }

    private void run() {
        Interrupt interrupt = new Interrupt();
        images = new ImageConverter();
        samples = new SampleConverter();
        int failures = 0;
        try {
            Ffmpeg.load();
            while (!closed) {
                framesThisSession = false;
                boolean ended;
                try {
                    ended = play(interrupt);
                } catch (RuntimeException e) {
                    if (closed) {
                        break;
                    }
                    error(e.getMessage());
                    log.warn("source {}: {}", id(), e.getMessage());
                    ended = false;
                }
                if (closed) {
                    break;
                }
                if (queue != null) {
                    continueProgramTime();
                }
                if (ended && loop) {
                    restarts.incrementAndGet();
                    mediaClock.continueAt(lastVideoWall == Long.MIN_VALUE
                            ? System.nanoTime()
                            : lastVideoWall + lastVideoDuration);
                    if (framesThisSession) {
                        failures = 0;
                    } else {
                        failures++;
                        if (failures > 3) {
                            setState(SourceState.ENDED);
                            break;
                        }
                    }
                    continue;
                }
                if (reconnect == null) {
                    setState(SourceState.ENDED);
                    break;
                }
                failures = framesThisSession ? 1 : failures + 1;
                setState(framesThisSession || state() != SourceState.CONNECTING
                        ? SourceState.STALLED
                        : SourceState.CONNECTING);
                long wait = reconnect.delay(failures, ThreadLocalRandom.current().nextDouble()).toNanos();
                log.info("source {}: reopening {} in {} ms", id(), url, wait / 1_000_000);
                sleepUntil(System.nanoTime() + wait);
                restarts.incrementAndGet();
                mediaClock.reset();
            }
        } catch (RuntimeException | Error e) {
            error(String.valueOf(e.getMessage()));
            log.error("source {} failed", id(), e);
            setState(SourceState.ENDED);
        } finally {
            FrameQueue q = queue;
            if (q != null) {
                q.end();
            }
            images.close();
            samples.close();
            interrupt.close();
        }
    }

    /** Plays the input once; returns true at its end, false when closed. */
    private boolean play(Interrupt interrupt) {
        AVFormatContext fmt = avformat.avformat_alloc_context();
        fmt.interrupt_callback().callback(interrupt);
        AVInputFormat ifmt = null;
        if (format != null) {
            ifmt = avformat.av_find_input_format(format);
            if (ifmt == null || ifmt.isNull()) {
                avformat.avformat_free_context(fmt);
                throw new CodecException("FFmpeg has no input format '" + format + "'");
            }
        }
        AVDictionary opts = new AVDictionary(null);
        for (Map.Entry<String, String> e : options.entrySet()) {
            avutil.av_dict_set(opts, e.getKey(), e.getValue(), 0);
        }
        deadline = System.nanoTime() + readTimeoutNanos;
        int r = avformat.avformat_open_input(fmt, url, ifmt, opts);
        avutil.av_dict_free(opts);
        if (r < 0) {
            throw new CodecException("cannot open " + url + ": " + Ffmpeg.error(r)); // fmt freed by FFmpeg
        }
        Decoder video = null;
        Decoder audio = null;
        AVPacket pkt = avcodec.av_packet_alloc();
        try {
            Ffmpeg.check(avformat.avformat_find_stream_info(fmt, (PointerPointer<?>) null),
                    "avformat_find_stream_info");
            int vi = avformat.av_find_best_stream(fmt, avutil.AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            int ai = ring() == null
                    ? -1
                    : avformat.av_find_best_stream(fmt, avutil.AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
            if (vi < 0 && ai < 0) {
                throw new CodecException(url + " has no audio or video stream");
            }
            if (vi >= 0) {
                AVStream s = fmt.streams(vi);
                videoTb = s.time_base();
                video = Decoder.open(s.codecpar(), videoTb, 2);
            }
            if (ai >= 0) {
                AVStream s = fmt.streams(ai);
                audioTb = s.time_base();
                audio = Decoder.open(s.codecpar(), audioTb, 1);
            }
            if (queue != null) {
                queue.videoless(video == null);
            }
            log.info("source {}: opened {} (video {}, audio {})", id(), url, video == null ? "none" : video.name(),
                    audio == null ? "none" : audio.name());
            while (!closed) {
                deadline = System.nanoTime() + readTimeoutNanos;
                r = avformat.av_read_frame(fmt, pkt);
                if (r == avutil.AVERROR_EOF) {
                    if (video != null) {
                        video.decode(null, this::onVideo);
                    }
                    if (audio != null) {
                        audio.decode(null, this::onAudio);
                    }
                    log.info("source {}: end of {}", id(), url);
                    return true;
                }
                if (r < 0) {
                    if (closed) {
                        return false;
                    }
                    throw new CodecException("reading " + url + " failed: " + Ffmpeg.error(r));
                }
                try {
                    int err = 0;
                    if (pkt.stream_index() == vi) {
                        err = video.decode(pkt, this::onVideo);
                    } else if (pkt.stream_index() == ai) {
                        err = audio.decode(pkt, this::onAudio);
                    }
                    if (err < 0) {
                        decodeErrors.incrementAndGet();
                        log.debug("source {}: decoder refused a packet: {}", id(), Ffmpeg.error(err));
                    }
                } finally {
                    avcodec.av_packet_unref(pkt);
                }
            }
            return false;
        } finally {
            deadline = Long.MAX_VALUE;
            if (video != null) {
                video.close();
            }
            if (audio != null) {
                audio.close();
            }
            avcodec.av_packet_free(pkt);
            avformat.avformat_close_input(fmt);
        }
    }

    private void onVideo(AVFrame f) {
        if (queue != null) {
            onProgramVideo(f);
            return;
        }
        long ns = Ffmpeg.toNanos(f.best_effort_timestamp(), videoTb);
        long now = System.nanoTime();
        long wall;
        if (ns == Long.MIN_VALUE) {
            wall = lastVideoWall == Long.MIN_VALUE ? now : lastVideoWall + lastVideoDuration;
        } else {
            long before = mediaClock.resyncs();
            wall = mediaClock.wallTime(ns, now);
            if (mediaClock.resyncs() != before) {
                resyncCount++;
            }
        }
        if (f.duration() > 0) {
            lastVideoDuration = Ffmpeg.toNanos(f.duration(), videoTb);
        }
        int w = width > 0 ? width : f.width();
        int h = height > 0 ? height : f.height();
        BufferedImage image = writable(w, h);
        images.convert(f, image);
        if (paced) {
            sleepUntil(wall);
        }
        if (closed) {
            return;
        }
        lastVideoWall = wall;
        framesThisSession = true;
        publishFrame(w, h);
    }

    /** Program-time mode: waits for a free image, then queues the frame at its program time. */
    private void onProgramVideo(AVFrame f) {
        long t = programTime(Ffmpeg.toNanos(f.best_effort_timestamp(), videoTb));
        if (f.duration() > 0) {
            lastVideoDuration = Ffmpeg.toNanos(f.duration(), videoTb);
        }
        if (lastProgramTime != Long.MIN_VALUE && t <= lastProgramTime) {
            t = lastProgramTime + 1; // never backwards, whatever the file says
        }
        int w = width > 0 ? width : f.width();
        int h = height > 0 ? height : f.height();
        FrameQueue q = queue;
        BufferedImage image;
        try {
            image = q.acquire(w, h);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (image == null || closed) {
            return;
        }
        images.convert(f, image);
        q.put(t, image);
        queued.incrementAndGet();
        lastProgramTime = t;
        framesThisSession = true;
        frameDelivered(w, h);
    }

    private void onAudio(AVFrame f) {
        long ns = Ffmpeg.toNanos(f.best_effort_timestamp(), audioTb);
        if (ns == Long.MIN_VALUE) {
            return;
        }
        FrameQueue q = queue;
        if (q != null) {
            long t = programTime(ns);
            try {
                q.awaitProgram(t - MAX_AUDIO_AHEAD);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int n = samples.convert(f);
            writeAudio(t, samples.samples(), n);
            q.audioReached(t + SampleRing.nanos(n));
            return;
        }
        long before = mediaClock.resyncs();
        long wall = mediaClock.wallTime(ns, System.nanoTime());
        if (mediaClock.resyncs() != before) {
            resyncCount++;
        }
        int n = samples.convert(f);
        writeAudio(wall, samples.samples(), n);
    }

    private void sleepUntil(long wall) {
        while (!closed) {
            long left = wall - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(left, 50_000_000L));
        }
    }

    /** Builds a {@link FfmpegSource}. */
    public static final class Builder {
        private final String id;
        private final String url;
        private String format;
        private final Map<String, String> options = new LinkedHashMap<>();
        private boolean loop;
        private ReconnectPolicy reconnect;
        private boolean paced = true;
        private boolean audio = true;
        private int width;
        private int height;
        private Duration stall = DEFAULT_STALL;
        private Duration placeholder = DEFAULT_PLACEHOLDER;
        private Duration readTimeout = Duration.ofSeconds(10);

        private Builder(String id, String url) {
            this.id = Objects.requireNonNull(id, "id");
            this.url = Objects.requireNonNull(url, "url");
            if (url.isBlank()) {
                throw new IllegalArgumentException("source " + id + ": the URL is blank");
            }
            boolean network = url.contains("://") && !url.startsWith("file:");
            this.reconnect = network ? ReconnectPolicy.DEFAULT : null;
        }

        /**
         * Forces an input format (FFmpeg's {@code -f}), for example {@code lavfi} to open a filter
         * graph such as {@code testsrc2=size=1280x720:rate=30}.
         *
         * @param name the FFmpeg input format name
         * @return this builder
         */
        public Builder format(String name) {
            this.format = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets a demuxer or protocol option ({@code rtsp_transport=tcp}, {@code listen=1}...).
         *
         * @param key   the option name
         * @param value its value
         * @return this builder
         */
        public Builder option(String key, String value) {
            options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Plays the input again from the start when it ends (for files).
         *
         * @param on whether to loop; off by default
         * @return this builder
         */
        public Builder loop(boolean on) {
            this.loop = on;
            return this;
        }

        /**
         * Sets how a failed or ended input is reopened; on by default for network URLs with
         * {@link ReconnectPolicy#DEFAULT}, off for files.
         *
         * @param policy the back-off, or {@code null} to end the source at the first failure
         * @return this builder
         */
        public Builder reconnect(ReconnectPolicy policy) {
            this.reconnect = policy;
            return this;
        }

        /**
         * Paces frames to their timestamps (on by default; a file then plays in real time). Off
         * shows each frame as soon as it is decoded, for inputs that arrive in real time anyway.
         *
         * @param on whether to pace
         * @return this builder
         */
        public Builder paced(boolean on) {
            this.paced = on;
            return this;
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
         * Scales frames to a size while converting them (cheaper than scaling at render time when
         * the source is much larger than its place on the canvas).
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
         * Sets how long opening or one read may block before the input counts as failed (10 s by
         * default).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("read timeout must be positive, was " + timeout);
            }
            this.readTimeout = timeout;
            return this;
        }

        /**
         * Builds the source (not started).
         *
         * @return the source
         */
        public FfmpegSource build() {
            return new FfmpegSource(this);
        }
    }
}
