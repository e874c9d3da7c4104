package io.streamkit.relay.rtmp;

import java.net.SocketAddress;
import java.util.Map;

/**
 * What an RTMP client asked for, given to the {@link RtmpAuthenticator}.
 *
 * @param action publish or play
 * @param app the application from {@code connect} (first path segment of the URL)
 * @param streamName the stream name without its query
 * @param path the stream path, {@code app/streamName}
 * @param query the parameters after {@code ?} in the stream name (for example a {@code key}), immutable
 * @param remoteAddress the client
 * @param tcUrl the URL the client connected to
 */
public record RtmpRequest(Action action, String app, String streamName, String path, Map<String, String> query,
        SocketAddress remoteAddress, String tcUrl) {

    /** What the client wants to do. */
    public enum Action {
        /** Send a stream. */
        PUBLISH,
        /** Receive a stream. */
        PLAY
    }

    /** Freezes the query map. */
    public RtmpRequest {
        query = Map.copyOf(query);
    }
}
