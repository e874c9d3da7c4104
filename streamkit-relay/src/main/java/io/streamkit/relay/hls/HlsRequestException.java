package io.streamkit.relay.hls;

import io.streamkit.api.StreamKitException;

/**
 * An HLS request that cannot be answered with the resource: the HTTP status to answer with and
 * why. Futures of {@link HlsPackager} fail with it, for example with 400 when a blocking
 * playlist reload asks for a segment too far in the future, 503 when it times out, 404 when a
 * segment or part does not exist or will never exist.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-pantos-hls-rfc8216bis#section-6.2.5.2">
 *      draft-pantos-hls-rfc8216bis, section 6.2.5.2: blocking playlist reload</a>
 */
public final class HlsRequestException extends StreamKitException {
    private static final long serialVersionUID = 1L;

    /** @serial the HTTP status code to answer with */
    private final int status;

    /**
     * @param status the HTTP status code, 400 to 599
     * @param message why, short enough for a plain-text response body
     */
    public HlsRequestException(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error code in [400, 599], was " + status);
        }
        this.status = status;
    }

    /** @return the HTTP status code to answer with */
    public int status() {
        return status;
    }
}
