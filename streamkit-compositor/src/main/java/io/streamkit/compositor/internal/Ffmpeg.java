package io.streamkit.compositor.internal;

import io.streamkit.api.CodecException;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/** Helpers around FFmpeg's C API: loading, error texts, time bases. */
public final class Ffmpeg {

    /** {@code AVERROR(EAGAIN)} on Linux. */
    public static final int EAGAIN = -11;

    private static volatile boolean loaded;

    private Ffmpeg() {
    }

    /** Loads the native libraries once and registers devices (lavfi) and the network layer. */
    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (Ffmpeg.class) {
            if (!loaded) {
                avutil.av_log_set_level(avutil.AV_LOG_ERROR);
                avdevice.avdevice_register_all();
                avformat.avformat_network_init();
                loaded = true;
            }
        }
    }

    /**
     * Returns FFmpeg's text for an error code.
     *
     * @param err a negative FFmpeg error code
     * @return the text
     */
    public static String error(int err) {
        byte[] buf = new byte[256];
        avutil.av_strerror(err, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + err + ")";
    }

    /**
     * Throws a {@link CodecException} when {@code ret} is an error.
     *
     * @param ret  an FFmpeg return value
     * @param what what was attempted, for the message
     * @return {@code ret} when it is not an error
     */
    public static int check(int ret, String what) {
        if (ret < 0) {
            throw new CodecException(what + " failed: " + error(ret));
        }
        return ret;
    }

    /**
     * Converts a timestamp to nanoseconds.
     *
     * @param ts a timestamp
     * @param tb its time base
     * @return nanoseconds, or {@link Long#MIN_VALUE} for {@code AV_NOPTS_VALUE}
     */
    public static long toNanos(long ts, AVRational tb) {
        if (ts == avutil.AV_NOPTS_VALUE) {
            return Long.MIN_VALUE;
        }
        return avutil.av_rescale_q(ts, tb, rational(1, 1_000_000_000));
    }

    /**
     * Returns a new rational.
     *
     * @param num the numerator
     * @param den the denominator
     * @return the value
     */
    public static AVRational rational(int num, int den) {
        return new AVRational().num(num).den(den);
    }

    /**
     * Copies bytes into memory allocated with {@code av_malloc}, followed by the zeroed padding
     * FFmpeg's readers may touch, for fields FFmpeg frees itself (extradata).
     *
     * @param bytes the bytes
     * @return the native copy
     */
    public static BytePointer avCopy(byte[] bytes) {
        int padding = 64;
        Pointer p = avutil.av_mallocz(bytes.length + padding);
        if (p == null || p.isNull()) {
            throw new CodecException("av_mallocz of " + (bytes.length + padding) + " bytes failed");
        }
        BytePointer b = new BytePointer(p).capacity(bytes.length + padding);
        b.put(bytes, 0, bytes.length);
        return b;
    }
}
