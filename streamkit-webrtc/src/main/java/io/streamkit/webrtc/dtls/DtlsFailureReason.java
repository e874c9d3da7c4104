package io.streamkit.webrtc.dtls;

/** Why a DTLS handshake failed; the key of the per-reason failure counters in {@link DtlsMetrics}. */
public enum DtlsFailureReason {
    /** The handshake did not complete within the configured timeout. */
    TIMEOUT,
    /** The peer's certificate does not match the fingerprint from its SDP. */
    FINGERPRINT_MISMATCH,
    /** The peer sent no certificate although one is required (WebRTC peers always send one). */
    CERTIFICATE_MISSING,
    /** The peers have no SRTP protection profile in common, or the peer did not negotiate use_srtp. */
    NO_COMMON_SRTP_PROFILE,
    /** The peer sent a fatal alert. */
    PEER_ALERT,
    /** The peer violated the protocol or offered nothing acceptable (version, cipher suite, ...). */
    PROTOCOL_ERROR,
    /** The session was closed before the handshake completed. */
    CLOSED,
    /** A local failure: the handshake executor rejected the task, or an unexpected exception. */
    INTERNAL_ERROR
}
