package io.streamkit.compositor.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Decoding images for image layers: PNG round trip (opaque pixels exact, transparent ones stay
 * transparent), and garbage refused with the documented exception.
 */
class ImageDataProperties {

    private static byte[] png(int w, int h, int seed) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = (seed * 31 + x * 7919 + y * 104729) & 0xFFFFFF;
                image.setRGB(x, y, rgb | (((x + y + seed) & 1) == 0 ? 0xFF000000 : 0));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Property(tries = 100)
    void pngRoundTripKeepsEveryPixelAndItsAlpha(@ForAll @IntRange(min = 1, max = 40) int w,
            @ForAll @IntRange(min = 1, max = 40) int h, @ForAll int seed) throws IOException {
        byte[] encoded = png(w, h, seed);
        BufferedImage expected = ImageIO.read(new java.io.ByteArrayInputStream(encoded));
        BufferedImage decoded = ImageData.decode(encoded).toBufferedImage();
        assertEquals(w, decoded.getWidth());
        assertEquals(h, decoded.getHeight());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int e = expected.getRGB(x, y);
                int a = decoded.getRGB(x, y);
                if ((e >>> 24) == 0) {
                    assertEquals(0, a >>> 24, "transparent pixel stays transparent");
                } else {
                    assertEquals(e, a, "pixel (" + x + ", " + y + ")");
                }
            }
        }
    }

    @Property(tries = 300)
    void randomBytesAreRefusedWithIllegalArgumentException(@ForAll @Size(max = 512) byte[] garbage) {
        assertThrows(IllegalArgumentException.class, () -> ImageData.decode(garbage));
    }

    @Property(tries = 200)
    void truncatedOrCorruptedPngsDecodeOrFailWithIllegalArgumentException(@ForAll @IntRange(min = 0, max = 100) int cut,
            @ForAll @IntRange(min = 0, max = 10_000) int flipAt) throws IOException {
        byte[] full = png(23, 17, 5);
        byte[] bytes = Arrays.copyOf(full, full.length * cut / 100);
        if (bytes.length > 0) {
            bytes[flipAt % bytes.length] ^= 0x5A;
        }
        try {
            ImageData.decode(bytes);
        } catch (IllegalArgumentException expected) {
            // the documented failure
        }
    }
}
