package io.streamkit.compositor.program;

import io.streamkit.api.AsyncCloseable;
import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Payload;
import io.streamkit.api.PublishPolicy;
import io.streamkit.api.Publisher;
import io.streamkit.api.Stream;
import io.streamkit.api.StreamKit;
import io.streamkit.api.TrackInfo;
import io.streamkit.compositor.audio.AudioMixer;
import io.streamkit.compositor.audio.SampleRing;
import io.streamkit.compositor.internal.Encoder;
import io.streamkit.compositor.internal.H264Bitstream;
import io.streamkit.compositor.internal.YuvConverter;
import io.streamkit.compositor.render.ScalingQuality;
import io.streamkit.compositor.render.SceneRenderer;
import io.streamkit.compositor.render.VideoFrames;
import io.streamkit.compositor.scene.Scene;
import io.streamkit.compositor.scene.SceneHolder;
import io.streamkit.compositor.source.MediaSource;
import io.streamkit.compositor.source.ProgramTimeSource;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.FloatPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The program: renders the live scene of a {@link SceneHolder} with the frames of its
 * {@link MediaSource}s, mixes their audio, encodes once (H.264 and AAC) and publishes the result
 * into a StreamKit {@link Stream}, so that every output of that stream (RTMP push, SRT, recording,
 * HLS) carries the program.
 *
 * <pre>{@code
 * SceneHolder scene = new SceneHolder(Scene.builder(1280, 720).frameRate(30)
 *         .addLayer(VideoLayer.of("cam", new Rect(0, 0, 1280, 720))).build());
 * Compositor program = Compositor.builder(kit)
 *         .scene(scene)
 *         .source(FfmpegSource.builder("cam", "rtsp://camera/stream").build())
 *         .encoder(EncoderSettings.DEFAULT.withVideoBitrate(4_000_000))
 *         .publishTo("studio/program")
 *         .start();
 * relay.stream("studio/program").push(URI.create("rtmp://a.rtmp.youtube.com/live2/KEY"));
 * }</pre>
 *
 * <p>
 * Threads: each source decodes on its own; the compose thread ({@code streamkit-program-compose})
 * ticks at the scene's frame rate on {@link System#nanoTime()}, renders, converts to YUV and hands
 * the frame to the encode thread ({@code streamkit-program-encode}) through a pool of three
 * frames: when the encoder is behind, the frame is dropped and counted, the clock never waits. A
 * tick reached a frame period late or more is skipped and counted. Audio is mixed in blocks of
 * 1024 samples on the same clock, a fixed latency after real time (so that sources' audio has
 * arrived), and stamped with the program time of its samples: video and audio timestamps both
 * come from the program clock and stay in sync. The video frame rate, canvas size and encoder are
 * fixed at {@link Builder#start()}; a scene with another canvas size is scaled to it. That is the
 * default, {@link Pacing#REAL_TIME}; {@link Pacing#AS_FAST_AS_POSSIBLE} renders on program time
 * instead, as fast as decode, compose and encode go (offline rendering of files).
 *
 * <p>
 * The compositor owns its sources: {@link #close()} (idempotent) stops the threads, flushes the
 * encoders, unpublishes, closes the sources and frees every native resource. The kit closes it too.
 */
public final class Compositor implements AsyncCloseable {

    private static final Logger log = LoggerFactory.getLogger(Compositor.class);

    /** The track id of the program's video. */
    public static final int VIDEO_TRACK = 0;
    /** The track id of the program's audio. */
    public static final int AUDIO_TRACK = 1;
    private static final int VIDEO_TIMESCALE = 90_000;
    private static final int VIDEO_SLOTS = 3;
    private static final int AUDIO_SLOTS = 48;
    private static final long JOIN_MILLIS = 15_000;
    /** How long the unpaced program waits for a source's frame before it moves on without it. */
    private static final long SOURCE_WAIT_NANOS = 2_000_000_000L;

    /** How the program clock runs. */
    public enum Pacing {
        /**
         * The wall clock (the default, for live programs): a frame every 1/fps seconds of
         * {@link System#nanoTime()}, sources shown as their frames arrive, a frame dropped when the
         * encoder is behind.
         */
        REAL_TIME,
        /**
         * Program time, as fast as the machine goes (offline rendering, like FFmpeg without
         * {@code -re}): frame N has the time N/fps and is composed as soon as an encode slot is free
         * and every {@link ProgramTimeSource} has decoded its frame for that time. Those sources
         * decode only a few frames ahead (their decoders wait), so nothing decoded is thrown away
         * and decode, compose and encode overlap on all cores; audio is mixed on the same program
         * time. Other sources (images, test patterns, relay streams, WebRTC guests) are sampled as
         * they are. When every program-time source has ended (none loops), the program ends:
         * {@link Compositor#finished()} completes after the last packet. A live URL in this mode
         * simply arrives at its own pace, and a source that sends nothing for 2 s is passed over.
         */
        AS_FAST_AS_POSSIBLE
    }

    private final SceneHolder holder;
    private final Map<String, MediaSource> sources = new ConcurrentHashMap<>();
    private final AudioMixer mixer = new AudioMixer();
    private final EncoderSettings settings;
    private final PreviewSettings preview;
    private final long audioLatencyNanos;
    private final Stream stream;
    private final int width;
    private final int height;
    private final double fps;
    private final SceneRenderer renderer;
    private final Pacing pacing;
    private volatile long programNanos;
    private volatile boolean endedOnItsOwn;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final AtomicLong sourceWaits = new AtomicLong();

    private final Encoder videoEncoder;
    private final Encoder audioEncoder;
    private final YuvConverter yuv;
    private final AVFrame audioFrame;
    private final List<VideoSlot> videoSlots = new ArrayList<>();
    private final BlockingQueue<VideoSlot> freeVideo = new ArrayBlockingQueue<>(VIDEO_SLOTS);
    private final BlockingQueue<AudioSlot> freeAudio = new ArrayBlockingQueue<>(AUDIO_SLOTS);
    private final BlockingQueue<Object> jobs = new ArrayBlockingQueue<>(VIDEO_SLOTS + AUDIO_SLOTS);
    private final Publisher publisher;
    private TrackInfo videoTrack;
    private final TrackInfo audioTrack;

    private final Thread composeThread;
    private final Thread encodeThread;
    private final Thread previewThread;
    private volatile boolean running = true;
    private volatile boolean composeDone;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private final AtomicLong composed = new AtomicLong();
    private final AtomicLong encoded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong audioBlocks = new AtomicLong();
    private final AtomicLong audioDropped = new AtomicLong();
    private final AtomicLong packets = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long skipped;
    private final TimeWindow renderTimes = new TimeWindow(512);
    private final TimeWindow encodeTimes = new TimeWindow(512);

    private final Object previewLock = new Object();
    private BufferedImage previewImage;
    private boolean previewPending;
    private volatile byte[] previewJpeg;

    private static final class VideoSlot {
        final AVFrame frame;
        long tick;

        VideoSlot(AVFrame frame) {
            this.frame = frame;
        }
    }

    private static final class AudioSlot {
        final float[] pcm = new float[AudioMixer.BLOCK_SAMPLES];
        long block;
    }

    private Compositor(Builder b) {
        Scene scene = b.holder.current();
        this.holder = b.holder;
        this.settings = b.settings;
        this.preview = b.preview;
        this.audioLatencyNanos = b.audioLatency.toNanos();
        this.width = scene.width() & ~1;
        this.height = scene.height() & ~1;
        this.fps = scene.frameRate();
        this.renderer = new SceneRenderer(SceneRenderer.DEFAULT_PLACEHOLDER, b.quality);
        this.pacing = b.pacing;
        this.stream = b.kit.stream(b.path);

        Encoder v = null;
        Encoder a = null;
        YuvConverter y = null;
        AVFrame af = null;
        try {
            v = Encoder.openVideo(settings.videoCodec(), width, height, fps, settings.videoBitrate(),
                    settings.gopFrames(), emptyToNull(settings.preset()), emptyToNull(settings.profile()),
                    settings.threads());
            if (v.context().codec_id() != avcodec.AV_CODEC_ID_H264) {
                throw new CodecException("encoder " + settings.videoCodec() + " does not produce H.264");
            }
            a = Encoder.openAudio(settings.audioCodec(), settings.audioBitrate());
            if (a.context().codec_id() != avcodec.AV_CODEC_ID_AAC) {
                throw new CodecException("encoder " + settings.audioCodec() + " does not produce AAC");
            }
            if (a.context().frame_size() != AudioMixer.BLOCK_FRAMES) {
                throw new CodecException("encoder " + settings.audioCodec() + " wants frames of "
                        + a.context().frame_size() + " samples, not " + AudioMixer.BLOCK_FRAMES);
            }
            byte[] avcC = H264Bitstream.avcCFromExtradata(v.extradata());
            if (avcC == null) {
                throw new CodecException("encoder " + v.name() + " gave no SPS/PPS with global headers");
            }
            y = new YuvConverter(width, height);
            for (int i = 0; i < VIDEO_SLOTS; i++) {
                VideoSlot s = new VideoSlot(y.allocateFrame());
                videoSlots.add(s);
                freeVideo.add(s);
            }
            af = avutil.av_frame_alloc();
            af.format(avutil.AV_SAMPLE_FMT_FLTP);
            af.sample_rate(SampleRing.SAMPLE_RATE);
            af.nb_samples(AudioMixer.BLOCK_FRAMES);
            avutil.av_channel_layout_default(af.ch_layout(), 2);
            io.streamkit.compositor.internal.Ffmpeg.check(avutil.av_frame_get_buffer(af, 0), "av_frame_get_buffer");
            this.videoTrack = TrackInfo.builder(VIDEO_TRACK, Codec.H264).timescale(VIDEO_TIMESCALE)
                    .config(CodecConfig.of(avcC)).dimensions(width, height).bitrate(settings.videoBitrate()).build();
            this.audioTrack = TrackInfo.builder(AUDIO_TRACK, Codec.AAC).timescale(SampleRing.SAMPLE_RATE)
                    .config(CodecConfig.of(a.extradata())).audio(SampleRing.SAMPLE_RATE, 2)
                    .bitrate(settings.audioBitrate()).build();
            this.publisher = stream.publish(List.of(videoTrack, audioTrack), b.policy, "compositor");
        } catch (RuntimeException e) {
            for (VideoSlot s : videoSlots) {
                avutil.av_frame_free(s.frame);
            }
            if (af != null) {
                avutil.av_frame_free(af);
            }
            if (y != null) {
                y.close();
            }
            if (v != null) {
                v.close();
            }
            if (a != null) {
                a.close();
            }
            throw e;
        }
        this.videoEncoder = v;
        this.audioEncoder = a;
        this.yuv = y;
        this.audioFrame = af;
        for (int i = 0; i < AUDIO_SLOTS; i++) {
            freeAudio.add(new AudioSlot());
        }
        for (MediaSource s : b.sources) {
            attach(s);
        }
        this.composeThread = new Thread(pacing == Pacing.REAL_TIME ? this::compose : this::composeUnpaced,
                "streamkit-program-compose");
        this.encodeThread = new Thread(this::encode, "streamkit-program-encode");
        this.previewThread = new Thread(this::previewLoop, "streamkit-program-preview");
        composeThread.setDaemon(true);
        encodeThread.setDaemon(true);
        previewThread.setDaemon(true);
        previewThread.setPriority(Thread.MIN_PRIORITY);
        publisher.revoked().thenRun(() -> {
            if (running) {
                log.warn("program {}: another publisher took the stream over; packets are no longer accepted",
                        stream.path());
            }
        });
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /**
     * Starts a builder.
     *
     * @param kit the kit whose stream the program is published into; it closes the compositor
     * @return the builder
     */
    public static Builder builder(StreamKit kit) {
        return new Builder(kit);
    }

    private void start() {
        for (MediaSource s : sources.values()) {
            s.start();
        }
        encodeThread.start();
        previewThread.start();
        composeThread.start();
        log.info("program {}: {}x{} at {} fps, {} {} kbit/s, {} {} kbit/s", stream.path(), width, height, fps,
                videoEncoder.name(), settings.videoBitrate() / 1000, audioEncoder.name(),
                settings.audioBitrate() / 1000);
    }

    /**
     * Returns the live scene; change it with {@link SceneHolder#update} or a transition.
     *
     * @return the holder
     */
    public SceneHolder scene() {
        return holder;
    }

    /**
     * Returns the mixer, to set each source's gain and mute by source id.
     *
     * @return the mixer
     */
    public AudioMixer mixer() {
        return mixer;
    }

    /**
     * Returns the stream the program is published into.
     *
     * @return the stream
     */
    public Stream stream() {
        return stream;
    }

    /**
     * Adds a source while running and starts it; the compositor owns it from now on. A source with
     * the same id is replaced and closed.
     *
     * @param source the source
     */
    public void addSource(MediaSource source) {
        if (closing.get()) {
            throw new IllegalStateException("the compositor is closed");
        }
        attach(source);
        source.start();
    }

    private void attach(MediaSource source) {
        Objects.requireNonNull(source, "source");
        if (pacing == Pacing.AS_FAST_AS_POSSIBLE && source instanceof ProgramTimeSource p) {
            p.followProgramTime(programNanos);
        }
        MediaSource old = sources.put(source.id(), source);
        source.audio().ifPresentOrElse(ring -> mixer.attach(source.id(), ring), () -> mixer.detach(source.id()));
        if (old != null && old != source) {
            old.close();
        }
    }

    /**
     * Removes a source and closes it; its layers show their last frame, then the placeholder colour.
     *
     * @param id the source id
     * @return whether there was such a source
     */
    public boolean removeSource(String id) {
        MediaSource s = sources.remove(id);
        if (s == null) {
            return false;
        }
        mixer.detach(id);
        s.close();
        return true;
    }

    /**
     * Finds a source.
     *
     * @param id the source id
     * @return the source, or empty
     */
    public Optional<MediaSource> source(String id) {
        return Optional.ofNullable(sources.get(id));
    }

    /**
     * Returns the sources.
     *
     * @return a snapshot
     */
    public List<MediaSource> sources() {
        return List.copyOf(sources.values());
    }

    /**
     * Returns how the program clock runs.
     *
     * @return the pacing
     */
    public Pacing pacing() {
        return pacing;
    }

    /**
     * Completes when the program has ended and its last packets are published: in
     * {@link Pacing#AS_FAST_AS_POSSIBLE} when every program-time source has ended, and in any
     * mode when the compositor is closed. A real-time program ends only when closed.
     *
     * @return the stage
     */
    public CompletableFuture<Void> finished() {
        return finished.copy();
    }

    /**
     * Returns the newest preview picture.
     *
     * @return JPEG bytes (a copy is not made: do not modify), or empty before the first preview
     */
    public Optional<byte[]> previewJpeg() {
        return Optional.ofNullable(previewJpeg);
    }

    /**
     * Returns the counters.
     *
     * @return a snapshot
     */
    public CompositorStats stats() {
        return new CompositorStats(composed.get(), encoded.get(), dropped.get(), skipped, renderTimes.percentile(50),
                encodeTimes.percentile(50), encodeTimes.percentile(99), audioBlocks.get(), audioDropped.get(),
                packets.get(), bytes.get(), mixer.stats());
    }

    // ---------------------------------------------------------------- compose thread

    private void compose() {
        long t0 = System.nanoTime();
        FramePacer pacer = new FramePacer(t0, fps);
        long audioOrigin = SampleRing.position(t0);
        long block = 0;
        VideoFrames frames = id -> {
            MediaSource s = sources.get(id);
            return s == null ? null : s.takeFrame();
        };
        long previewEvery = Math.max(1, Math.round(fps / preview.fps()));
        try {
            while (running) {
                long due = pacer.due();
                long now = System.nanoTime();
                while (running && now < due) {
                    LockSupport.parkNanos(due - now);
                    now = System.nanoTime();
                }
                if (!running) {
                    break;
                }
                long n = pacer.catchUp(now);
                if (n > 0) {
                    skipped = pacer.skipped();
                }
                long tick = pacer.tick();
                long r0 = System.nanoTime();
                BufferedImage image = renderer.render(holder.frame(), frames);
                composed.incrementAndGet();
                VideoSlot slot = freeVideo.poll();
                if (slot == null) {
                    dropped.incrementAndGet();
                } else {
                    yuv.convert(image, slot.frame);
                    slot.tick = tick;
                    jobs.add(slot);
                }
                renderTimes.add(System.nanoTime() - r0);
                if (tick % previewEvery == 0) {
                    offerPreview(image);
                }
                now = System.nanoTime();
                while (now >= t0 + SampleRing.nanos((block + 1) * AudioMixer.BLOCK_FRAMES) + audioLatencyNanos) {
                    AudioSlot a = freeAudio.poll();
                    if (a == null) {
                        audioDropped.incrementAndGet();
                        block++;
                        continue;
                    }
                    mixer.mix(audioOrigin + block * AudioMixer.BLOCK_FRAMES, a.pcm);
                    a.block = block;
                    jobs.add(a);
                    block++;
                }
                pacer.advance();
            }
        } catch (RuntimeException | Error e) {
            log.error("program {}: the compose thread failed", stream.path(), e);
        } finally {
            composeDone = true;
        }
    }

    /**
     * The compose loop of {@link Pacing#AS_FAST_AS_POSSIBLE}: frame N at program time N/fps as soon
     * as an encode slot is free and every program-time source has its frame for that time.
     */
    private void composeUnpaced() {
        long block = 0;
        long tick = 0;
        VideoFrames frames = id -> {
            MediaSource s = sources.get(id);
            return s == null ? null : s.takeFrame();
        };
        long previewEvery = Math.max(1, Math.round(fps / preview.fps()));
        try {
            while (running) {
                long t = Math.round(tick * 1e9 / fps);
                programNanos = t;
                boolean any = false;
                boolean allFinished = true;
                // every program-time source reaches t, hidden ones too, so that their audio keeps coming
                for (MediaSource s : sources.values()) {
                    if (s instanceof ProgramTimeSource p) {
                        any = true;
                        if (!p.advanceTo(t, SOURCE_WAIT_NANOS)) {
                            sourceWaits.incrementAndGet();
                            log.debug("program {}: source {} has no frame for {} ms after 2 s; going on",
                                    stream.path(), s.id(), t / 1_000_000);
                        }
                        allFinished &= p.finishedBefore(t);
                    }
                }
                if (any && allFinished) {
                    endedOnItsOwn = true;
                    break;
                }
                VideoSlot slot = null;
                while (running && slot == null) {
                    slot = freeVideo.poll(50, TimeUnit.MILLISECONDS);
                }
                if (slot == null) {
                    break;
                }
                long r0 = System.nanoTime();
                BufferedImage image = renderer.render(holder.frame(), frames);
                composed.incrementAndGet();
                yuv.convert(image, slot.frame);
                slot.tick = tick;
                jobs.add(slot);
                renderTimes.add(System.nanoTime() - r0);
                if (tick % previewEvery == 0) {
                    offerPreview(image);
                }
                // audio trails the video by the audio latency, so that every source's audio is in
                block = mixUntil(block, t - audioLatencyNanos);
                tick++;
            }
            if (endedOnItsOwn) {
                // the audio up to the end of the last frame
                mixUntil(block, Math.round(tick * 1e9 / fps));
                log.info("program {}: every source ended; {} frames ({} s of program)", stream.path(), tick, String
                        .format(java.util.Locale.ROOT, "%.3f", tick / fps));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("program {}: the compose thread failed", stream.path(), e);
        } finally {
            composeDone = true;
        }
    }

    /** Mixes (waiting for free audio slots) every block that ends by program time {@code until}. */
    private long mixUntil(long block, long until) throws InterruptedException {
        while (running && SampleRing.nanos((block + 1) * AudioMixer.BLOCK_FRAMES) <= until) {
            AudioSlot a = freeAudio.poll(50, TimeUnit.MILLISECONDS);
            if (a == null) {
                continue;
            }
            mixer.mix(block * AudioMixer.BLOCK_FRAMES, a.pcm);
            a.block = block;
            jobs.add(a);
            block++;
        }
        return block;
    }

    private void offerPreview(BufferedImage image) {
        synchronized (previewLock) {
            if (previewPending) {
                return;
            }
            int pw = preview.width();
            int ph = Math.max(1, (int) Math.round((double) pw * image.getHeight() / image.getWidth()));
            if (previewImage == null || previewImage.getWidth() != pw || previewImage.getHeight() != ph) {
                previewImage = new BufferedImage(pw, ph, BufferedImage.TYPE_3BYTE_BGR);
            }
            Graphics2D g = previewImage.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(image, 0, 0, pw, ph, null);
            } finally {
                g.dispose();
            }
            previewPending = true;
            previewLock.notifyAll();
        }
    }

    private void previewLoop() {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality((float) preview.quality());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            while (running) {
                BufferedImage image;
                synchronized (previewLock) {
                    while (running && !previewPending) {
                        previewLock.wait(200);
                    }
                    if (!running) {
                        return;
                    }
                    image = previewImage;
                }
                // the compose thread leaves the image alone while it is pending: encode outside the lock
                out.reset();
                try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                    writer.setOutput(ios);
                    writer.write(null, new IIOImage(image, null, null), param);
                } catch (IOException e) {
                    log.debug("program {}: preview encoding failed: {}", stream.path(), e.toString());
                }
                previewJpeg = out.toByteArray();
                synchronized (previewLock) {
                    previewPending = false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            writer.dispose();
        }
    }

    // ---------------------------------------------------------------- encode thread

    private void encode() {
        AVRational vtb = videoEncoder.context().time_base();
        long vnum = vtb.num();
        long vden = vtb.den();
        float[] l = new float[AudioMixer.BLOCK_FRAMES];
        float[] r = new float[AudioMixer.BLOCK_FRAMES];
        try {
            while (true) {
                Object job = jobs.poll(50, TimeUnit.MILLISECONDS);
                if (job == null) {
                    if (composeDone) {
                        break;
                    }
                    continue;
                }
                if (job instanceof VideoSlot s) {
                    long t = System.nanoTime();
                    s.frame.pts(s.tick);
                    try {
                        videoEncoder.encode(s.frame, p -> publishVideo(p, vnum, vden));
                    } finally {
                        freeVideo.add(s);
                    }
                    encodeTimes.add(System.nanoTime() - t);
                    encoded.incrementAndGet();
                } else if (job instanceof AudioSlot a) {
                    io.streamkit.compositor.internal.Ffmpeg.check(avutil.av_frame_make_writable(audioFrame),
                            "av_frame_make_writable");
                    for (int i = 0; i < AudioMixer.BLOCK_FRAMES; i++) {
                        l[i] = a.pcm[2 * i];
                        r[i] = a.pcm[2 * i + 1];
                    }
                    new FloatPointer(audioFrame.data(0)).put(l, 0, l.length);
                    new FloatPointer(audioFrame.data(1)).put(r, 0, r.length);
                    audioFrame.pts(a.block * AudioMixer.BLOCK_FRAMES);
                    freeAudio.add(a);
                    audioEncoder.encode(audioFrame, this::publishAudio);
                    audioBlocks.incrementAndGet();
                }
            }
            videoEncoder.encode(null, p -> publishVideo(p, vnum, vden));
            audioEncoder.encode(null, this::publishAudio);
            if (endedOnItsOwn) {
                publisher.close();
                finished.complete(null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("program {}: the encode thread failed", stream.path(), e);
            running = false;
        }
    }

    private void publishVideo(AVPacket p, long num, long den) {
        int n = p.size();
        if (n <= 0) {
            return;
        }
        byte[] data = new byte[n];
        p.data().position(0).get(data, 0, n);
        List<byte[]> nals = H264Bitstream.splitAnnexB(data, n);
        byte[] sps = null;
        byte[] pps = null;
        List<byte[]> keep = new ArrayList<>(nals.size());
        for (byte[] nal : nals) {
            int type = H264Bitstream.type(nal);
            if (type == H264Bitstream.NAL_SPS) {
                sps = nal;
            } else if (type == H264Bitstream.NAL_PPS) {
                pps = nal;
            } else if (type != H264Bitstream.NAL_AUD) {
                keep.add(nal);
            }
        }
        if (sps != null && pps != null && sps.length >= 4) {
            CodecConfig config = CodecConfig.of(H264Bitstream.avcC(sps, pps));
            if (!config.equals(videoTrack.config())) {
                videoTrack = videoTrack.toBuilder().config(config).build();
                publisher.updateTracks(List.of(videoTrack, audioTrack));
            }
        }
        if (keep.isEmpty()) {
            return;
        }
        byte[] payload = H264Bitstream.toLengthPrefixed(keep);
        long pts = p.pts() * VIDEO_TIMESCALE * num / den;
        long dts = p.dts() == avutil.AV_NOPTS_VALUE ? pts : p.dts() * VIDEO_TIMESCALE * num / den;
        boolean key = (p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
        send(MediaPacket.of(videoTrack, dts, pts, key, Payload.wrap(payload)), payload.length);
    }

    private void publishAudio(AVPacket p) {
        int n = p.size();
        if (n <= 0 || p.pts() < 0) {
            return; // the encoder's priming frame has a negative timestamp
        }
        byte[] data = new byte[n];
        p.data().position(0).get(data, 0, n);
        send(MediaPacket.of(audioTrack, p.pts(), p.pts(), true, Payload.wrap(data)), n);
    }

    private void send(MediaPacket packet, int size) {
        if (publisher.send(packet)) {
            packets.incrementAndGet();
            bytes.addAndGet(size);
        }
    }

    // ---------------------------------------------------------------- close

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (!closing.compareAndSet(false, true)) {
            return closed;
        }
        try {
            running = false;
            synchronized (previewLock) {
                previewLock.notifyAll();
            }
            if (pacing == Pacing.AS_FAST_AS_POSSIBLE) {
                composeThread.interrupt(); // it may be waiting for a source
            }
            boolean stopped = join(composeThread) & join(encodeThread) & join(previewThread);
            publisher.close();
            for (MediaSource s : sources.values()) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    log.warn("program {}: closing source {} failed", stream.path(), s.id(), e);
                }
            }
            sources.clear();
            if (stopped) {
                videoEncoder.close();
                audioEncoder.close();
                yuv.close();
                for (VideoSlot s : videoSlots) {
                    avutil.av_frame_free(s.frame);
                }
                avutil.av_frame_free(audioFrame);
            } else {
                log.warn("program {}: threads did not stop within {} ms; native buffers are left allocated",
                        stream.path(), JOIN_MILLIS);
            }
            log.info("program {} closed: {}", stream.path(), stats());
            finished.complete(null);
            closed.complete(null);
        } catch (RuntimeException | Error e) {
            closed.completeExceptionally(e);
        }
        return closed;
    }

    private static boolean join(Thread t) {
        if (t.getState() == Thread.State.NEW) {
            return true;
        }
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    /** A window of the last durations, for percentiles. */
    private static final class TimeWindow {
        private final long[] values;
        private int count;
        private int next;

        TimeWindow(int size) {
            this.values = new long[size];
        }

        synchronized void add(long nanos) {
            values[next] = nanos;
            next = (next + 1) % values.length;
            count = Math.min(count + 1, values.length);
        }

        synchronized double percentile(int p) {
            if (count == 0) {
                return 0;
            }
            long[] copy = Arrays.copyOf(values, count);
            Arrays.sort(copy);
            int i = (int) Math.min(count - 1, Math.ceil(p / 100.0 * count) - 1);
            return copy[Math.max(0, i)] / 1e6;
        }
    }

    /** Builds and starts a {@link Compositor}. */
    public static final class Builder {
        private final StreamKit kit;
        private SceneHolder holder;
        private final List<MediaSource> sources = new ArrayList<>();
        private EncoderSettings settings = EncoderSettings.DEFAULT;
        private PreviewSettings preview = PreviewSettings.DEFAULT;
        private Duration audioLatency = Duration.ofMillis(200);
        private String path = "studio/program";
        private PublishPolicy policy = PublishPolicy.REJECT;
        private ScalingQuality quality = ScalingQuality.FAST;
        private Pacing pacing = Pacing.REAL_TIME;

        private Builder(StreamKit kit) {
            this.kit = Objects.requireNonNull(kit, "kit");
        }

        /**
         * Sets the live scene; its canvas size and frame rate at start fix the encoder's.
         *
         * @param sceneHolder the holder
         * @return this builder
         */
        public Builder scene(SceneHolder sceneHolder) {
            this.holder = Objects.requireNonNull(sceneHolder, "sceneHolder");
            return this;
        }

        /**
         * Sets the scene, held in a new {@link SceneHolder} (see {@link Compositor#scene()}).
         *
         * @param scene the first scene
         * @return this builder
         */
        public Builder scene(Scene scene) {
            return scene(new SceneHolder(scene));
        }

        /**
         * Adds a source; the compositor starts and owns it.
         *
         * @param source the source
         * @return this builder
         */
        public Builder source(MediaSource source) {
            sources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /**
         * Sets the encoder settings ({@link EncoderSettings#DEFAULT} otherwise).
         *
         * @param encoderSettings the settings
         * @return this builder
         */
        public Builder encoder(EncoderSettings encoderSettings) {
            this.settings = Objects.requireNonNull(encoderSettings, "encoderSettings");
            return this;
        }

        /**
         * Sets the preview ({@link PreviewSettings#DEFAULT} otherwise).
         *
         * @param previewSettings the settings
         * @return this builder
         */
        public Builder preview(PreviewSettings previewSettings) {
            this.preview = Objects.requireNonNull(previewSettings, "previewSettings");
            return this;
        }

        /**
         * Sets how long after real time each audio block is mixed, so that the sources' audio has
         * arrived (200 ms by default). It delays the audio packets, not their timestamps.
         *
         * @param latency 20 ms..2 s
         * @return this builder
         */
        public Builder audioLatency(Duration latency) {
            if (latency.compareTo(Duration.ofMillis(20)) < 0 || latency.compareTo(Duration.ofSeconds(2)) > 0) {
                throw new IllegalArgumentException("audio latency " + latency + " is outside 20 ms..2 s");
            }
            this.audioLatency = latency;
            return this;
        }

        /**
         * Sets the stream path the program is published into ({@code studio/program} by default).
         *
         * @param streamPath the path
         * @return this builder
         */
        public Builder publishTo(String streamPath) {
            this.path = Objects.requireNonNull(streamPath, "streamPath");
            return this;
        }

        /**
         * Sets what happens when the stream already has a publisher ({@link PublishPolicy#REJECT}
         * by default: {@link #start()} fails).
         *
         * @param publishPolicy the policy
         * @return this builder
         */
        public Builder publishPolicy(PublishPolicy publishPolicy) {
            this.policy = Objects.requireNonNull(publishPolicy, "publishPolicy");
            return this;
        }

        /**
         * Sets how the program clock runs ({@link Pacing#REAL_TIME} by default).
         *
         * @param programPacing the pacing
         * @return this builder
         */
        public Builder pacing(Pacing programPacing) {
            this.pacing = Objects.requireNonNull(programPacing, "programPacing");
            return this;
        }

        /**
         * Sets how scaled frames are resampled by the renderer ({@link ScalingQuality#FAST} by default).
         *
         * @param scaling the quality
         * @return this builder
         */
        public Builder scaling(ScalingQuality scaling) {
            this.quality = Objects.requireNonNull(scaling, "scaling");
            return this;
        }

        /**
         * Opens the encoders, publishes the stream, starts the sources and the threads, and
         * registers the compositor with the kit.
         *
         * @return the running compositor
         * @throws CodecException when an encoder is missing from this FFmpeg build or refuses the
         *                        settings
         * @throws io.streamkit.api.PublishRejectedException when the stream already has a publisher
         *                                                   and the policy is REJECT
         */
        public Compositor start() {
            if (holder == null) {
                throw new IllegalStateException("no scene: call scene(...) before start()");
            }
            Compositor c = new Compositor(this);
            c.start();
            return kit.register(c);
        }
    }
}
