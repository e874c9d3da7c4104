package io.streamkit.webrtc.stun;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link IceLiteAgent} made of one STUN message: the response to send back to its source, if
 * any, and the state of the address it came from.
 *
 * @param outcome how the message was handled
 * @param response the encoded response to send to the source address, or null when nothing is sent;
 *     a fresh array owned by the caller
 * @param addressValid whether the source address has just passed a connectivity check, so that DTLS
 *     and RTP from it may be accepted
 * @param nominated whether the check carried USE-CANDIDATE and succeeded
 * @param selectedAddress the address media is sent to after this message, if any has been nominated
 */
public record IceCheckResult(Outcome outcome, byte[] response, boolean addressValid, boolean nominated,
        Optional<InetSocketAddress> selectedAddress) {

    /** How a STUN message was handled. */
    public enum Outcome {
        /** A valid connectivity check: a success response with XOR-MAPPED-ADDRESS is to be sent. */
        SUCCESS,
        /**
         * A request without USERNAME or MESSAGE-INTEGRITY, or with an unsupported method: a 400 response
         * is to be sent.
         */
        BAD_REQUEST,
        /** A request with a wrong USERNAME or a wrong MESSAGE-INTEGRITY: a 401 response is to be sent. */
        UNAUTHORIZED,
        /** An authenticated request with unknown comprehension-required attributes: a 420 response. */
        UNKNOWN_ATTRIBUTE,
        /** An authenticated request from an agent that is also controlled: a 487 response. */
        ROLE_CONFLICT,
        /** An indication or a response: nothing to send (an ICE-lite agent sends no requests). */
        IGNORED,
        /** Bytes that are not a well-formed STUN message: dropped. */
        MALFORMED
    }

    /** Checks that the outcome and the selected address are present. */
    public IceCheckResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(selectedAddress, "selectedAddress");
    }

    /** @return whether there is a response to send */
    public boolean hasResponse() {
        return response != null;
    }
}
