package io.streamkit.relay.control.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Lock-out, delay hints, reset and memory bound of the login throttle. */
class LoginThrottleTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final String IP = "203.0.113.7";

    private final MutableClock clock = new MutableClock(T0);
    private final LoginThrottle throttle = new LoginThrottle(LoginThrottle.Policy.defaults(), clock);

    @Test
    void fiveFailuresLockTheAccountForFifteenMinutes() {
        for (int i = 1; i <= 4; i++) {
            assertTrue(throttle.check("alice@example.com", IP).allowed(), "attempt " + i);
            throttle.recordFailure("alice@example.com", IP);
            clock.advance(Duration.ofSeconds(10));
        }
        assertTrue(throttle.check("alice@example.com", IP).allowed());
        assertEquals(Duration.ofMinutes(15), throttle.recordFailure("alice@example.com", IP));

        LoginThrottle.Verdict verdict = throttle.check("alice@example.com", IP);
        assertEquals(new LoginThrottle.Verdict(false, Duration.ofMinutes(15), LoginThrottle.Scope.ACCOUNT), verdict);
        assertFalse(throttle.check("alice@example.com", "198.51.100.1").allowed(), "from anywhere");
        assertTrue(throttle.check("bob@example.com", IP).allowed(), "other accounts are not affected");
        assertEquals(Optional.of(clock.instant().plus(Duration.ofMinutes(15))), throttle.lockedUntil(
                "alice@example.com"));

        clock.advance(Duration.ofMinutes(14));
        assertEquals(Duration.ofMinutes(1), throttle.check("alice@example.com", IP).retryAfter());
        clock.advance(Duration.ofMinutes(1));
        assertTrue(throttle.check("alice@example.com", IP).allowed());
        assertEquals(Optional.empty(), throttle.lockedUntil("alice@example.com"));
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        for (int i = 0; i < 20; i++) {
            throttle.recordFailure("alice", null);
            clock.advance(Duration.ofMinutes(4));
        }
        assertTrue(throttle.check("alice", null).allowed(), "never five within 15 minutes");
    }

    @Test
    void delayHintsDouble() {
        LoginThrottle t = new LoginThrottle(LoginThrottle.Policy.defaults().withAccountMaxFailures(10), clock);
        List<Long> hints = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            hints.add(t.recordFailure("alice", null).toSeconds());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L, 30L), hints);
        assertEquals(Duration.ofMinutes(15), t.recordFailure("alice", null));
    }

    @Test
    void successClearsTheAccount() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("alice", null);
        }
        throttle.recordSuccess("alice", null);
        assertEquals(Duration.ofSeconds(1), throttle.recordFailure("alice", null), "counting starts again");
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure("alice", null);
        }
        assertTrue(throttle.check("alice", null).allowed());
    }

    @Test
    void theHintIsTheLongerOfAccountAndAddress() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("user" + i, IP);
        }
        assertEquals(Duration.ofSeconds(16), throttle.recordFailure("alice", IP), "fifth failure from the address");
        assertEquals(Duration.ofSeconds(2), throttle.recordFailure("alice", null), "second failure of alice");
    }

    @Test
    void successEndsALockOut() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("alice", IP);
        }
        assertFalse(throttle.check("alice", IP).allowed());
        throttle.recordSuccess("alice", IP);
        assertTrue(throttle.check("alice", IP).allowed());
    }

    @Test
    void anAdministratorCanUnlock() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("alice", IP);
        }
        throttle.unlock("Alice");
        assertTrue(throttle.check("alice", IP).allowed());
    }

    @Test
    void failuresDuringALockOutNeitherCountNorExtendIt() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("alice", null);
        }
        clock.advance(Duration.ofMinutes(10));
        assertEquals(Duration.ofMinutes(5), throttle.recordFailure("alice", null));
        clock.advance(Duration.ofMinutes(5));
        assertTrue(throttle.check("alice", null).allowed());
        assertEquals(Duration.ofSeconds(1), throttle.recordFailure("alice", null));
    }

    @Test
    void accountNamesIgnoreCaseAndSpaces() {
        for (String name : List.of("Alice@Example.com", " alice@example.com", "ALICE@EXAMPLE.COM", "alice@example.com",
                "alice@example.com\t")) {
            throttle.recordFailure(name, null);
        }
        assertFalse(throttle.check("alice@example.com", null).allowed());
    }

    @Test
    void twentyFailuresLockTheAddressWhateverTheAccounts() {
        for (int i = 0; i < 19; i++) {
            throttle.recordFailure("user" + i, IP);
        }
        assertTrue(throttle.check("someone-else", IP).allowed());
        assertEquals(Duration.ofMinutes(15), throttle.recordFailure("user19", IP));
        LoginThrottle.Verdict verdict = throttle.check("someone-else", IP);
        assertEquals(LoginThrottle.Scope.ADDRESS, verdict.lockedBy());
        assertEquals(Duration.ofMinutes(15), verdict.retryAfter());
        assertTrue(throttle.check("someone-else", "198.51.100.1").allowed(), "other addresses are not affected");
    }

    @Test
    void successDoesNotWashTheAddress() {
        for (int i = 0; i < 19; i++) {
            throttle.recordFailure("victim" + i, IP);
        }
        throttle.recordSuccess("attacker", IP);
        throttle.recordFailure("victim19", IP);
        assertEquals(LoginThrottle.Scope.ADDRESS, throttle.check("attacker", IP).lockedBy());
    }

    @Test
    void theLongerLockOutIsReported() {
        LoginThrottle t = new LoginThrottle(LoginThrottle.Policy.defaults().withAddressMaxFailures(5), clock);
        for (int i = 0; i < 5; i++) {
            t.recordFailure("alice", IP);
        }
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            t.recordFailure("alice", "198.51.100.1");
        }
        // alice was locked first, 198.51.100.1 a minute later
        assertEquals(new LoginThrottle.Verdict(false, Duration.ofMinutes(14), LoginThrottle.Scope.ACCOUNT), t.check(
                "alice", IP));
        assertEquals(new LoginThrottle.Verdict(false, Duration.ofMinutes(15), LoginThrottle.Scope.ADDRESS), t.check(
                "alice", "198.51.100.1"));
    }

    @Test
    void memoryIsBounded() {
        LoginThrottle t = new LoginThrottle(LoginThrottle.Policy.defaults().withMaxEntries(100), clock);
        for (int i = 0; i < 10_000; i++) {
            t.recordFailure("user" + i, "10.0." + (i / 256) + "." + (i % 256));
            assertTrue(t.trackedEntries() <= 200, "at most 100 accounts and 100 addresses");
        }
    }

    @Test
    void evictionSparesRunningLockOuts() {
        LoginThrottle t = new LoginThrottle(LoginThrottle.Policy.defaults().withMaxEntries(100), clock);
        for (int i = 0; i < 5; i++) {
            t.recordFailure("alice", null);
        }
        for (int i = 0; i < 1_000; i++) {
            clock.advance(Duration.ofMillis(100));
            t.recordFailure("flood" + i, null);
        }
        assertFalse(t.check("alice", null).allowed(), "the flood did not evict the lock-out");
    }

    @Test
    void staleEntriesAreEvictedFirst() {
        LoginThrottle t = new LoginThrottle(LoginThrottle.Policy.defaults().withMaxEntries(16), clock);
        for (int i = 0; i < 16; i++) {
            t.recordFailure("old" + i, null);
        }
        clock.advance(Duration.ofMinutes(16));
        t.recordFailure("new", null);
        assertEquals(1, t.trackedEntries());
    }

    @Test
    void concurrentFailuresAreAllCounted() throws Exception {
        int threads = 8;
        int perThread = 100;
        LoginThrottle t = new LoginThrottle(LoginThrottle.Policy.defaults().withAccountMaxFailures(threads
                * perThread).withAddressMaxFailures(10_000), clock);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < threads; n++) {
                int thread = n;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread - (thread == 0 ? 1 : 0); i++) {
                        t.recordFailure("alice", "10.0.0." + thread);
                        t.check("alice", "10.0.0." + thread);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(t.check("alice", null).allowed(), "one short of the limit");
        t.recordFailure("alice", null);
        assertFalse(t.check("alice", null).allowed());
    }

    @Test
    void policyIsValidated() {
        LoginThrottle.Policy d = LoginThrottle.Policy.defaults();
        assertEquals("accountMaxFailures must be 1 to 1000, got 0", assertThrows(IllegalArgumentException.class,
                () -> d.withAccountMaxFailures(0)).getMessage());
        assertEquals("window must be positive, got PT0S", assertThrows(IllegalArgumentException.class, () -> d
                .withWindow(Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withLockout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> d.withDelays(Duration.ofSeconds(5), Duration.ofSeconds(
                1)));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxEntries(15));
        assertEquals(5, d.accountMaxFailures());
        assertEquals(20, d.addressMaxFailures());
        assertEquals(Duration.ofMinutes(15), d.window());
        assertEquals(Duration.ofMinutes(15), d.lockout());
    }

    @Test
    void verdictFieldsAgree() {
        assertTrue(LoginThrottle.Verdict.allow().allowed());
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle.Verdict(true, Duration.ofSeconds(1),
                null));
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle.Verdict(false, Duration.ZERO,
                LoginThrottle.Scope.ACCOUNT));
    }
}
