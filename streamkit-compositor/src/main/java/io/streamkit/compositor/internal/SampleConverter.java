package io.streamkit.compositor.internal;

import io.streamkit.api.CodecException;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Resamples decoded audio frames (any format, rate and layout) to 48 kHz stereo interleaved floats
 * with swresample. The context is rebuilt only when the input format changes. Not thread-safe.
 */
public final class SampleConverter implements AutoCloseable {

    private static final int OUT_RATE = 48_000;

    private SwrContext swr;
    private final AVChannelLayout outLayout = new AVChannelLayout();
    private final AVChannelLayout inLayout = new AVChannelLayout();
    private int inFormat = -1;
    private int inRate = -1;
    private BytePointer buffer;
    private final PointerPointer<BytePointer> outPlanes = new PointerPointer<>(1);
    private float[] samples = new float[0];

    /** Creates a converter. */
    public SampleConverter() {
        avutil.av_channel_layout_default(outLayout, 2);
    }

    /**
     * Converts a frame.
     *
     * @param frame a decoded audio frame
     * @return the number of stereo sample frames now in {@link #samples()}
     */
    public int convert(AVFrame frame) {
        if (swr == null || frame.format() != inFormat || frame.sample_rate() != inRate
                || avutil.av_channel_layout_compare(frame.ch_layout(), inLayout) != 0) {
            reopen(frame);
        }
        int max = swresample.swr_get_out_samples(swr, frame.nb_samples());
        if (max < 0) {
            throw new CodecException("swr_get_out_samples failed: " + Ffmpeg.error(max));
        }
        long bytes = 8L * max;
        if (buffer == null || buffer.capacity() < bytes) {
            if (buffer != null) {
                buffer.close();
            }
            buffer = new BytePointer(bytes);
        }
        outPlanes.put(0, buffer);
        int n = swresample.swr_convert(swr, outPlanes, max, frame.extended_data(), frame.nb_samples());
        if (n < 0) {
            throw new CodecException("swr_convert failed: " + Ffmpeg.error(n));
        }
        if (samples.length < 2 * n) {
            samples = new float[2 * n];
        }
        new org.bytedeco.javacpp.FloatPointer(buffer).position(0).get(samples, 0, 2 * n);
        return n;
    }

    /**
     * Returns the samples of the last conversion, left/right interleaved, 48 kHz.
     *
     * @return the reused array (valid until the next conversion)
     */
    public float[] samples() {
        return samples;
    }

    private void reopen(AVFrame frame) {
        if (swr != null) {
            swresample.swr_free(swr);
            swr = null;
        }
        avutil.av_channel_layout_uninit(inLayout);
        Ffmpeg.check(avutil.av_channel_layout_copy(inLayout, frame.ch_layout()), "av_channel_layout_copy");
        inFormat = frame.format();
        inRate = frame.sample_rate();
        SwrContext s = new SwrContext(null);
        Ffmpeg.check(swresample.swr_alloc_set_opts2(s, outLayout, avutil.AV_SAMPLE_FMT_FLT, OUT_RATE, inLayout,
                inFormat, inRate, 0, null), "swr_alloc_set_opts2");
        int r = swresample.swr_init(s);
        if (r < 0) {
            swresample.swr_free(s);
            throw new CodecException("swr_init from format " + inFormat + " at " + inRate + " Hz failed: "
                    + Ffmpeg.error(r));
        }
        swr = s;
    }

    @Override
    public void close() {
        if (swr != null) {
            swresample.swr_free(swr);
            swr = null;
        }
        avutil.av_channel_layout_uninit(inLayout);
        avutil.av_channel_layout_uninit(outLayout);
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
        outPlanes.close();
    }
}
