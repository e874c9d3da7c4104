package io.streamkit.webrtc.sdp;

/**
 * The {@code o=} line (<a href="https://www.rfc-editor.org/rfc/rfc8866#section-5.2">RFC 8866
 * section 5.2</a>). JSEP (<a href="https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1">RFC 8829
 * section 5.2.1</a>) keeps the session id for the life of a PeerConnection and increments the
 * version whenever the description changes.
 *
 * @param username the user name, {@code -} when none
 * @param sessionId the session id, decimal digits (kept as text: browsers use full 64-bit values)
 * @param sessionVersion the session version
 * @param netType the network type, {@code IN}
 * @param addressType {@code IP4} or {@code IP6}
 * @param address the originating address (browsers write {@code 127.0.0.1} or {@code 0.0.0.0})
 */
public record Origin(String username, String sessionId, long sessionVersion, String netType, String addressType,
        String address) {

    /** Validates every field. */
    public Origin {
        Sdp.requireWord(username, "origin username");
        if (!Sdp.isDigits(sessionId, 20)) {
            throw new IllegalArgumentException("origin session id must be 1 to 20 decimal digits, got "
                    + Sdp.quote(sessionId));
        }
        if (sessionVersion < 0) {
            throw new IllegalArgumentException("origin session version must be non-negative, got " + sessionVersion);
        }
        Sdp.requireToken(netType, "origin network type");
        Sdp.requireToken(addressType, "origin address type");
        Sdp.requireWord(address, "origin address");
    }

    /**
     * The same origin with the next session version, as a renegotiation writes it.
     *
     * @return a copy with {@code sessionVersion + 1}
     */
    public Origin nextVersion() {
        if (sessionVersion == Long.MAX_VALUE) {
            throw new IllegalStateException("origin session version cannot be incremented past Long.MAX_VALUE");
        }
        return new Origin(username, sessionId, sessionVersion + 1, netType, addressType, address);
    }

    /** @return the value of the line, e.g. {@code - 4611731400430051336 2 IN IP4 127.0.0.1} */
    @Override
    public String toString() {
        return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + netType + ' ' + addressType + ' ' + address;
    }
}
