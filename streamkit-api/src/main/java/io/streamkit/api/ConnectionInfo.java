package io.streamkit.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one client connected to a server of the kit (an RTMP publisher, an SRT reader...),
 * as listed by the servers' {@code connections()} methods. Its {@link #id()} identifies the
 * connection for a later {@code kick(id)}.
 *
 * @param id identifier, unique within its server (prefixed by the protocol, e.g. {@code rtmp-17})
 * @param protocol {@code rtmp}, {@code rtmps} or {@code srt}
 * @param remoteAddress the peer's address as {@code host:port}
 * @param path the stream path it publishes or reads, {@code null} before it asked for one
 * @param publishing whether it publishes ({@code false}: it reads/plays)
 * @param since when it connected
 * @param bytesReceived bytes received from the peer
 * @param bytesSent bytes sent to the peer
 * @param extra protocol figures, e.g. {@code rttMs}, {@code packetsLost} for SRT
 */
public record ConnectionInfo(String id, String protocol, String remoteAddress, String path, boolean publishing,
        Instant since, long bytesReceived, long bytesSent, Map<String, Number> extra) {

    /** Checks the required fields and copies {@code extra}. */
    public ConnectionInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(since, "since");
        extra = Map.copyOf(extra);
    }
}
