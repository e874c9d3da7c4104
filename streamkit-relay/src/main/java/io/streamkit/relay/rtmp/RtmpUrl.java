package io.streamkit.relay.rtmp;

import java.net.URI;
import java.util.Locale;

/**
 * An {@code rtmp://} or {@code rtmps://} URL split the way RTMP servers expect:
 * {@code rtmp://host:port/app/streamName?query}. The application is the first path segment; the
 * stream name is the rest, with the query kept on it (servers read keys from there).
 *
 * @param tls whether the scheme is {@code rtmps}
 * @param host the host
 * @param port the port (1935 for rtmp, 443 for rtmps when absent)
 * @param app the application
 * @param streamName the stream name, including any {@code ?query}
 */
public record RtmpUrl(boolean tls, String host, int port, String app, String streamName) {

    /**
     * @param uri an rtmp or rtmps URI
     * @return the parts
     * @throws IllegalArgumentException when the URI lacks a host, an app or a stream name
     */
    public static RtmpUrl parse(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("rtmp") && !scheme.equals("rtmps")) {
            throw new IllegalArgumentException("not an rtmp or rtmps URI: " + io.streamkit.api.Uris.redact(uri));
        }
        boolean tls = scheme.equals("rtmps");
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("RTMP URI without a host: " + io.streamkit.api.Uris.redact(uri));
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("RTMP URI needs /app/streamName: " + io.streamkit.api.Uris.redact(
                    uri));
        }
        String name = path.substring(slash + 1);
        if (uri.getRawQuery() != null) {
            name = name + "?" + uri.getRawQuery();
        }
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 1935;
        return new RtmpUrl(tls, uri.getHost(), port, path.substring(0, slash), name);
    }

    /** @return the {@code tcUrl} sent in {@code connect} */
    public String tcUrl() {
        return (tls ? "rtmps://" : "rtmp://") + host + ":" + port + "/" + app;
    }
}
