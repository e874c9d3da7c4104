package io.streamkit.compositor.transport;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an {@code ffmpeg:} URI asks for: the target FFmpeg opens, StreamKit's options and FFmpeg's.
 *
 * @param target   what FFmpeg opens (a path or a URL)
 * @param format   a forced input format, or {@code null}
 * @param loop     whether a file starts again at its end
 * @param realtime whether packets are sent at their timestamps
 * @param ffmpeg   options passed to FFmpeg's demuxer and protocol
 */
public record FfmpegInputOptions(String target, String format, boolean loop, boolean realtime,
        Map<String, String> ffmpeg) {

    /** Validates and copies. */
    public FfmpegInputOptions {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("ffmpeg URI needs a target after 'ffmpeg:'");
        }
        ffmpeg = Map.copyOf(ffmpeg);
    }

    /**
     * Parses {@code ffmpeg:TARGET[#key=value&...]}.
     *
     * @param uri the URI
     * @return the options
     * @throws IllegalArgumentException when the URI is not an ffmpeg URI, has no target or a bad
     *         option value
     */
    public static FfmpegInputOptions parse(URI uri) {
        if (!"ffmpeg".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not an ffmpeg URI: " + uri);
        }
        String target = uri.getRawSchemeSpecificPart();
        if (target != null && target.startsWith("///")) {
            target = target.substring(2); // ffmpeg:///var/media/a.mp4 → /var/media/a.mp4
        }
        Map<String, String> params = new LinkedHashMap<>();
        String fragment = uri.getRawFragment();
        if (fragment != null && !fragment.isEmpty()) {
            for (String pair : fragment.split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("ffmpeg URI option '" + pair + "' is not key=value");
                }
                params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        boolean network = target != null && target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")
                && !target.startsWith("file://");
        String format = params.remove("format");
        boolean loop = bool(params.remove("loop"), "loop", false);
        boolean realtime = bool(params.remove("realtime"), "realtime", !network && !"lavfi".equals(format));
        return new FfmpegInputOptions(target == null ? null : decode(target), format, loop, realtime, params);
    }

    private static boolean bool(String value, String key, boolean dflt) {
        if (value == null) {
            return dflt;
        }
        return switch (value) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException("ffmpeg URI option " + key + " must be true or false, got '"
                    + value + "'");
        };
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
