package io.streamkit.compositor.scene;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Immutable pixels of a still image (a logo, an overlay, a background picture), with alpha. The
 * pixels are copied in on creation and never handed out, so an {@link ImageLayer} stays a true
 * snapshot whatever the caller does with its own image afterwards.
 */
public final class ImageData {

    /** The largest width or height of an image, in pixels. */
    public static final int MAX_DIMENSION = 8192;

    /** The largest encoded image accepted by {@link #decode(byte[])}, in bytes. */
    public static final int MAX_ENCODED_BYTES = 64 << 20;

    private final BufferedImage pixels;

    private ImageData(BufferedImage pixels) {
        this.pixels = pixels;
    }

    /**
     * Copies an image.
     *
     * @param image the image (any type; its alpha is kept)
     * @return the immutable copy
     * @throws IllegalArgumentException when a dimension exceeds {@value #MAX_DIMENSION}
     */
    public static ImageData of(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        checkDimensions(image.getWidth(), image.getHeight());
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB_PRE);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return new ImageData(copy);
    }

    /**
     * Decodes a PNG or JPEG image (or any other format the JDK's ImageIO reads). The dimensions are
     * checked before the pixels are decoded, so a small file announcing a huge image is refused
     * cheaply.
     *
     * @param encoded the encoded image
     * @return the decoded image
     * @throws IllegalArgumentException when the bytes are not a readable image, are larger than
     *                                  {@value #MAX_ENCODED_BYTES} bytes, or describe an image larger
     *                                  than {@value #MAX_DIMENSION} pixels in a dimension
     */
    public static ImageData decode(byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length > MAX_ENCODED_BYTES) {
            throw new IllegalArgumentException(
                    "encoded image is " + encoded.length + " bytes, more than " + MAX_ENCODED_BYTES);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("bytes are not an image in a known format (PNG, JPEG, ...)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                checkDimensions(reader.getWidth(0), reader.getHeight(0));
                return of(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getCause() == null) {
                throw iae;
            }
            throw new IllegalArgumentException("image cannot be decoded: " + e.getMessage(), e);
        }
    }

    private static void checkDimensions(int width, int height) {
        if (width < 1 || height < 1 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "image is " + width + "x" + height + ", outside 1x1.." + MAX_DIMENSION + "x" + MAX_DIMENSION);
        }
    }

    /**
     * Returns the width in pixels.
     *
     * @return the width
     */
    public int width() {
        return pixels.getWidth();
    }

    /**
     * Returns the height in pixels.
     *
     * @return the height
     */
    public int height() {
        return pixels.getHeight();
    }

    /**
     * Returns the size in pixels.
     *
     * @return the size
     */
    public Size size() {
        return new Size(width(), height());
    }

    /**
     * Returns a new, independent copy of the pixels ({@code TYPE_INT_ARGB}).
     *
     * @return the copy
     */
    public BufferedImage toBufferedImage() {
        BufferedImage copy = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(pixels, 0, 0, null);
        } finally {
            g.dispose();
        }
        return copy;
    }

    /**
     * Draws a region of this image scaled into a destination rectangle, with the graphics' current
     * composite, clip and rendering hints.
     *
     * @param g      the target
     * @param dest   the destination rectangle on the target
     * @param source the region of this image, in its pixels
     */
    public void drawTo(Graphics2D g, Rect dest, Rect source) {
        g.drawImage(pixels, dest.x(), dest.y(), dest.right(), dest.bottom(), source.x(), source.y(), source.right(),
                source.bottom(), null);
    }
}
