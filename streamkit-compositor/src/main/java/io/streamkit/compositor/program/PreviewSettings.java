package io.streamkit.compositor.program;

/**
 * The low-rate JPEG preview of the program, for a control page.
 *
 * @param width   the preview width in pixels (the height follows the canvas aspect), 16..1920
 * @param fps     previews per second, above 0 and at most 30
 * @param quality the JPEG quality, {@code 0..1}
 */
public record PreviewSettings(int width, double fps, double quality) {

    /** 480 pixels wide, twice a second, quality 0.7. */
    public static final PreviewSettings DEFAULT = new PreviewSettings(480, 2, 0.7);

    /** Validates every field. */
    public PreviewSettings {
        if (width < 16 || width > 1920) {
            throw new IllegalArgumentException("preview width " + width + " is outside 16..1920");
        }
        if (!(fps > 0 && fps <= 30)) {
            throw new IllegalArgumentException("preview rate " + fps + " is outside (0, 30]");
        }
        if (!(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("JPEG quality " + quality + " is outside 0..1");
        }
    }
}
