package io.streamkit.relay.hls;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an HLS request asks for: {@code /{path}/index.m3u8} (multivariant playlist),
 * {@code /{path}/stream.m3u8[?_HLS_msn=N[&_HLS_part=M]]} (media playlist, optionally a blocking
 * reload), {@code /{path}/init.mp4} or {@code initG.mp4} (initialization segment of track
 * generation G), {@code /{path}/segN.m4s} or {@code segN.ts} (media segment) and
 * {@code /{path}/partN.I.m4s} (partial segment). The stream path may contain slashes; it is
 * checked against the characters of stream paths, and {@code .}/{@code ..} segments, empty
 * segments and over-long request targets are refused.
 *
 * @param kind what is asked for
 * @param streamPath the stream path, for example {@code live/show}
 * @param msn the media sequence number (segments, parts, blocking reload), -1 when none
 * @param part the part index (parts, blocking reload), -1 when none
 * @param generation the track generation of an initialization segment, 0 for {@code init.mp4}
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216#section-6.2">RFC 8216, section 6.2: server process</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-pantos-hls-rfc8216bis#section-6.2.5">
 *      draft-pantos-hls-rfc8216bis, section 6.2.5: delivery directives</a>
 */
record HlsRoute(Kind kind, String streamPath, long msn, int part, int generation) {
    /** Longest request target accepted. */
    static final int MAX_URI_LENGTH = 2048;
    /** Longest stream path accepted (as {@code StreamKit.stream}). */
    static final int MAX_PATH_LENGTH = 256;

    private static final Pattern INIT = Pattern.compile("init(\\d{1,9})?\\.mp4");
    private static final Pattern SEGMENT = Pattern.compile("seg(\\d{1,18})\\.(m4s|ts)");
    private static final Pattern PART = Pattern.compile("part(\\d{1,18})\\.(\\d{1,9})\\.m4s");
    private static final Pattern PATH_CHARS = Pattern.compile("[A-Za-z0-9._~/-]+");

    /** The resource kinds. */
    enum Kind {
        MULTIVARIANT, MEDIA, INIT, SEGMENT, PART
    }

    /**
     * @param uri the request target
     * @param format the segment container served
     * @return the route
     * @throws HlsRequestException 414 for an over-long target, 400 for a malformed one (bad
     *         escapes, bad stream path, bad delivery directives), 404 for an unknown file
     */
    static HlsRoute parse(String uri, HlsFormat format) {
        if (uri.length() > MAX_URI_LENGTH) {
            throw new HlsRequestException(414, "request target of " + uri.length() + " characters exceeds "
                    + MAX_URI_LENGTH);
        }
        if (!uri.startsWith("/")) {
            throw new HlsRequestException(400, "request target must be an absolute path");
        }
        QueryStringDecoder decoder;
        String path;
        try {
            decoder = new QueryStringDecoder(uri);
            path = decoder.path();
        } catch (IllegalArgumentException e) {
            throw new HlsRequestException(400, "malformed request target: " + e.getMessage());
        }
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            throw new HlsRequestException(404, "no stream path in " + path + "; use /{path}/index.m3u8");
        }
        String streamPath = path.substring(1, slash);
        String file = path.substring(slash + 1);
        checkStreamPath(streamPath);
        Matcher m;
        switch (file) {
            case HlsPlaylistWriter.MULTIVARIANT_PLAYLIST -> {
                return new HlsRoute(Kind.MULTIVARIANT, streamPath, -1, -1, 0);
            }
            case HlsPlaylistWriter.MEDIA_PLAYLIST -> {
                Map<String, List<String>> q = decoder.parameters();
                long msn = number(q, "_HLS_msn", Long.MAX_VALUE);
                long part = number(q, "_HLS_part", Integer.MAX_VALUE);
                if (part >= 0 && msn < 0) {
                    throw new HlsRequestException(400, "_HLS_part needs _HLS_msn");
                }
                return new HlsRoute(Kind.MEDIA, streamPath, msn, (int) part, 0);
            }
            default -> {
                // files with numbers below
            }
        }
        if ((m = INIT.matcher(file)).matches()) {
            if (format != HlsFormat.FMP4) {
                throw new HlsRequestException(404, "MPEG-TS streams have no initialization segment");
            }
            return new HlsRoute(Kind.INIT, streamPath, -1, -1, m.group(1) == null
                    ? 0
                    : Integer.parseInt(m.group(
                            1)));
        }
        if ((m = SEGMENT.matcher(file)).matches()) {
            if (!m.group(2).equals(format.segmentExtension())) {
                throw new HlsRequestException(404, "segments are ." + format.segmentExtension() + ", not ." + m
                        .group(2));
            }
            return new HlsRoute(Kind.SEGMENT, streamPath, Long.parseLong(m.group(1)), -1, 0);
        }
        if ((m = PART.matcher(file)).matches()) {
            return new HlsRoute(Kind.PART, streamPath, Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), 0);
        }
        throw new HlsRequestException(404, "unknown file " + file);
    }

    private static void checkStreamPath(String p) {
        if (p.isEmpty() || p.length() > MAX_PATH_LENGTH) {
            throw new HlsRequestException(400, "stream path must have 1 to " + MAX_PATH_LENGTH + " characters");
        }
        if (!PATH_CHARS.matcher(p).matches()) {
            throw new HlsRequestException(400, "stream path may only contain A-Z a-z 0-9 . _ ~ / -");
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new HlsRequestException(400, "stream path must not have empty, '.' or '..' segments");
            }
        }
    }

    /** @return the value of a non-negative integer parameter, -1 when absent */
    private static long number(Map<String, List<String>> q, String name, long max) {
        List<String> values = q.get(name);
        if (values == null || values.isEmpty()) {
            return -1;
        }
        String v = values.get(0);
        if (values.size() > 1 || v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HlsRequestException(400, name + " must be one non-negative integer");
        }
        long n = Long.parseLong(v);
        if (n > max) {
            throw new HlsRequestException(400, name + " is out of range");
        }
        return n;
    }
}
