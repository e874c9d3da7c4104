package io.streamkit.api;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * URI helpers: query parameters, and redaction of secrets before a URI reaches a log line, an
 * event or stats.
 */
public final class Uris {
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)((?:passphrase|password|pass|token|key|secret|streamid)=)[^&]*");

    private Uris() {
    }

    /**
     * Decodes the query parameters of a transport URI ({@code ?latency=200&passphrase=...}). Values
     * are percent-decoded as UTF-8; a repeated name keeps its last value; a pair without a name or
     * without {@code =} is left out (see {@link #malformedQueryPair(URI)}).
     *
     * @param uri the URI
     * @return name to value, empty when the URI has no query; mutable
     */
    public static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    /**
     * @param uri the URI
     * @return the first query pair that {@link #query(URI)} leaves out, or {@code null} when none
     */
    public static String malformedQueryPair(URI uri) {
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (pair.indexOf('=') <= 0) {
                    return pair;
                }
            }
        }
        return null;
    }

    /**
     * Hides user info, secret query values and the last path segment (where RTMP services put
     * the stream key): {@code rtmp://a.example/live2/abcd-efgh} becomes
     * {@code rtmp://a.example/live2/ab***}.
     *
     * @param uri a URI, may be {@code null}
     * @return a string safe to log
     */
    public static String redact(URI uri) {
        if (uri == null) {
            return "null";
        }
        if (uri.isOpaque()) {
            return uri.getScheme() + ":" + uri.getSchemeSpecificPart();
        }
        StringBuilder b = new StringBuilder();
        if (uri.getScheme() != null) {
            b.append(uri.getScheme()).append("://");
        }
        if (uri.getRawUserInfo() != null) {
            b.append("***@");
        }
        if (uri.getHost() != null) {
            b.append(uri.getHost());
        }
        if (uri.getPort() >= 0) {
            b.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty()) {
            int slash = path.lastIndexOf('/');
            String last = path.substring(slash + 1);
            b.append(path, 0, slash + 1);
            if (slash > 0 && last.length() > 2) {
                b.append(last, 0, 2).append("***");
            } else {
                b.append(last);
            }
        }
        if (uri.getRawQuery() != null) {
            b.append('?').append(SECRET_QUERY.matcher(uri.getRawQuery()).replaceAll("$1***"));
        }
        return b.toString();
    }
}
