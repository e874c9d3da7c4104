package io.streamkit.webrtc.srtp;

import io.streamkit.api.TransportException;
import java.util.Objects;

/**
 * An SRTP or SRTCP packet could not be protected or unprotected; {@link #reason()} says why.
 *
 * <p>These exceptions are thrown on the packet path, possibly for every packet of a flood, so
 * they carry no stack trace: the reason and the message identify the failure. The packet buffer
 * is left as it was, and the caller still owns it.
 */
public final class SrtpException extends TransportException {
    private static final long serialVersionUID = 1L;

    /** Why a packet was refused. */
    public enum Reason {
        /** The packet is shorter than its header plus the SRTP/SRTCP trailer. */
        TOO_SHORT,
        /** The packet is not RTP/RTCP version 2, or its header runs past its end. */
        MALFORMED,
        /** The authentication tag does not match: the packet was altered or keyed differently. */
        AUTHENTICATION_FAILED,
        /** A packet with this index was already accepted (or, when sending, already protected). */
        REPLAYED,
        /** The index is older than the replay window, so a replay cannot be ruled out. */
        TOO_OLD,
        /** The DTLS-SRTP protection profile is not implemented. */
        UNKNOWN_PROFILE,
        /** The keying material does not have the length the profile needs. */
        INVALID_KEYING_MATERIAL,
        /** The context already tracks its maximum number of SSRCs. */
        TOO_MANY_STREAMS,
        /** The packet or SRTCP index space of the keys is used up; the session must be rekeyed. */
        KEY_EXHAUSTED,
        /** The buffer cannot grow to hold the trailer that protection appends. */
        BUFFER_TOO_SMALL
    }

    private final Reason reason;

    /**
     * @param reason the category of the failure
     * @param message what went wrong, specific enough to act on
     */
    public SrtpException(Reason reason, String message) {
        super(message, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why the packet was refused */
    public Reason reason() {
        return reason;
    }
}
