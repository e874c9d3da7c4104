package io.streamkit.compositor.internal;

import io.streamkit.api.CodecException;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FFmpeg encoder with global headers (so the codec configuration is known when it opens);
 * owns its codec context and packet. Not thread-safe: used by the encode thread only.
 */
public final class Encoder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Encoder.class);

    private AVCodecContext ctx;
    private final AVPacket packet;
    private final String name;

    private Encoder(AVCodecContext ctx, String name) {
        this.ctx = ctx;
        this.name = name;
        this.packet = avcodec.av_packet_alloc();
    }

    /**
     * Opens an H.264 (or other video) encoder for YUV 4:2:0 frames.
     *
     * @param codecName the FFmpeg encoder name ({@code libopenh264}, {@code libx264}...)
     * @param width     the width
     * @param height    the height
     * @param fps       frames per second
     * @param bitrate   bits per second
     * @param gop       frames between keyframes
     * @param preset    the encoder preset, or {@code null} (ignored by encoders without one)
     * @param profile   the profile name, or {@code null}
     * @param threads   encoding threads, 0 for FFmpeg's choice
     * @return the encoder; its time base is {@code 1/fps} (as a rational)
     * @throws CodecException when this FFmpeg build has no such encoder or it refuses the settings
     */
    public static Encoder openVideo(String codecName, int width, int height, double fps, long bitrate, int gop,
            String preset, String profile, int threads) {
        Ffmpeg.load();
        AVCodec codec = find(codecName);
        AVCodecContext ctx = avcodec.avcodec_alloc_context3(codec);
        AVRational rate = avutil.av_d2q(fps, 1_001_000);
        ctx.width(width);
        ctx.height(height);
        ctx.pix_fmt(avutil.AV_PIX_FMT_YUV420P);
        ctx.framerate(rate);
        ctx.time_base(Ffmpeg.rational(rate.den(), rate.num()));
        ctx.bit_rate(bitrate);
        ctx.rc_max_rate(bitrate);
        ctx.rc_buffer_size((int) Math.min(Integer.MAX_VALUE, 2 * bitrate));
        ctx.gop_size(gop);
        ctx.keyint_min(gop);
        ctx.max_b_frames(0);
        ctx.thread_count(threads);
        ctx.flags(ctx.flags() | avcodec.AV_CODEC_FLAG_GLOBAL_HEADER);
        AVDictionary opts = new AVDictionary(null);
        if (preset != null) {
            avutil.av_dict_set(opts, "preset", preset, 0);
        }
        if (profile != null) {
            avutil.av_dict_set(opts, "profile", profile, 0);
        }
        return open(ctx, codec, opts);
    }

    /**
     * Opens an AAC (or other audio) encoder for 48 kHz stereo planar float frames.
     *
     * @param codecName the FFmpeg encoder name ({@code aac})
     * @param bitrate   bits per second
     * @return the encoder; its time base is 1/48000
     * @throws CodecException when this FFmpeg build has no such encoder or it refuses the settings
     */
    public static Encoder openAudio(String codecName, long bitrate) {
        Ffmpeg.load();
        AVCodec codec = find(codecName);
        AVCodecContext ctx = avcodec.avcodec_alloc_context3(codec);
        ctx.sample_fmt(avutil.AV_SAMPLE_FMT_FLTP);
        ctx.sample_rate(48_000);
        avutil.av_channel_layout_default(ctx.ch_layout(), 2);
        ctx.bit_rate(bitrate);
        ctx.time_base(Ffmpeg.rational(1, 48_000));
        ctx.flags(ctx.flags() | avcodec.AV_CODEC_FLAG_GLOBAL_HEADER);
        return open(ctx, codec, new AVDictionary(null));
    }

    private static AVCodec find(String codecName) {
        AVCodec codec = avcodec.avcodec_find_encoder_by_name(codecName);
        if (codec == null || codec.isNull()) {
            throw new CodecException("this FFmpeg build has no encoder '" + codecName + "' (libx264 needs the "
                    + "ffmpeg linux-x86_64-gpl natives)");
        }
        return codec;
    }

    private static Encoder open(AVCodecContext ctx, AVCodec codec, AVDictionary opts) {
        String name = codec.name().getString();
        try {
            int r = avcodec.avcodec_open2(ctx, codec, opts);
            if (r < 0) {
                throw new CodecException("cannot open encoder " + name + ": " + Ffmpeg.error(r));
            }
            if (avutil.av_dict_count(opts) > 0) {
                log.debug("encoder {} ignored {} option(s)", name, avutil.av_dict_count(opts));
            }
            return new Encoder(ctx, name);
        } catch (RuntimeException e) {
            avcodec.avcodec_free_context(ctx);
            throw e;
        } finally {
            avutil.av_dict_free(opts);
        }
    }

    /**
     * Returns the encoder's name.
     *
     * @return the FFmpeg codec name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the codec context (for its time base, frame size and extradata).
     *
     * @return the context, owned by this encoder
     */
    public AVCodecContext context() {
        return ctx;
    }

    /**
     * Returns the configuration the encoder wrote at open (SPS/PPS, AudioSpecificConfig).
     *
     * @return a copy of the extradata, empty when there is none
     */
    public byte[] extradata() {
        int n = ctx.extradata_size();
        byte[] out = new byte[Math.max(0, n)];
        if (n > 0) {
            ctx.extradata().position(0).get(out, 0, n);
        }
        return out;
    }

    /**
     * Encodes a frame (or flushes with {@code null}) and hands every packet produced to {@code out}.
     *
     * @param frame the frame, or {@code null} at the end
     * @param out   receives each packet, valid during the call only
     * @throws CodecException when the encoder fails
     */
    public void encode(AVFrame frame, Consumer<AVPacket> out) {
        int r = avcodec.avcodec_send_frame(ctx, frame);
        if (r < 0 && r != avutil.AVERROR_EOF) {
            throw new CodecException("encoder " + name + " refused a frame: " + Ffmpeg.error(r));
        }
        while (true) {
            int got = avcodec.avcodec_receive_packet(ctx, packet);
            if (got == Ffmpeg.EAGAIN || got == avutil.AVERROR_EOF) {
                return;
            }
            if (got < 0) {
                throw new CodecException("encoder " + name + " failed: " + Ffmpeg.error(got));
            }
            try {
                out.accept(packet);
            } finally {
                avcodec.av_packet_unref(packet);
            }
        }
    }

    @Override
    public void close() {
        if (ctx != null) {
            avcodec.avcodec_free_context(ctx);
            ctx = null;
            avcodec.av_packet_free(packet);
        }
    }
}
