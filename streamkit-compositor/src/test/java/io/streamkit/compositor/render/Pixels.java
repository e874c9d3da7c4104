package io.streamkit.compositor.render;

import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/** Test helpers: solid images and pixel checks. */
final class Pixels {

    private Pixels() {
    }

    static BufferedImage solid(int w, int h, Color color) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }

    static void assertColor(BufferedImage image, int x, int y, Color expected, int tolerance) {
        Color actual = new Color(image.getRGB(x, y), false);
        if (Math.abs(actual.getRed() - expected.getRed()) > tolerance
                || Math.abs(actual.getGreen() - expected.getGreen()) > tolerance
                || Math.abs(actual.getBlue() - expected.getBlue()) > tolerance) {
            fail("pixel (" + x + ", " + y + ") is " + actual + ", expected " + expected + " +-" + tolerance);
        }
    }

    static void assertColor(BufferedImage image, int x, int y, Color expected) {
        assertColor(image, x, y, expected, 0);
    }
}
