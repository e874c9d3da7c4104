package io.streamkit.compositor.transport;

import io.streamkit.api.Codec;
import io.streamkit.api.CodecConfig;
import io.streamkit.api.CodecException;
import io.streamkit.api.MediaPacket;
import io.streamkit.api.Payload;
import io.streamkit.api.TrackInfo;
import io.streamkit.api.TransportException;
import io.streamkit.api.spi.InputSession;
import io.streamkit.api.spi.InputSink;
import io.streamkit.api.spi.TransportContext;
import io.streamkit.compositor.internal.Ffmpeg;
import io.streamkit.compositor.internal.H264Bitstream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pull of an {@code ffmpeg:} input on its own thread: opens the target with libavformat,
 * maps its best video (H.264) and audio (AAC, MP3, Opus) streams to tracks and hands every packet
 * to the stream as a {@link MediaPacket} (H.264 as length-prefixed NAL units with an avcC
 * configuration, AAC without ADTS headers with its AudioSpecificConfig), paced to the timestamps
 * for files. Ends (closing its session) at the end of a non-looping input, on an error, or when
 * closed.
 */
final class FfmpegInputSession implements InputSession {
    private static final Logger log = LoggerFactory.getLogger(FfmpegInputSession.class);
    private static final int VIDEO_TRACK = 0;
    private static final int AUDIO_TRACK = 1;
    private static final int VIDEO_TIMESCALE = 90_000;
    private static final long OPEN_TIMEOUT_NANOS = 10_000_000_000L;

    private final FfmpegInputOptions options;
    private final TransportContext context;
    private final InputSink sink;
    private final CompletableFuture<InputSession> started = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile long deadline;
    private final Interrupt interrupt = new Interrupt();
    private Thread thread;

    // per-run mapping state (reader thread)
    private TrackInfo videoTrack;
    private TrackInfo audioTrack;
    private AVRational videoTb;
    private AVRational audioTb;
    private boolean annexB;
    private boolean adts;
    private long loopOffsetNanos;
    private long lastNanos;
    private long firstNanos = Long.MIN_VALUE;
    private long wallStart;

    FfmpegInputSession(FfmpegInputOptions options, TransportContext context, InputSink sink) {
        this.options = options;
        this.context = context;
        this.sink = sink;
    }

