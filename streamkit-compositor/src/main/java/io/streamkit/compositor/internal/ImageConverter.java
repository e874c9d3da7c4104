package io.streamkit.compositor.internal;

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
 * Converts decoded video frames (any pixel format and size) into {@code TYPE_3BYTE_BGR} images with
 * swscale, scaling on the way when the image has another size. The swscale context and the native
 * buffer are reused while formats and sizes stay the same. Not thread-safe.
 */
public final class ImageConverter implements AutoCloseable {

    private SwsContext sws;
    private BytePointer buffer;
    private final PointerPointer<BytePointer> planes = new PointerPointer<>(4);
    private final IntPointer strides = new IntPointer(4);

    /**
     * Converts a frame.
     *
     * @param frame  a decoded video frame
     * @param target a {@link BufferedImage#TYPE_3BYTE_BGR} image; receives the frame scaled to its size
     */
    public void convert(AVFrame frame, BufferedImage target) {
        int w = target.getWidth();
        int h = target.getHeight();
        sws = swscale.sws_getCachedContext(sws, frame.width(), frame.height(), frame.format(), w, h,
                avutil.AV_PIX_FMT_BGR24, swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new io.streamkit.api.CodecException("swscale cannot convert pixel format " + frame.format() + " "
                    + frame.width() + "x" + frame.height() + " to BGR24 " + w + "x" + h);
        }
        long size = 3L * w * h;
        if (buffer == null || buffer.capacity() < size) {
            if (buffer != null) {
                buffer.close();
            }
            buffer = new BytePointer(size);
        }
        planes.put(0, buffer);
        strides.put(0, 3 * w);
        swscale.sws_scale(sws, frame.data(), frame.linesize(), 0, frame.height(), planes, strides);
        byte[] pixels = ((DataBufferByte) target.getRaster().getDataBuffer()).getData();
        buffer.position(0).get(pixels, 0, (int) size);
    }

    @Override
    public void close() {
        if (sws != null) {
            swscale.sws_freeContext(sws);
            sws = null;
        }
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
        planes.close();
        strides.close();
    }
}
