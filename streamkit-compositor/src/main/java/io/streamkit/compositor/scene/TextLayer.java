package io.streamkit.compositor.scene;

import java.awt.Color;
import java.util.Objects;

/**
 * A layer of text: a title, a lower third, a clock. Lines are separated by {@code '\n'} (there is
 * no automatic wrapping). The text block sits at the top of the bounds, aligned horizontally by
 * {@link #alignment()}; an optional background box surrounds it with {@link #boxPadding()} pixels
 * of margin; everything is clipped to the bounds. A live-updated text (a clock) is a scene update
 * that replaces the text: see {@link Scene#withText(String, String)}.
 *
 * <p>
 * Colours carry their own alpha; a fully transparent colour (as in {@link #NONE}) draws nothing.
 *
 * @param id           the layer id
 * @param text         the text, at most {@value #MAX_TEXT_LENGTH} characters
 * @param fontFamily   the font family ({@code "SansSerif"}, {@code "DejaVu Sans"}, ...); an
 *                     unknown family falls back to the JDK's default font
 * @param fontSize     the font size in pixels, {@code 1..}{@value #MAX_FONT_SIZE}
 * @param bold         whether the font is bold
 * @param color        the colour of the glyphs
 * @param outlineColor the colour of the glyph outline
 * @param outlineWidth the outline width in pixels, {@code 0..}{@value #MAX_OUTLINE_WIDTH}; 0 for
 *                     none
 * @param boxColor     the colour of the background box
 * @param boxPadding   pixels between the text and the box edges, {@code 0..}{@value #MAX_PADDING}
 * @param alignment    the horizontal alignment
 * @param properties   the common properties (crop and scale mode are ignored)
 */
public record TextLayer(String id, String text, String fontFamily, int fontSize, boolean bold, Color color,
        Color outlineColor, int outlineWidth, Color boxColor, int boxPadding, TextAlignment alignment,
        LayerProperties properties) implements Layer {

    /** A fully transparent colour, meaning "none" for the outline or the box. */
    public static final Color NONE = new Color(0, 0, 0, 0);
    /** The longest text accepted, in characters. */
    public static final int MAX_TEXT_LENGTH = 4096;
    /** The largest font size, in pixels. */
    public static final int MAX_FONT_SIZE = 1000;
    /** The largest outline width, in pixels. */
    public static final int MAX_OUTLINE_WIDTH = 100;
    /** The largest box padding, in pixels. */
    public static final int MAX_PADDING = 1000;

    /** Validates the layer. */
    public TextLayer {
        Layer.checkId(id);
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("text of layer '" + id + "' is " + text.length()
                    + " characters long, more than " + MAX_TEXT_LENGTH);
        }
        if (fontFamily == null || fontFamily.isBlank()) {
            throw new IllegalArgumentException("text layer '" + id + "' has a blank font family");
        }
        if (fontSize < 1 || fontSize > MAX_FONT_SIZE) {
            throw new IllegalArgumentException(
                    "font size " + fontSize + " of layer '" + id + "' is outside 1.." + MAX_FONT_SIZE);
        }
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(outlineColor, "outlineColor (use TextLayer.NONE)");
        if (outlineWidth < 0 || outlineWidth > MAX_OUTLINE_WIDTH) {
            throw new IllegalArgumentException(
                    "outline width " + outlineWidth + " of layer '" + id + "' is outside 0.." + MAX_OUTLINE_WIDTH);
        }
        Objects.requireNonNull(boxColor, "boxColor (use TextLayer.NONE)");
        if (boxPadding < 0 || boxPadding > MAX_PADDING) {
            throw new IllegalArgumentException(
                    "box padding " + boxPadding + " of layer '" + id + "' is outside 0.." + MAX_PADDING);
        }
        Objects.requireNonNull(alignment, "alignment");
        Objects.requireNonNull(properties, "properties");
    }

    /**
     * Returns a text layer in white 32-pixel {@code SansSerif}, left-aligned, without outline or
     * box.
     *
     * @param id     the layer id
     * @param text   the text; {@code '\n'} separates lines
     * @param bounds the box the text is laid out and clipped in, in canvas pixels
     * @return the layer
     */
    public static TextLayer of(String id, String text, Rect bounds) {
        return new TextLayer(id, text, "SansSerif", 32, false, Color.WHITE, NONE, 0, NONE, 0, TextAlignment.LEFT,
                LayerProperties.of(bounds));
    }

    /**
     * Returns the lines of the text.
     *
     * @return the lines, split at {@code '\n'}
     */
    public String[] lines() {
        return text.split("\n", -1);
    }

    @Override
    public TextLayer withProperties(LayerProperties newProperties) {
        return new TextLayer(id, text, fontFamily, fontSize, bold, color, outlineColor, outlineWidth, boxColor,
                boxPadding, alignment, newProperties);
    }

    /**
     * Returns a copy with another text.
     *
     * @param newText the text
     * @return the copy
     */
    public TextLayer withText(String newText) {
        return new TextLayer(id, newText, fontFamily, fontSize, bold, color, outlineColor, outlineWidth, boxColor,
                boxPadding, alignment, properties);
    }

    /**
     * Returns a copy with another font.
     *
     * @param family  the font family
     * @param size    the size in pixels
     * @param isBold  whether bold
     * @return the copy
     */
    public TextLayer withFont(String family, int size, boolean isBold) {
        return new TextLayer(id, text, family, size, isBold, color, outlineColor, outlineWidth, boxColor,
                boxPadding, alignment, properties);
    }

    /**
     * Returns a copy with another glyph colour.
     *
     * @param newColor the colour
     * @return the copy
     */
    public TextLayer withColor(Color newColor) {
        return new TextLayer(id, text, fontFamily, fontSize, bold, newColor, outlineColor, outlineWidth, boxColor,
                boxPadding, alignment, properties);
    }

    /**
     * Returns a copy with an outline around the glyphs.
     *
     * @param newColor the outline colour
     * @param width    the outline width in pixels (0 for none)
     * @return the copy
     */
    public TextLayer withOutline(Color newColor, int width) {
        return new TextLayer(id, text, fontFamily, fontSize, bold, color, newColor, width, boxColor, boxPadding,
                alignment, properties);
    }

    /**
     * Returns a copy with a background box behind the text.
     *
     * @param newColor the box colour ({@link #NONE} for none)
     * @param padding  pixels between the text and the box edges
     * @return the copy
     */
    public TextLayer withBox(Color newColor, int padding) {
        return new TextLayer(id, text, fontFamily, fontSize, bold, color, outlineColor, outlineWidth, newColor,
                padding, alignment, properties);
    }

    /**
     * Returns a copy with another alignment.
     *
     * @param newAlignment the alignment
     * @return the copy
     */
    public TextLayer withAlignment(TextAlignment newAlignment) {
        return new TextLayer(id, text, fontFamily, fontSize, bold, color, outlineColor, outlineWidth, boxColor,
                boxPadding, newAlignment, properties);
    }
}