    CompletableFuture<InputSession> start() {
        Ffmpeg.load();
        thread = new Thread(this::run, "streamkit-ffmpeg-input-" + context.endpointId());
        thread.setDaemon(true);
        thread.start();
        return started;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    @Override
    public void close() {
        if (closing.compareAndSet(false, true) && thread != null) {
            thread.interrupt();
        }
    }

    private final class Interrupt extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            return closing.get() || System.nanoTime() > deadline ? 1 : 0;
        }
    }

    private void run() {
        try {
            boolean again;
            do {
                again = readOnce() && options.loop() && !closing.get();
            } while (again);
            closed.complete(null);
        } catch (RuntimeException e) {
            if (!started.isDone()) {
                started.completeExceptionally(e);
            }
            if (closing.get()) {
                closed.complete(null);
            } else {
                log.warn("stream={} endpoint={} ffmpeg input {} failed: {}", context.streamPath(), context
                        .endpointId(), options.target(), e.getMessage());
                closed.completeExceptionally(e);
            }
        } finally {
            started.complete(this);
        }
    }

    /** Reads the input once to its end; returns true at the end of the input, false when closed. */
    private boolean readOnce() {
        AVFormatContext fmt = avformat.avformat_alloc_context();
        fmt.interrupt_callback().callback(interrupt);
        AVInputFormat ifmt = null;
        if (options.format() != null) {
            ifmt = avformat.av_find_input_format(options.format());
            if (ifmt == null || ifmt.isNull()) {
                avformat.avformat_free_context(fmt);
                throw new CodecException("FFmpeg has no input format '" + options.format() + "'");
            }
        }
        AVDictionary opts = new AVDictionary(null);
        for (Map.Entry<String, String> e : options.ffmpeg().entrySet()) {
            avutil.av_dict_set(opts, e.getKey(), e.getValue(), 0);
        }
        deadline = System.nanoTime() + OPEN_TIMEOUT_NANOS;
        int r = avformat.avformat_open_input(fmt, options.target(), ifmt, opts);
        avutil.av_dict_free(opts);
        if (r < 0) {
            throw new TransportException("cannot open " + options.target() + ": " + Ffmpeg.error(r));
        }
        AVPacket pkt = avcodec.av_packet_alloc();
        try {
            Ffmpeg.check(avformat.avformat_find_stream_info(fmt, (PointerPointer<?>) null),
                    "avformat_find_stream_info");
            int vi = avformat.av_find_best_stream(fmt, avutil.AVMEDIA_TYPE_VIDEO, -1, -1,
                    (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
            int ai = avformat.av_find_best_stream(fmt, avutil.AVMEDIA_TYPE_AUDIO, -1, -1,
                    (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
            List<TrackInfo> tracks = mapTracks(fmt, vi, ai);
            if (tracks.isEmpty()) {
                throw new CodecException(options.target() + " has no H.264 video and no AAC, MP3 or Opus audio");
            }
            if (!started.isDone()) {
                sink.tracks(tracks);
                log.info("stream={} endpoint={} ffmpeg input {}: {}", context.streamPath(), context.endpointId(),
                        options.target(), tracks);
                started.complete(this);
            }
            wallStart = System.nanoTime();
            long baseNanos = loopOffsetNanos;
            firstNanos = Long.MIN_VALUE;
            while (!closing.get()) {
                deadline = System.nanoTime() + OPEN_TIMEOUT_NANOS;
                r = avformat.av_read_frame(fmt, pkt);
                if (r == avutil.AVERROR_EOF) {
                    loopOffsetNanos = lastNanos + 33_000_000L;
                    return true;
                }
                if (r < 0) {
                    if (closing.get()) {
                        return false;
                    }
                    throw new TransportException("reading " + options.target() + " failed: " + Ffmpeg.error(r));
                }
                try {
                    if (pkt.stream_index() == vi && videoTrack != null) {
                        video(pkt, baseNanos);
                    } else if (pkt.stream_index() == ai && audioTrack != null) {
                        audio(pkt, baseNanos);
                    }
                } finally {
                    avcodec.av_packet_unref(pkt);
                }
            }
            return false;
        } finally {
            avcodec.av_packet_free(pkt);
            avformat.avformat_close_input(fmt);
        }
    }

    private List<TrackInfo> mapTracks(AVFormatContext fmt, int vi, int ai) {
        List<TrackInfo> tracks = new ArrayList<>();
        videoTrack = null;
        audioTrack = null;
        if (vi >= 0) {
            AVStream s = fmt.streams(vi);
            AVCodecParameters p = s.codecpar();
            if (p.codec_id() == avcodec.AV_CODEC_ID_H264) {
                byte[] extra = extradata(p);
                annexB = extra.length == 0 || extra[0] != 1;
                byte[] avcc = extra.length == 0 ? null : H264Bitstream.avcCFromExtradata(extra);
                if (avcc != null && !annexB && (avcc[4] & 3) != 3) {
                    throw new CodecException(options.target() + ": avcC with " + ((avcc[4] & 3) + 1)
                            + "-byte NAL lengths is not supported");
                }
                videoTb = s.time_base();
                videoTrack = TrackInfo.builder(VIDEO_TRACK, Codec.H264).timescale(VIDEO_TIMESCALE).config(avcc == null
                        ? CodecConfig.EMPTY
                        : CodecConfig.of(avcc)).dimensions(p.width(), p.height()).build();
                tracks.add(videoTrack);
            } else {
                log.warn("stream={} ffmpeg input {}: video codec {} is not carried (H.264 only)", context.streamPath(),
                        options.target(), avcodec.avcodec_get_name(p.codec_id()).getString());
            }
        }
        if (ai >= 0) {
            AVStream s = fmt.streams(ai);
            AVCodecParameters p = s.codecpar();
            Codec codec = p.codec_id() == avcodec.AV_CODEC_ID_AAC
                    ? Codec.AAC
                    : p.codec_id() == avcodec.AV_CODEC_ID_MP3
                            ? Codec.MP3
                            : p.codec_id() == avcodec.AV_CODEC_ID_OPUS ? Codec.OPUS : null;
            if (codec == null) {
                log.warn("stream={} ffmpeg input {}: audio codec {} is not carried (AAC, MP3, Opus)", context
                        .streamPath(), options.target(), avcodec.avcodec_get_name(p.codec_id()).getString());
            } else {
                byte[] extra = extradata(p);
                adts = codec == Codec.AAC && extra.length == 0;
                audioTb = s.time_base();
                int rate = p.sample_rate();
                int channels = p.ch_layout().nb_channels();
                byte[] config = codec == Codec.AAC && extra.length == 0 ? null : extra;
                TrackInfo.Builder b = TrackInfo.builder(AUDIO_TRACK, codec).timescale(rate);
                if (config != null) {
                    b.config(CodecConfig.of(config));
                }
                audioTrack = b.audio(rate, channels).build();
                tracks.add(audioTrack);
            }
        }
        return tracks;
    }

    private void video(AVPacket pkt, long baseNanos) {
        byte[] data = bytes(pkt);
        if (annexB) {
            List<byte[]> nals = H264Bitstream.splitAnnexB(data, data.length);
            if (videoTrack.config().isEmpty()) {
                byte[] sps = null;
                byte[] pps = null;
                for (byte[] nal : nals) {
                    if (H264Bitstream.type(nal) == 7 && sps == null) {
                        sps = nal;
                    } else if (H264Bitstream.type(nal) == 8 && pps == null) {
                        pps = nal;
                    }
                }
                if (sps == null || pps == null || sps.length < 4) {
                    return; // nothing decodable before the first SPS/PPS
                }
                videoTrack = videoTrack.toBuilder().config(CodecConfig.of(H264Bitstream.avcC(sps, pps))).build();
                sink.tracks(audioTrack == null ? List.of(videoTrack) : List.of(videoTrack, audioTrack));
            }
            data = H264Bitstream.toLengthPrefixed(nals);
        } else if (videoTrack.config().isEmpty()) {
            return;
        }
        long dts = pkt.dts() == avutil.AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
        long pts = pkt.pts() == avutil.AV_NOPTS_VALUE ? dts : pkt.pts();
        if (dts == avutil.AV_NOPTS_VALUE) {
            return;
        }
        long dtsNanos = Ffmpeg.toNanos(dts, videoTb);
        long ptsNanos = Ffmpeg.toNanos(pts, videoTb);
        emit(videoTrack, dtsNanos, ptsNanos, (pkt.flags() & avcodec.AV_PKT_FLAG_KEY) != 0, data, baseNanos,
                VIDEO_TIMESCALE);
    }

    private void audio(AVPacket pkt, long baseNanos) {
        byte[] data = bytes(pkt);
        if (adts) {
            if (data.length < 7 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xF0) != 0xF0) {
                return;
            }
            int header = (data[1] & 1) == 1 ? 7 : 9;
            if (audioTrack.config().isEmpty()) {
                int profile = ((data[2] & 0xC0) >> 6) + 1;
                int freqIndex = (data[2] & 0x3C) >> 2;
                int channels = ((data[2] & 1) << 2) | ((data[3] & 0xC0) >> 6);
                byte[] asc = {(byte) ((profile << 3) | (freqIndex >> 1)), (byte) (((freqIndex & 1) << 7)
                        | (channels << 3))};
                audioTrack = audioTrack.toBuilder().config(CodecConfig.of(asc)).build();
                sink.tracks(videoTrack == null ? List.of(audioTrack) : List.of(videoTrack, audioTrack));
            }
            data = Arrays.copyOfRange(data, Math.min(header, data.length), data.length);
        }
        long ts = pkt.pts() == avutil.AV_NOPTS_VALUE ? pkt.dts() : pkt.pts();
        if (ts == avutil.AV_NOPTS_VALUE) {
            return;
        }
        long nanos = Ffmpeg.toNanos(ts, audioTb);
        emit(audioTrack, nanos, nanos, true, data, baseNanos, audioTrack.timescale());
    }

    private void emit(TrackInfo track, long dtsNanos, long ptsNanos, boolean key, byte[] data, long baseNanos,
            int timescale) {
        if (firstNanos == Long.MIN_VALUE) {
            firstNanos = dtsNanos;
        }
        long rel = dtsNanos - firstNanos;
        if (options.realtime()) {
            long due = wallStart + rel;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    return;
                }
            }
        }
        long d = baseNanos + rel;
        long p = baseNanos + (ptsNanos - firstNanos);
        lastNanos = Math.max(lastNanos, d);
        MediaPacket packet = MediaPacket.of(track, d * timescale / 1_000_000_000L, p * timescale / 1_000_000_000L,
                key, Payload.wrap(data));
        sink.packet(packet);
    }

    private static byte[] bytes(AVPacket pkt) {
        byte[] out = new byte[pkt.size()];
        new BytePointer(pkt.data()).capacity(pkt.size()).get(out);
        return out;
    }

    private static byte[] extradata(AVCodecParameters p) {
        int n = p.extradata_size();
        if (n <= 0 || p.extradata() == null || p.extradata().isNull()) {
            return new byte[0];
        }
        byte[] out = new byte[n];
        p.extradata().capacity(n).get(out);
        return out;
    }
}
