package io.streamkit.webrtc.stun;

/**
 * Counters of an {@link IceLiteAgent} since it was created, one per {@link IceCheckResult.Outcome}.
 *
 * @param checksOk valid connectivity checks answered with a success response
 * @param integrityFailures requests whose MESSAGE-INTEGRITY did not match the local password
 * @param badUsername requests whose USERNAME did not name this session
 * @param badRequests requests without USERNAME or MESSAGE-INTEGRITY, or with another method than Binding
 * @param unknownAttributes authenticated requests with unknown comprehension-required attributes
 * @param roleConflicts authenticated requests carrying ICE-CONTROLLED
 * @param ignored indications and responses
 * @param malformed datagrams that did not decode as STUN
 */
public record IceAgentStats(long checksOk, long integrityFailures, long badUsername, long badRequests,
        long unknownAttributes, long roleConflicts, long ignored, long malformed) {
}
