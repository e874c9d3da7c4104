package io.streamkit.webrtc.sdp;

/**
 * A {@code c=} line (<a href="https://www.rfc-editor.org/rfc/rfc8866#section-5.7">RFC 8866 section
 * 5.7</a>).
 *
 * @param netType {@code IN}
 * @param addressType {@code IP4} or {@code IP6}
 * @param address the address, possibly with {@code /ttl} or {@code /count} suffixes for multicast
 */
public record Connection(String netType, String addressType, String address) {

    /** Validates every field. */
    public Connection {
        Sdp.requireToken(netType, "connection network type");
        Sdp.requireToken(addressType, "connection address type");
        Sdp.requireWord(address, "connection address");
    }

    /**
     * An {@code IN} connection for an IP literal; the address type is derived from the literal.
     *
     * @param ip an IPv4 or IPv6 literal
     * @return the connection
     */
    public static Connection of(String ip) {
        return new Connection("IN", ip.indexOf(':') >= 0 ? "IP6" : "IP4", ip);
    }

    /** @return the value of the line, e.g. {@code IN IP4 0.0.0.0} */
    @Override
    public String toString() {
        return netType + ' ' + addressType + ' ' + address;
    }
}
