package io.streamkit.relay.srt;

import io.streamkit.api.Uris;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * An {@code srt://} URI of the {@code srt} transport, parsed and checked. Query parameters follow
 * srt-live-transmit: {@code mode} ({@code caller}, the default, or {@code listener}; an empty host
 * as in {@code srt://:9000} means listener), {@code streamid}, {@code latency} (milliseconds),
 * {@code passphrase}, {@code pbkeylen}, and for listener-mode outputs {@code maxcallers}. Other
 * parameters are ignored. Not API.
 *
 * @param listener whether this side binds the port and waits for callers ({@code mode=listener})
 * @param host the host to call; for a listener the address to bind, {@code ""} for every interface
 * @param port the UDP port, 1 to 65535
 * @param streamId a caller's stream id; for a listener the stream id callers must send, or
 *        {@code null} for any
 * @param settings latency, passphrase and key length
 * @param maxCallers a listener-mode output's most callers at once
 */
record SrtTransportUri(boolean listener, String host, int port, String streamId, SrtStreamSettings settings,
        int maxCallers) {
    /** Callers a listener-mode output serves at once unless {@code maxcallers} says otherwise. */
    static final int DEFAULT_MAX_CALLERS = 8;
    /** The latency when the URI has none, in milliseconds (libsrt's own default is 120). */
    static final long DEFAULT_LATENCY_MS = 200;
    /** The largest latency accepted, in milliseconds (the handshake carries at most 65,535). */
    static final long MAX_LATENCY_MS = 60_000;

    /**
     * @param uri an srt URI
     * @param output whether it is an output's (an input's otherwise)
     * @return what it says
     * @throws IllegalArgumentException with a message naming the parameter when one is invalid
     */
    static SrtTransportUri parse(URI uri, boolean output) {
        String redacted = redact(uri);
        Map<String, String> q = query(uri);
        String host;
        int port;
        if (uri.getHost() != null) {
            host = uri.getHost();
            port = uri.getPort();
        } else {
            // java.net.URI leaves host and port unset for authorities such as ":9000" or "0.0.0.0:abc"
            String authority = uri.getRawAuthority();
            int colon = authority == null ? -1 : authority.lastIndexOf(':');
            if (colon < 0 || authority.indexOf('@') >= 0) {
                throw new IllegalArgumentException("SRT URI needs host and port: " + redacted);
            }
            host = authority.substring(0, colon);
            port = port(authority.substring(colon + 1), redacted);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String mode = q.get("mode");
        boolean listener;
        if (mode == null) {
            listener = host.isEmpty(); // srt-live-transmit: no host means listener
        } else {
            listener = switch (mode) {
                case "caller", "client" -> false;
                case "listener", "server" -> true;
                case "rendezvous" -> throw new IllegalArgumentException("SRT mode=rendezvous is not supported by the "
                        + "srt transport; use mode=caller or mode=listener (or SrtRendezvous directly)");
                default -> throw new IllegalArgumentException("SRT mode must be caller or listener, got " + mode);
            };
        }
        if (port < 0) {
            throw new IllegalArgumentException(listener
                    ? "SRT listener URI needs a port to bind, as in srt://0.0.0.0:9000?mode=listener: " + redacted
                    : "SRT URI needs host and port: " + redacted);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SRT port must be 1 to 65535, got " + port + ": " + redacted);
        }
        if (!listener && host.isEmpty()) {
            throw new IllegalArgumentException("SRT caller URI needs a host to call: " + redacted);
        }
        String streamId = q.get("streamid");
        if (streamId != null && streamId.isEmpty()) {
            streamId = null;
        }
        if (streamId != null) {
            int bytes = streamId.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > SrtHandshakeExtension.MAX_STREAM_ID_BYTES) {
                throw new IllegalArgumentException("SRT streamid is " + bytes + " bytes of UTF-8; at most "
                        + SrtHandshakeExtension.MAX_STREAM_ID_BYTES);
            }
        }
        long latency = DEFAULT_LATENCY_MS;
        if (q.containsKey("latency")) {
            try {
                latency = Long.parseLong(q.get("latency"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SRT latency must be milliseconds, got " + q.get("latency"));
            }
            if (latency < 0 || latency > MAX_LATENCY_MS) {
                throw new IllegalArgumentException("SRT latency must be 0 to " + MAX_LATENCY_MS + " ms, got "
                        + latency);
            }
        }
        String passphrase = q.get("passphrase");
        if (passphrase != null && passphrase.isEmpty()) {
            passphrase = null; // as libsrt: an empty passphrase means no encryption
        }
        int keyLength = 16;
        if (q.containsKey("pbkeylen")) {
            String v = q.get("pbkeylen");
            keyLength = switch (v) {
                case "16" -> 16;
                case "24" -> 24;
                case "32" -> 32;
                default -> throw new IllegalArgumentException("SRT pbkeylen must be 16, 24 or 32 (bytes), got " + v);
            };
        }
        int maxCallers = DEFAULT_MAX_CALLERS;
        if (q.containsKey("maxcallers")) {
            if (!listener) {
                throw new IllegalArgumentException("SRT maxcallers needs mode=listener: " + redacted);
            }
            if (!output) {
                throw new IllegalArgumentException("SRT maxcallers is for listener-mode outputs; a listener-mode "
                        + "input takes one publishing caller at a time: " + redacted);
            }
            String v = q.get("maxcallers");
            try {
                maxCallers = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                maxCallers = -1;
            }
            if (maxCallers < 1 || maxCallers > SrtListener.MAX_CONNECTIONS) {
                throw new IllegalArgumentException("SRT maxcallers must be 1 to " + SrtListener.MAX_CONNECTIONS
                        + ", got " + v);
            }
        }
        SrtStreamSettings settings = new SrtStreamSettings(Duration.ofMillis(latency), passphrase, keyLength);
        return new SrtTransportUri(listener, host, port, streamId, settings, listener && output ? maxCallers : 1);
    }

    /**
     * @param uri an srt URI
     * @return it with its secrets hidden ({@link Uris#redact}), keeping an authority such as
     *         {@code :9000} that {@code java.net.URI} does not parse into host and port
     */
    static String redact(URI uri) {
        String redacted = Uris.redact(uri);
        String authority = uri.getRawAuthority();
        if (uri.getHost() == null && authority != null && authority.indexOf('@') < 0 && uri.getScheme() != null) {
            String prefix = uri.getScheme() + "://";
            if (redacted.startsWith(prefix)) {
                return prefix + authority + redacted.substring(prefix.length());
            }
        }
        return redacted;
    }

    private static Map<String, String> query(URI uri) {
        return io.streamkit.api.Uris.query(uri);
    }

    private static int port(String digits, String redacted) {
        if (digits.isEmpty()) {
            return -1;
        }
        int port;
        try {
            port = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SRT port must be a number from 1 to 65535, got " + digits + ": "
                    + redacted);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SRT port must be 1 to 65535, got " + port + ": " + redacted);
        }
        return port;
    }

    /** @return for a listener, the address to bind: every interface when the host is empty */
    InetSocketAddress bindAddress() {
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /**
     * @param connectTimeout how long connecting may take
     * @return a caller's options
     */
    SrtCaller.Options callerOptions(Duration connectTimeout) {
        return new SrtCaller.Options(streamId, settings.latency(), settings.passphrase(), settings.keyLength(),
                connectTimeout);
    }
}
