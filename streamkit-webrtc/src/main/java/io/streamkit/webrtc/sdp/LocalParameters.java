package io.streamkit.webrtc.sdp;

import java.util.Objects;

/**
 * What the SFU puts in every description it writes: its ICE-lite credentials
 * (<a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.4">RFC 8839</a>), its DTLS certificate
 * fingerprint (<a href="https://www.rfc-editor.org/rfc/rfc8122">RFC 8122</a>), its single UDP host
 * candidate, and the media policy.
 *
 * @param iceUfrag the ICE username fragment, 4-256 ice-chars
 * @param icePwd the ICE password, 22-256 ice-chars
 * @param fingerprint the DTLS certificate fingerprint
 * @param hostAddress the IP literal of the host candidate
 * @param port the UDP port of the host candidate
 * @param policy codecs, feedback and header extensions
 */
public record LocalParameters(String iceUfrag, String icePwd, Fingerprint fingerprint, String hostAddress, int port,
        MediaPolicy policy) {

    /** Validates every field. */
    public LocalParameters {
        IceParameters.requireIceChars(iceUfrag, 4, "ice-ufrag");
        IceParameters.requireIceChars(icePwd, 22, "ice-pwd");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Sdp.requireWord(hostAddress, "host address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1-65535, got " + port);
        }
        Objects.requireNonNull(policy, "policy");
    }

    /** The connection line for the host candidate. */
    Connection connection() {
        return Connection.of(hostAddress);
    }

    /** The single host candidate. */
    Candidate candidate() {
        return Candidate.udpHost("1", 1, hostAddress, port);
    }

    /** Writes the ICE credentials, the fingerprint and the DTLS role of an m-line. */
    void appendIceAndDtls(MediaDescription.Builder b, Setup setup) {
        b.attribute("ice-ufrag", iceUfrag).attribute("ice-pwd", icePwd).attribute("fingerprint", fingerprint)
                .attribute("setup", setup.value());
    }

    /** Writes the host candidate and end-of-candidates (ICE-lite gathers nothing else). */
    void appendCandidates(MediaDescription.Builder b) {
        b.attribute("candidate", candidate()).attribute("end-of-candidates");
    }

    /** A new origin with a random 63-bit session id (RFC 8829 section 5.2.1). */
    static Origin newOrigin() {
        long id = java.util.concurrent.ThreadLocalRandom.current().nextLong(1L, Long.MAX_VALUE);
        return new Origin("-", Long.toString(id), 1, "IN", "IP4", "0.0.0.0");
    }
}
