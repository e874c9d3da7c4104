package io.streamkit.api;

import java.net.URI;
import java.util.regex.Pattern;

/** URI helpers: redaction of secrets before a URI reaches a log line, an event or stats. */
public final class Uris {
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)((?:passphrase|password|pass|token|key|secret|streamid)=)[^&]*");

    private Uris() {
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
