package io.streamkit.relay.srt;

import java.util.HashMap;
import java.util.Map;

/**
 * A parsed SRT Stream ID: what the caller wants to do and with which path. Accepts the
 * conventions users already know:
 * <ul>
 * <li>MediaMTX style {@code publish:live/show}, {@code read:live/show}, optionally followed by
 * {@code :user:pass};</li>
 * <li>the SRT access-control syntax {@code #!::r=live/show,m=publish} ({@code m=request} or no
 * {@code m} reads; {@code u=} user, {@code s=} session id);</li>
 * <li>a bare path, which reads.</li>
 * </ul>
 *
 * @param publish whether the caller sends (else it reads)
 * @param path the stream path
 * @param user the user name, empty when none
 * @param password the password, empty when none
 * @see <a href="https://github.com/Haivision/srt/blob/master/docs/features/access-control.md">SRT Access Control</a>
 */
public record SrtStreamId(boolean publish, String path, String user, String password) {

    /**
     * @param streamId the Stream ID sent by the caller
     * @return the parsed request
     * @throws IllegalArgumentException with a specific message when it cannot be understood
     */
    public static SrtStreamId parse(String streamId) {
        if (streamId == null || streamId.isEmpty()) {
            throw new IllegalArgumentException("empty SRT stream id; use publish:PATH or read:PATH");
        }
        if (streamId.startsWith("#!::")) {
            Map<String, String> kv = new HashMap<>();
            for (String pair : streamId.substring(4).split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("malformed SRT access-control item '" + pair + "'");
                }
                kv.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
            String resource = kv.get("r");
            if (resource == null || resource.isEmpty()) {
                throw new IllegalArgumentException("SRT access-control stream id without r= (resource)");
            }
            String mode = kv.getOrDefault("m", "request");
            boolean publish;
            if (mode.equals("publish")) {
                publish = true;
            } else if (mode.equals("request")) {
                publish = false;
            } else {
                throw new IllegalArgumentException("unsupported SRT access-control mode m=" + mode
                        + " (publish or request)");
            }
            return new SrtStreamId(publish, resource, kv.getOrDefault("u", ""), "");
        }
        String[] parts = streamId.split(":", -1);
        if (parts.length >= 2 && (parts[0].equals("publish") || parts[0].equals("read"))) {
            if (parts.length != 2 && parts.length != 4) {
                throw new IllegalArgumentException("SRT stream id must be ACTION:PATH or ACTION:PATH:USER:PASS, got "
                        + parts.length + " fields");
            }
            if (parts[1].isEmpty()) {
                throw new IllegalArgumentException("SRT stream id without a path");
            }
            return new SrtStreamId(parts[0].equals("publish"), parts[1], parts.length == 4 ? parts[2] : "",
                    parts.length == 4 ? parts[3] : "");
        }
        if (streamId.contains(":")) {
            throw new IllegalArgumentException("unknown SRT stream id action in '" + streamId
                    + "'; use publish:PATH or read:PATH");
        }
        return new SrtStreamId(false, streamId, "", "");
    }
}
