package io.streamkit.webrtc.stun;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ICE-lite side of one peer connection (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-2.5">RFC
 * 8445 section 2.5</a>): it answers the connectivity checks of the full agent on the other side, learns
 * which of the peer's addresses are valid, which one is nominated, and whether consent is still fresh
 * (<a href="https://www.rfc-editor.org/rfc/rfc7675">RFC 7675</a>). It does no I/O and keeps no timers:
 * the caller passes every STUN message with the time it arrived and sends back the response it gets.
 *
 * <p>Checks are authenticated with the short-term credential mechanism (RFC 8489 section 9.1): the
 * USERNAME must be {@code LOCAL_UFRAG:REMOTE_UFRAG} (the remote part is checked once the remote
 * credentials are known) and MESSAGE-INTEGRITY must be keyed with the local password, verified over the
 * exact received bytes. Responses carry MESSAGE-INTEGRITY when the request was authenticated, and
 * always FINGERPRINT. A request without USERNAME or MESSAGE-INTEGRITY gets 400; a wrong USERNAME or
 * integrity 401; unknown comprehension-required attributes 420. A lite agent is always controlled
 * (RFC 8445 section 6.1.1), so a request carrying ICE-CONTROLLED is a role conflict the other agent
 * must resolve by switching to controlling: it gets 487, as RFC 8445 section 7.3.1.1 prescribes for a
 * controlled agent whose tie-breaker loses, since a lite agent cannot take the controlling role.
 *
 * <p>Nomination: a successful check carrying USE-CANDIDATE nominates its source address, and the most
 * recently nominated address is the selected one (a full agent using regular nomination nominates once,
 * and again only to move the session). Consent (RFC 7675): it expires when the selected address (or,
 * before any nomination, every address) has had no valid check for 30 seconds.
 *
 * <p>Thread-safe. Memory is bounded: the agent remembers at most {@value #MAX_REMEMBERED_ADDRESSES}
 * source addresses, forgetting the least recently checked (never the selected one).
 */
public final class IceLiteAgent {
    /** How long consent lasts after the last valid check (RFC 7675 section 5.1). */
    public static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(30);
    /** The most source addresses remembered per agent. */
    public static final int MAX_REMEMBERED_ADDRESSES = 16;

    private static final Logger log = LoggerFactory.getLogger(IceLiteAgent.class);
    private static final long CONSENT_TIMEOUT_NANOS = CONSENT_TIMEOUT.toNanos();
    private static final StunErrorCode BAD_REQUEST = new StunErrorCode(StunErrorCode.BAD_REQUEST, "Bad Request");
    private static final StunErrorCode UNAUTHORIZED = new StunErrorCode(StunErrorCode.UNAUTHORIZED, "Unauthorized");
    private static final StunErrorCode UNKNOWN_ATTRIBUTE = new StunErrorCode(StunErrorCode.UNKNOWN_ATTRIBUTE,
            "Unknown Attribute");
    private static final StunErrorCode ROLE_CONFLICT = new StunErrorCode(StunErrorCode.ROLE_CONFLICT, "Role Conflict");

    private final IceCredentials local;
    private final byte[] localKey;
    private final byte[] localUfrag;
    /** Keyed with the local password; used under the agent's lock only. */
    private final Mac mac;
    private final byte[] scratch = new byte[StunCrypto.SHA256_LENGTH];
    private final Map<InetSocketAddress, Path> paths = new LinkedHashMap<>(8, 0.75f, true);

    private IceCredentials remote;
    private byte[] remoteUfrag;
    private Path selected;

    private long checksOk;
    private long integrityFailures;
    private long badUsername;
    private long badRequests;
    private long unknownAttributes;
    private long roleConflicts;
    private long ignored;
    private long malformed;

    /** A source address of the peer and what its checks said. */
    private static final class Path {
        final InetSocketAddress address;
        long lastCheckNanos;

        Path(InetSocketAddress address) {
            this.address = address;
        }
    }

    /**
     * An agent whose remote credentials are not known yet: any remote part of the USERNAME is accepted
     * until {@link #setRemoteCredentials} is called.
     *
     * @param local the local ufrag and password, announced in the local SDP
     */
    public IceLiteAgent(IceCredentials local) {
        this.local = Objects.requireNonNull(local, "local");
        this.localKey = local.passwordBytes();
        this.localUfrag = local.ufrag().getBytes(StandardCharsets.US_ASCII);
        this.mac = StunCrypto.newMac(StunCrypto.HMAC_SHA1);
        StunCrypto.init(mac, localKey);
    }

    /**
     * @param local the local ufrag and password, announced in the local SDP
     * @param remote the remote ufrag and password, from the remote SDP
     */
    public IceLiteAgent(IceCredentials local, IceCredentials remote) {
        this(local);
        setRemoteCredentials(remote);
    }

    /** @return the local credentials */
    public IceCredentials localCredentials() {
        return local;
    }

    /** @return the remote credentials, once known */
    public synchronized Optional<IceCredentials> remoteCredentials() {
        return Optional.ofNullable(remote);
    }

    /**
     * Records the remote credentials learned from the remote SDP; from then on the USERNAME of checks
     * must end with the remote ufrag.
     *
     * @param remote the remote ufrag and password
     */
    public synchronized void setRemoteCredentials(IceCredentials remote) {
        this.remote = Objects.requireNonNull(remote, "remote");
        this.remoteUfrag = remote.ufrag().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Handles a STUN message received from the peer.
     *
     * @param request the decoded message
     * @param rawBytes the exact bytes {@code request} was decoded from; integrity is verified over them
     * @param from the source address of the datagram
     * @param nowNanos the arrival time on the {@link System#nanoTime()} scale
     * @return the response to send back to {@code from}, if any, and the state of that address
     * @throws IllegalArgumentException if {@code rawBytes} are not the bytes of {@code request}, or
     *     {@code from} is unresolved
     */
    public IceCheckResult handle(StunMessage request, byte[] rawBytes, InetSocketAddress from, long nowNanos) {
        Objects.requireNonNull(request, "request");
        if (!Arrays.equals(rawBytes, request.wire())) {
            throw new IllegalArgumentException("rawBytes are not the bytes the request was decoded from");
        }
        checkAddress(from);
        synchronized (this) {
            return process(request, rawBytes, from, nowNanos);
        }
    }

    /**
     * Decodes and handles a datagram classified as STUN; a malformed one is counted and dropped. Neither
     * the indexes nor the reference count of {@code datagram} change.
     *
     * @param datagram the datagram
     * @param from its source address
     * @param nowNanos the arrival time on the {@link System#nanoTime()} scale
     * @return the response to send back to {@code from}, if any, and the state of that address
     */
    public IceCheckResult handle(ByteBuf datagram, InetSocketAddress from, long nowNanos) {
        checkAddress(from);
        StunMessage request;
        try {
            request = StunMessage.decode(datagram);
        } catch (StunException e) {
            synchronized (this) {
                malformed++;
                log.debug("ufrag {}: malformed STUN from {}: {}", local.ufrag(), from, e.getMessage());
                return new IceCheckResult(IceCheckResult.Outcome.MALFORMED, null, false, false, selectedAddress());
            }
        }
        synchronized (this) {
            return process(request, request.wire(), from, nowNanos);
        }
    }

    private static void checkAddress(InetSocketAddress from) {
        if (from.isUnresolved()) {
            throw new IllegalArgumentException("unresolved source address " + from);
        }
    }

    private IceCheckResult process(StunMessage request, byte[] raw, InetSocketAddress from, long nowNanos) {
        if (request.messageClass() != StunClass.REQUEST) {
            ignored++;
            return result(IceCheckResult.Outcome.IGNORED, null, false);
        }
        if (request.method() != StunMessage.METHOD_BINDING) {
            badRequests++;
            log.debug("ufrag {}: STUN request with method 0x{} from {}", local.ufrag(),
                    Integer.toHexString(request.method()), from);
            return result(IceCheckResult.Outcome.BAD_REQUEST, error(request, BAD_REQUEST, false), false);
        }
        Optional<StunAttribute> username = request.attribute(StunAttribute.USERNAME);
        if (username.isEmpty() || !request.hasMessageIntegrity()) {
            badRequests++;
            log.debug("ufrag {}: check without USERNAME or MESSAGE-INTEGRITY from {}", local.ufrag(), from);
            return result(IceCheckResult.Outcome.BAD_REQUEST, error(request, BAD_REQUEST, false), false);
        }
        if (!usernameMatches(username.get())) {
            badUsername++;
            log.debug("ufrag {}: check with USERNAME {} from {}", local.ufrag(), request.username().orElse(""), from);
            return result(IceCheckResult.Outcome.UNAUTHORIZED, error(request, UNAUTHORIZED, false), false);
        }
        StunMessage.IntegrityStatus integrity = StunCrypto.verify(raw, 0, raw.length, mac, null, localKey, scratch);
        if (integrity != StunMessage.IntegrityStatus.VALID) {
            integrityFailures++;
            log.debug("ufrag {}: check with a wrong MESSAGE-INTEGRITY from {}", local.ufrag(), from);
            return result(IceCheckResult.Outcome.UNAUTHORIZED, error(request, UNAUTHORIZED, false), false);
        }
        List<Integer> unknown = request.unknownComprehensionRequired();
        if (!unknown.isEmpty()) {
            unknownAttributes++;
            log.debug("ufrag {}: check with unknown attributes {} from {}", local.ufrag(), unknown, from);
            byte[] response = StunMessage.builder(StunClass.ERROR_RESPONSE, request.method())
                    .transactionId(request.transactionId()).errorCode(UNKNOWN_ATTRIBUTE).unknownAttributes(unknown)
                    .messageIntegrity(mac).fingerprint().encode();
            return result(IceCheckResult.Outcome.UNKNOWN_ATTRIBUTE, response, false);
        }
        if (request.iceControlled().isPresent()) {
            roleConflicts++;
            log.debug("ufrag {}: role conflict, {} claims to be controlled too", local.ufrag(), from);
            return result(IceCheckResult.Outcome.ROLE_CONFLICT, error(request, ROLE_CONFLICT, true), false);
        }
        Path path = paths.get(from);
        if (path == null) {
            path = new Path(from);
            paths.put(from, path);
            evictIfFull();
            log.debug("ufrag {}: {} is valid", local.ufrag(), from);
        }
        path.lastCheckNanos = nowNanos;
        boolean nominated = request.useCandidate();
        if (nominated && selected != path) {
            log.debug("ufrag {}: {} nominated and selected", local.ufrag(), from);
            selected = path;
        }
        checksOk++;
        byte[] response = StunMessage.builder(StunClass.SUCCESS_RESPONSE, StunMessage.METHOD_BINDING)
                .transactionId(request.transactionId()).xorMappedAddress(from).messageIntegrity(mac).fingerprint()
                .encode();
        return new IceCheckResult(IceCheckResult.Outcome.SUCCESS, response, true, nominated, selectedAddress());
    }

    private boolean usernameMatches(StunAttribute username) {
        byte[] buf = username.buffer();
        int off = username.offset();
        int len = username.length();
        int n = localUfrag.length;
        if (len <= n || buf[off + n] != ':'
                || !Arrays.equals(buf, off, off + n, localUfrag, 0, n)) {
            return false;
        }
        return remoteUfrag == null || Arrays.equals(buf, off + n + 1, off + len, remoteUfrag, 0, remoteUfrag.length);
    }

    private byte[] error(StunMessage request, StunErrorCode code, boolean authenticated) {
        StunMessage.Builder b = StunMessage.builder(StunClass.ERROR_RESPONSE, request.method())
                .transactionId(request.transactionId()).errorCode(code);
        if (authenticated) {
            b.messageIntegrity(mac);
        }
        return b.fingerprint().encode();
    }

    private IceCheckResult result(IceCheckResult.Outcome outcome, byte[] response, boolean nominated) {
        return new IceCheckResult(outcome, response, false, nominated, selectedAddress());
    }

    private void evictIfFull() {
        if (paths.size() <= MAX_REMEMBERED_ADDRESSES) {
            return;
        }
        // access order: the first entries are the least recently checked
        for (Iterator<Path> it = paths.values().iterator(); it.hasNext();) {
            Path p = it.next();
            if (p != selected) {
                it.remove();
                return;
            }
        }
    }

    /** @return the address media goes to: the most recently nominated one, if any */
    public synchronized Optional<InetSocketAddress> selectedAddress() {
        return selected == null ? Optional.empty() : Optional.of(selected.address);
    }

    /**
     * @param address a source address
     * @param nowNanos the current time on the {@link System#nanoTime()} scale
     * @return whether a valid check came from that address within the consent timeout, so that DTLS,
     *     RTP and RTCP from it may be accepted
     */
    public synchronized boolean isValid(InetSocketAddress address, long nowNanos) {
        Path p = paths.get(address);
        return p != null && nowNanos - p.lastCheckNanos < CONSENT_TIMEOUT_NANOS;
    }

    /**
     * @param nowNanos the current time on the {@link System#nanoTime()} scale
     * @return whether consent has expired: a valid check was seen once, but none in the last 30 seconds
     *     on the selected address (or on any address before a nomination). False before the first valid
     *     check: how long to wait for it is the caller's decision
     */
    public synchronized boolean isConsentExpired(long nowNanos) {
        Path reference = selected;
        if (reference == null) {
            for (Path p : paths.values()) {
                if (reference == null || p.lastCheckNanos - reference.lastCheckNanos > 0) {
                    reference = p;
                }
            }
        }
        return reference != null && nowNanos - reference.lastCheckNanos >= CONSENT_TIMEOUT_NANOS;
    }

    /** @return a snapshot of the counters */
    public synchronized IceAgentStats stats() {
        return new IceAgentStats(checksOk, integrityFailures, badUsername, badRequests, unknownAttributes,
                roleConflicts, ignored, malformed);
    }

    @Override
    public String toString() {
        return "IceLiteAgent[ufrag=" + local.ufrag() + "]";
    }
}
