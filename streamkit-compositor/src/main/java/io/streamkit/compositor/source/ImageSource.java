package io.streamkit.compositor.source;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A still picture as a video source (a slide, a "be right back" card, a camera placeholder): it is
 * always {@link SourceState#LIVE}, has no audio and never stalls. The image is copied at
 * construction. For logos and overlays drawn with alpha, prefer an
 * {@link io.streamkit.compositor.scene.ImageLayer}; an image source is for pictures placed where
 * video sources go (layouts, picture-in-picture).
 */
public final class ImageSource extends BaseSource {

    /** The largest width or height accepted, in pixels. */
    public static final int MAX_SIZE = 8192;

    private final BufferedImage image;
    private boolean taken;

    /**
     * Creates a source showing a copy of an image.
     *
     * @param id    the source id
     * @param image the image
     */
    public ImageSource(String id, BufferedImage image) {
        super(id, false, Duration.ofDays(36500), Duration.ofDays(36500), System::nanoTime);
        if (image.getWidth() > MAX_SIZE || image.getHeight() > MAX_SIZE) {
            throw new IllegalArgumentException("image " + image.getWidth() + "x" + image.getHeight()
                    + " is larger than " + MAX_SIZE + " pixels");
        }
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(),
                image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        this.image = copy;
        setState(SourceState.LIVE);
    }

    /**
     * Reads a PNG or JPEG file.
     *
     * @param id   the source id
     * @param file the image file
     * @return the source
     * @throws IllegalArgumentException when the file is not a readable image
     */
    public static ImageSource read(String id, Path file) {
        try {
            return new ImageSource(id, io.streamkit.compositor.scene.ImageData.decode(Files.readAllBytes(file))
                    .toBufferedImage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read image " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void start() {
        // nothing to decode
    }

    @Override
    public synchronized BufferedImage takeFrame() {
        if (taken) {
            return null;
        }
        taken = true;
        return image;
    }

    @Override
    public SourceStats stats() {
        return new SourceStats(id(), state(), 1, 0, 0, 0, 0, image.getWidth(), image.getHeight(), "");
    }

    @Override
    public void close() {
        setState(SourceState.CLOSED);
    }
}
