package io.streamkit.webrtc.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.webrtc.stun.IceCheckResult.Outcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Connectivity checks as a full agent (a browser) sends them, against the SFU's lite agent. */
class IceLiteAgentTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long T0 = 123_456_789L;

    private final IceCredentials sfu = IceCredentials.random();
    private final IceCredentials browser = IceCredentials.random();
    private final IceLiteAgent agent = new IceLiteAgent(sfu, browser);

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final InetSocketAddress HOST = address("192.168.1.20", 50000);
    private static final InetSocketAddress SRFLX = address("203.0.113.7", 61000);
    private static final InetSocketAddress V6 = address("2001:db8::7", 50001);

    /** A Binding request as the browser sends it: USERNAME sfu:browser, keyed with the SFU's password. */
    private StunMessage.Builder check() {
        return StunMessage.builder(StunClass.REQUEST, StunMessage.METHOD_BINDING)
                .username(sfu.ufrag() + ":" + browser.ufrag()).priority(1853817087L).iceControlling(0x1234_5678_9ABCL);
    }

    private IceCheckResult send(StunMessage.Builder request, InetSocketAddress from, long now) throws StunException {
        byte[] raw = request.encode();
        return agent.handle(StunMessage.decode(raw), raw, from, now);
    }

    private IceCheckResult sendCheck(InetSocketAddress from, long now, UnaryOperator<StunMessage.Builder> extra)
            throws StunException {
        return send(extra.apply(check()).messageIntegrity(sfu.passwordBytes()).fingerprint(), from, now);
    }

    private static StunMessage decodeResponse(IceCheckResult result) throws StunException {
        assertTrue(result.hasResponse(), "a response");
        return StunMessage.decode(result.response());
    }

    @Test
    void validCheckGetsAnAuthenticatedSuccessResponse() throws Exception {
        byte[] raw = check().messageIntegrity(sfu.passwordBytes()).fingerprint().encode();
        StunMessage request = StunMessage.decode(raw);
        IceCheckResult result = agent.handle(request, raw, HOST, T0);

        assertEquals(Outcome.SUCCESS, result.outcome());
        assertTrue(result.addressValid());
        assertFalse(result.nominated());
        assertEquals(Optional.empty(), result.selectedAddress());
        StunMessage response = decodeResponse(result);
        assertEquals(StunClass.SUCCESS_RESPONSE, response.messageClass());
        assertEquals(StunMessage.METHOD_BINDING, response.method());
        assertArrayEquals(request.transactionId(), response.transactionId());
        assertEquals(Optional.of(HOST), response.xorMappedAddress());
        assertEquals(StunMessage.IntegrityStatus.VALID, response.checkIntegrity(sfu.passwordBytes()));
        assertEquals(StunMessage.IntegrityStatus.INVALID, response.checkIntegrity(browser.passwordBytes()));
        assertTrue(response.hasFingerprint());
        assertTrue(agent.isValid(HOST, T0 + SECOND));
        assertFalse(agent.isValid(SRFLX, T0 + SECOND));
        assertEquals(new IceAgentStats(1, 0, 0, 0, 0, 0, 0, 0), agent.stats());
    }

    @Test
    void ipv6SourceIsEchoed() throws Exception {
        IceCheckResult result = sendCheck(V6, T0, b -> b);
        assertEquals(Optional.of(V6), decodeResponse(result).xorMappedAddress());
    }

    @Test
    void wrongPasswordGets401WithoutIntegrity() throws Exception {
        IceCheckResult result = send(check().messageIntegrity(browser.passwordBytes()).fingerprint(), HOST, T0);
        assertEquals(Outcome.UNAUTHORIZED, result.outcome());
        assertFalse(result.addressValid());
        StunMessage response = decodeResponse(result);
        assertEquals(StunClass.ERROR_RESPONSE, response.messageClass());
        assertEquals(401, response.errorCode().orElseThrow().code());
        assertFalse(response.hasMessageIntegrity());
        assertTrue(response.hasFingerprint());
        assertFalse(agent.isValid(HOST, T0));
        assertEquals(1, agent.stats().integrityFailures());
        assertEquals(0, agent.stats().checksOk());
    }

    @Test
    void wrongUsernameGets401() throws Exception {
        List<String> usernames = List.of("nope:" + browser.ufrag(), sfu.ufrag() + ":nope", sfu.ufrag(),
                sfu.ufrag() + "x:" + browser.ufrag(), sfu.ufrag() + ":" + browser.ufrag() + "x", "");
        for (String username : usernames) {
            StunMessage.Builder b = StunMessage.builder(StunClass.REQUEST, 1).username(username)
                    .messageIntegrity(sfu.passwordBytes()).fingerprint();
            IceCheckResult result = send(b, HOST, T0);
            assertEquals(Outcome.UNAUTHORIZED, result.outcome(), username);
            assertEquals(401, decodeResponse(result).errorCode().orElseThrow().code());
        }
        assertEquals(usernames.size(), agent.stats().badUsername());
        assertFalse(agent.isValid(HOST, T0));
    }

    @Test
    void remoteUfragIsCheckedOnceKnown() throws Exception {
        IceLiteAgent early = new IceLiteAgent(sfu);
        byte[] raw = StunMessage.builder(StunClass.REQUEST, 1).username(sfu.ufrag() + ":whoever")
                .messageIntegrity(sfu.passwordBytes()).encode();
        assertEquals(Outcome.SUCCESS, early.handle(StunMessage.decode(raw), raw, HOST, T0).outcome());
        early.setRemoteCredentials(browser);
        assertEquals(Optional.of(browser), early.remoteCredentials());
        assertEquals(Outcome.UNAUTHORIZED, early.handle(StunMessage.decode(raw), raw, HOST, T0).outcome());
    }

    @Test
    void missingIntegrityOrUsernameGets400() throws Exception {
        IceCheckResult noIntegrity = send(check().fingerprint(), HOST, T0);
        assertEquals(Outcome.BAD_REQUEST, noIntegrity.outcome());
        StunMessage response = decodeResponse(noIntegrity);
        assertEquals(400, response.errorCode().orElseThrow().code());
        assertFalse(response.hasMessageIntegrity());

        IceCheckResult noUsername = send(StunMessage.builder(StunClass.REQUEST, 1).priority(1)
                .messageIntegrity(sfu.passwordBytes()), HOST, T0);
        assertEquals(Outcome.BAD_REQUEST, noUsername.outcome());

        IceCheckResult otherMethod = send(StunMessage.builder(StunClass.REQUEST, 0x003)
                .username(sfu.ufrag() + ":" + browser.ufrag()).messageIntegrity(sfu.passwordBytes()), HOST, T0);
        assertEquals(Outcome.BAD_REQUEST, otherMethod.outcome());
        assertEquals(0x003, decodeResponse(otherMethod).method());
        assertEquals(3, agent.stats().badRequests());
        assertFalse(agent.isValid(HOST, T0));
    }

    @Test
    void nominationSelectsTheAddress() throws Exception {
        IceCheckResult plain = sendCheck(HOST, T0, b -> b);
        assertFalse(plain.nominated());
        assertEquals(Optional.empty(), agent.selectedAddress());

        IceCheckResult nominated = sendCheck(SRFLX, T0 + SECOND, StunMessage.Builder::useCandidate);
        assertEquals(Outcome.SUCCESS, nominated.outcome());
        assertTrue(nominated.nominated());
        assertEquals(Optional.of(SRFLX), nominated.selectedAddress());
        assertEquals(Optional.of(SRFLX), agent.selectedAddress());

        // a later check on another address without USE-CANDIDATE keeps the selection
        assertEquals(Optional.of(SRFLX), sendCheck(HOST, T0 + 2 * SECOND, b -> b).selectedAddress());
        // a later nomination moves it
        assertEquals(Optional.of(HOST),
                sendCheck(HOST, T0 + 3 * SECOND, StunMessage.Builder::useCandidate).selectedAddress());
    }

    @Test
    void failedCheckWithUseCandidateDoesNotNominate() throws Exception {
        IceCheckResult result = send(check().useCandidate().messageIntegrity(browser.passwordBytes()), HOST, T0);
        assertEquals(Outcome.UNAUTHORIZED, result.outcome());
        assertFalse(result.nominated());
        assertEquals(Optional.empty(), agent.selectedAddress());
    }

    @Test
    void consentExpiresThirtySecondsAfterTheLastValidCheck() throws Exception {
        assertFalse(agent.isConsentExpired(T0), "no check yet: not for consent to decide");
        sendCheck(HOST, T0, StunMessage.Builder::useCandidate);
        assertFalse(agent.isConsentExpired(T0 + 29 * SECOND));
        assertTrue(agent.isConsentExpired(T0 + 30 * SECOND));
        assertFalse(agent.isValid(HOST, T0 + 30 * SECOND));

        // a consent check refreshes it
        sendCheck(HOST, T0 + 20 * SECOND, b -> b);
        assertFalse(agent.isConsentExpired(T0 + 49 * SECOND));
        assertTrue(agent.isConsentExpired(T0 + 50 * SECOND));

        // checks on another address do not refresh the selected one; failed checks refresh nothing
        sendCheck(SRFLX, T0 + 45 * SECOND, b -> b);
        send(check().messageIntegrity(browser.passwordBytes()), HOST, T0 + 45 * SECOND);
        assertTrue(agent.isConsentExpired(T0 + 50 * SECOND));
        assertTrue(agent.isValid(SRFLX, T0 + 50 * SECOND));
    }

    @Test
    void consentBeforeNominationFollowsTheFreshestAddress() throws Exception {
        sendCheck(HOST, T0, b -> b);
        sendCheck(SRFLX, T0 + 10 * SECOND, b -> b);
        assertFalse(agent.isConsentExpired(T0 + 35 * SECOND));
        assertTrue(agent.isConsentExpired(T0 + 40 * SECOND));
    }

    @Test
    void consentWorksAcrossTheNanoTimeSignChange() throws Exception {
        long start = Long.MAX_VALUE - 5 * SECOND;
        sendCheck(HOST, start, StunMessage.Builder::useCandidate);
        assertFalse(agent.isConsentExpired(start + 29 * SECOND));
        assertTrue(agent.isConsentExpired(start + 31 * SECOND));
    }

    @Test
    void iceControlledIsARoleConflict() throws Exception {
        IceCheckResult result = send(StunMessage.builder(StunClass.REQUEST, 1)
                .username(sfu.ufrag() + ":" + browser.ufrag()).priority(1).iceControlled(42)
                .messageIntegrity(sfu.passwordBytes()).fingerprint(), HOST, T0);
        assertEquals(Outcome.ROLE_CONFLICT, result.outcome());
        assertFalse(result.addressValid());
        StunMessage response = decodeResponse(result);
        assertEquals(487, response.errorCode().orElseThrow().code());
        assertEquals(StunMessage.IntegrityStatus.VALID, response.checkIntegrity(sfu.passwordBytes()));
        assertEquals(1, agent.stats().roleConflicts());
        assertFalse(agent.isValid(HOST, T0));
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420() throws Exception {
        IceCheckResult result = sendCheck(HOST, T0, b -> b.attribute(0x7ABC, new byte[]{1}));
        assertEquals(Outcome.UNKNOWN_ATTRIBUTE, result.outcome());
        StunMessage response = decodeResponse(result);
        assertEquals(420, response.errorCode().orElseThrow().code());
        assertEquals(List.of(0x7ABC), response.unknownAttributes());
        assertEquals(StunMessage.IntegrityStatus.VALID, response.checkIntegrity(sfu.passwordBytes()));
        // unknown comprehension-optional attributes (Chrome's GOOG-NETWORK-INFO) are fine
        assertEquals(Outcome.SUCCESS, sendCheck(HOST, T0, b -> b.attribute(0xC057, new byte[]{0, 1, 0, 10})).outcome());
    }

    @Test
    void indicationsAndResponsesAreIgnored() throws Exception {
        IceCheckResult indication = send(StunMessage.builder(StunClass.INDICATION, 1).fingerprint(), HOST, T0);
        assertEquals(Outcome.IGNORED, indication.outcome());
        assertNull(indication.response());
        IceCheckResult response = send(StunMessage.builder(StunClass.SUCCESS_RESPONSE, 1).xorMappedAddress(HOST), HOST,
                T0);
        assertEquals(Outcome.IGNORED, response.outcome());
        assertEquals(2, agent.stats().ignored());
    }

    @Test
    void datagramsAreDecodedAndMalformedOnesCounted() throws Exception {
        byte[] raw = check().useCandidate().messageIntegrity(sfu.passwordBytes()).fingerprint().encode();
        ByteBuf good = Unpooled.wrappedBuffer(raw);
        ByteBuf bad = Unpooled.wrappedBuffer(raw, 0, raw.length - 3);
        try {
            assertEquals(Outcome.SUCCESS, agent.handle(good, HOST, T0).outcome());
            IceCheckResult malformed = agent.handle(bad, HOST, T0);
            assertEquals(Outcome.MALFORMED, malformed.outcome());
            assertFalse(malformed.hasResponse());
            assertEquals(Optional.of(HOST), malformed.selectedAddress());
            assertEquals(1, good.refCnt());
            assertEquals(0, good.readerIndex());
        } finally {
            good.release();
            bad.release();
        }
        assertEquals(new IceAgentStats(1, 0, 0, 0, 0, 0, 0, 1), agent.stats());
    }

    @Test
    void rawBytesMustBeTheRequests() throws Exception {
        byte[] raw = check().messageIntegrity(sfu.passwordBytes()).encode();
        StunMessage request = StunMessage.decode(raw);
        byte[] other = raw.clone();
        other[other.length - 1] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> agent.handle(request, other, HOST, T0));
        assertThrows(IllegalArgumentException.class,
                () -> agent.handle(request, raw, InetSocketAddress.createUnresolved("example.org", 1), T0));
    }

    @Test
    void rememberedAddressesAreBoundedAndKeepTheSelectedOne() throws Exception {
        sendCheck(HOST, T0, StunMessage.Builder::useCandidate);
        for (int i = 0; i < 3 * IceLiteAgent.MAX_REMEMBERED_ADDRESSES; i++) {
            sendCheck(address("10.0.0." + (i + 1), 40000 + i), T0 + i, b -> b);
        }
        assertEquals(Optional.of(HOST), agent.selectedAddress());
        assertTrue(agent.isValid(HOST, T0 + SECOND));
        assertFalse(agent.isValid(address("10.0.0.1", 40000), T0 + SECOND), "the oldest is forgotten");
        assertTrue(agent.isValid(address("10.0.0.48", 40047), T0 + SECOND));
        assertFalse(agent.isConsentExpired(T0 + 29 * SECOND));
    }

    @Test
    void concurrentChecksAreAllCounted() throws Exception {
        int threads = 4;
        int perThread = 300;
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) {
            requests.add(check().useCandidate().messageIntegrity(sfu.passwordBytes()).fingerprint().encode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                InetSocketAddress from = address("10.1.0." + (t + 1), 5000);
                futures.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = first; i < first + perThread; i++) {
                        byte[] raw = requests.get(i);
                        IceCheckResult r = agent.handle(StunMessage.decode(raw), raw, from, T0 + i);
                        StunMessage response = StunMessage.decode(r.response());
                        if (response.checkIntegrity(sfu.passwordBytes()) == StunMessage.IntegrityStatus.VALID
                                && response.xorMappedAddress().orElseThrow().equals(from)) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : futures) {
                assertEquals(perThread, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertEquals(threads * perThread, agent.stats().checksOk());
    }
}
