package io.streamkit.compositor.internal;

import io.streamkit.api.CodecException;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * One FFmpeg decoder ({@code avcodec_send_packet}/{@code avcodec_receive_frame}); owns its codec
 * context and its frame. Not thread-safe. Frames handed to the consumer are valid during the call
 * only; their {@code best_effort_timestamp} is in nanoseconds when the packets' timestamps are.
 */
public final class Decoder implements AutoCloseable {

    private AVCodecContext ctx;
    private final AVFrame frame;
    private final String name;

    private Decoder(AVCodecContext ctx, String name) {
        this.ctx = ctx;
        this.frame = avutil.av_frame_alloc();
        this.name = name;
    }

    /**
     * Opens a decoder for a demuxed stream.
     *
     * @param par         the stream's codec parameters
     * @param packetTb    the time base of the packets
     * @param threads     decoding threads (0 for FFmpeg's choice)
     * @return the decoder
     * @throws CodecException when FFmpeg has no decoder for the codec or cannot open it
     */
    public static Decoder open(AVCodecParameters par, AVRational packetTb, int threads) {
        Ffmpeg.load();
        AVCodec codec = avcodec.avcodec_find_decoder(par.codec_id());
        if (codec == null || codec.isNull()) {
            throw new CodecException("no FFmpeg decoder for codec id " + par.codec_id());
        }
        AVCodecContext ctx = avcodec.avcodec_alloc_context3(codec);
        try {
            Ffmpeg.check(avcodec.avcodec_parameters_to_context(ctx, par), "avcodec_parameters_to_context");
            return open(ctx, codec, packetTb, threads);
        } catch (RuntimeException e) {
            avcodec.avcodec_free_context(ctx);
            throw e;
        }
    }

    /**
     * Opens a decoder from a codec id and its configuration bytes.
     *
     * @param codecId   an {@code AV_CODEC_ID_*} value
     * @param extradata the configuration (avcC, AudioSpecificConfig...), may be empty
     * @param packetTb  the time base of the packets
     * @param sampleRate the audio sample rate when the configuration does not carry it, else 0
     * @param channels  the audio channel count when the configuration does not carry it, else 0
     * @return the decoder
     * @throws CodecException when FFmpeg has no decoder for the codec or cannot open it
     */
    public static Decoder open(int codecId, byte[] extradata, AVRational packetTb, int sampleRate, int channels) {
        Ffmpeg.load();
        AVCodec codec = avcodec.avcodec_find_decoder(codecId);
        if (codec == null || codec.isNull()) {
            throw new CodecException("no FFmpeg decoder for codec id " + codecId);
        }
        AVCodecContext ctx = avcodec.avcodec_alloc_context3(codec);
        try {
            if (extradata.length > 0) {
                ctx.extradata(Ffmpeg.avCopy(extradata));
                ctx.extradata_size(extradata.length);
            }
            if (sampleRate > 0) {
                ctx.sample_rate(sampleRate);
            }
            if (channels > 0) {
                avutil.av_channel_layout_default(ctx.ch_layout(), channels);
            }
            return open(ctx, codec, packetTb, 1);
        } catch (RuntimeException e) {
            avcodec.avcodec_free_context(ctx);
            throw e;
        }
    }

    private static Decoder open(AVCodecContext ctx, AVCodec codec, AVRational packetTb, int threads) {
        ctx.pkt_timebase(packetTb);
        ctx.thread_count(threads);
        Ffmpeg.check(avcodec.avcodec_open2(ctx, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null),
                "avcodec_open2 (" + codec.name().getString() + ")");
        return new Decoder(ctx, codec.name().getString());
    }

    /**
     * Returns the decoder's name.
     *
     * @return the FFmpeg codec name
     */
    public String name() {
        return name;
    }

    /**
     * Decodes a packet (or drains with {@code null}) and hands every frame it yields to {@code out}.
     *
     * @param packet the packet, or {@code null} to flush at the end of the stream
     * @param out    receives each decoded frame, valid during the call only
     * @return 0, or the negative FFmpeg error for a packet the decoder refused (bad data)
     */
    public int decode(AVPacket packet, Consumer<AVFrame> out) {
        int sent = avcodec.avcodec_send_packet(ctx, packet);
        if (sent == Ffmpeg.EAGAIN) {
            drain(out);
            sent = avcodec.avcodec_send_packet(ctx, packet);
        }
        drain(out);
        return sent == avutil.AVERROR_EOF ? 0 : Math.min(sent, 0);
    }

    private void drain(Consumer<AVFrame> out) {
        while (avcodec.avcodec_receive_frame(ctx, frame) == 0) {
            try {
                out.accept(frame);
            } finally {
                avutil.av_frame_unref(frame);
            }
        }
    }

    /** Drops the decoder's buffered state (after a seek). */
    public void flush() {
        avcodec.avcodec_flush_buffers(ctx);
    }

    @Override
    public void close() {
        if (ctx != null) {
            avcodec.avcodec_free_context(ctx);
            ctx = null;
            avutil.av_frame_free(frame);
        }
    }
}
