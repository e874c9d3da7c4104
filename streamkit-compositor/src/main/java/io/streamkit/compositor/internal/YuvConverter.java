package io.streamkit.compositor.internal;

import io.streamkit.api.CodecException;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts rendered images ({@code TYPE_3BYTE_BGR}) into YUV 4:2:0 frames of the encoder's size
 * with one swscale call per frame (scaling too when a scene's canvas differs from the encoder's).
 * The native staging buffer and the swscale context are reused. Not thread-safe.
 */
public final class YuvConverter implements AutoCloseable {

    private final int width;
    private final int height;
    private SwsContext sws;
    private BytePointer bgr;
    private BufferedImage staging;
    private final PointerPointer<BytePointer> planes = new PointerPointer<>(4);
    private final IntPointer strides = new IntPointer(4);

    /**
     * Creates a converter.
     *
     * @param width  the frame width
     * @param height the frame height
     */
    public YuvConverter(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /**
     * Allocates a frame of the converter's size.
     *
     * @return a new YUV 4:2:0 frame; the caller frees it with {@code av_frame_free}
     */
    public AVFrame allocateFrame() {
        AVFrame f = avutil.av_frame_alloc();
        f.format(avutil.AV_PIX_FMT_YUV420P);
        f.width(width);
        f.height(height);
        int r = avutil.av_frame_get_buffer(f, 0);
        if (r < 0) {
            avutil.av_frame_free(f);
            throw new CodecException("av_frame_get_buffer " + width + "x" + height + " failed: " + Ffmpeg.error(r));
        }
        return f;
    }

    /**
     * Converts an image into a frame.
     *
     * @param image the rendered image (any type; {@code TYPE_3BYTE_BGR} is copied without a redraw)
     * @param frame a frame from {@link #allocateFrame()}
     */
    public void convert(BufferedImage image, AVFrame frame) {
        BufferedImage src = image;
        if (src.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            if (staging == null || staging.getWidth() != src.getWidth() || staging.getHeight() != src.getHeight()) {
                staging = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            }
            Graphics2D g = staging.createGraphics();
            try {
                g.drawImage(src, 0, 0, null);
            } finally {
                g.dispose();
            }
            src = staging;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        byte[] pixels = ((DataBufferByte) src.getRaster().getDataBuffer()).getData();
        long size = 3L * w * h;
        if (bgr == null || bgr.capacity() < size) {
            if (bgr != null) {
                bgr.close();
            }
            bgr = new BytePointer(size);
        }
        bgr.position(0).put(pixels, 0, (int) size);
        sws = swscale.sws_getCachedContext(sws, w, h, avutil.AV_PIX_FMT_BGR24, width, height,
                avutil.AV_PIX_FMT_YUV420P, swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new CodecException("swscale cannot convert BGR24 " + w + "x" + h + " to YUV420P");
        }
        Ffmpeg.check(avutil.av_frame_make_writable(frame), "av_frame_make_writable");
        planes.put(0, bgr);
        strides.put(0, 3 * w);
        swscale.sws_scale(sws, planes, strides, 0, h, frame.data(), frame.linesize());
    }

    @Override
    public void close() {
        if (sws != null) {
            swscale.sws_freeContext(sws);
            sws = null;
        }
        if (bgr != null) {
            bgr.close();
            bgr = null;
        }
        planes.close();
        strides.close();
    }
}
