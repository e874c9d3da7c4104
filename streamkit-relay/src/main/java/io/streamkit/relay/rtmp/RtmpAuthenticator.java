package io.streamkit.relay.rtmp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Decides whether an RTMP client may publish or play. Called on a network thread: answer fast,
 * never block. A refused publisher gets {@code NetStream.Publish.Unauthorized}, a refused player
 * {@code NetStream.Play.Failed}, and the connection is closed.
 */
@FunctionalInterface
public interface RtmpAuthenticator {

    /** Lets everyone publish and play. */
    RtmpAuthenticator ALLOW_ALL = request -> true;

    /**
     * @param request what the client asked for
     * @return whether it may
     */
    boolean authorize(RtmpRequest request);

    /**
     * @param other a second check
     * @return an authenticator that needs both to agree
     */
    default RtmpAuthenticator and(RtmpAuthenticator other) {
        return request -> authorize(request) && other.authorize(request);
    }

    /**
     * Publishing needs the stream's key in the {@code key} query parameter
     * ({@code rtmp://host/live/show?key=SECRET}), compared in constant time; paths without a key
     * cannot be published; playing is not checked.
     *
     * @param keyByPath the secret key of each publishable path
     * @return the authenticator
     */
    static RtmpAuthenticator publishKeys(Map<String, String> keyByPath) {
        Map<String, byte[]> keys = new java.util.HashMap<>();
        keyByPath.forEach((path, key) -> keys.put(path, key.getBytes(StandardCharsets.UTF_8)));
        return request -> {
            if (request.action() != RtmpRequest.Action.PUBLISH) {
                return true;
            }
            byte[] expected = keys.get(request.path());
            String given = request.query().get("key");
            if (expected == null || given == null) {
                return false;
            }
            return MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
        };
    }
}
