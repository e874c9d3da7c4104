package io.streamkit.relay.control.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down and then locks out password guessing, per account and per remote address.
 *
 * <p>The caller asks {@link #check(String, String)} before it verifies a password and refuses the
 * attempt when the verdict is not {@link Verdict#allowed() allowed}; it reports the outcome with
 * {@link #recordFailure(String, String)} or {@link #recordSuccess(String, String)}. With the
 * {@linkplain Policy#defaults() default policy}, five failures for one account within 15 minutes
 * lock that account for 15 minutes, and twenty failures from one address within 15 minutes lock
 * that address for 15 minutes, whatever accounts were tried. Below the limit each failure returns
 * a delay hint that doubles with every failure in the window (1 s, 2 s, 4 s, ... up to 30 s),
 * which the caller may send as {@code Retry-After} or wait before answering.
 *
 * <p>A success clears the account's failures and lock-out. It does not clear the address's
 * failures, so that an attacker cannot wash an address clean by logging into an account of their
 * own between guesses; they age out of the window instead. Failures reported while a lock-out is
 * running neither count nor extend it.
 *
 * <p>Account names are compared ignoring case and surrounding white space and cut at 256
 * characters; addresses are compared as given (a caller may pass an IPv6 /64 prefix). Memory is
 * bounded: each of the two tables keeps at most {@link Policy#maxEntries()} entries, evicting
 * entries with nothing left in the window first, then those idle the longest, and running
 * lock-outs last. Time comes from the injected {@link Clock}. Thread-safe.
 */
public final class LoginThrottle {
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    private static final int MAX_KEY_LENGTH = 256;

    /**
     * Limits of a {@link LoginThrottle}. Derive variations of {@link #defaults()} with the
     * {@code with...} methods.
     *
     * @param accountMaxFailures failures of one account within {@code window} that lock it, 1 to
     *        1,000
     * @param addressMaxFailures failures from one address within {@code window} that lock it, 1
     *        to 10,000
     * @param window how far back failures count, positive
     * @param lockout how long a lock-out lasts, positive
     * @param baseDelay delay hint after the first failure, doubled with each further one, not
     *        negative
     * @param maxDelay largest delay hint, not less than {@code baseDelay}
     * @param maxEntries most accounts, and separately most addresses, tracked at once; 16 to
     *        10,000,000
     */
    public record Policy(int accountMaxFailures, int addressMaxFailures, Duration window, Duration lockout,
            Duration baseDelay, Duration maxDelay, int maxEntries) {

        /** Checks the ranges given above. */
        public Policy {
            range(accountMaxFailures, 1, 1_000, "accountMaxFailures");
            range(addressMaxFailures, 1, 10_000, "addressMaxFailures");
            positive(window, "window");
            positive(lockout, "lockout");
            Objects.requireNonNull(baseDelay, "baseDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
            if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || maxDelay.compareTo(Duration.ofDays(
                    1)) > 0) {
                throw new IllegalArgumentException("delays must satisfy 0 <= baseDelay <= maxDelay <= 1 day, got "
                        + baseDelay + " and " + maxDelay);
            }
            range(maxEntries, 16, 10_000_000, "maxEntries");
        }

        /**
         * @return 5 failures per account and 20 per address within 15 minutes, 15 minutes of
         *         lock-out, delay hints from 1 s to 30 s, 10,000 entries per table
         */
        public static Policy defaults() {
            return new Policy(5, 20, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofSeconds(1), Duration
                    .ofSeconds(30), 10_000);
        }

        /**
         * @param n failures that lock an account
         * @return a copy with that limit
         */
        public Policy withAccountMaxFailures(int n) {
            return new Policy(n, addressMaxFailures, window, lockout, baseDelay, maxDelay, maxEntries);
        }

        /**
         * @param n failures that lock an address
         * @return a copy with that limit
         */
        public Policy withAddressMaxFailures(int n) {
            return new Policy(accountMaxFailures, n, window, lockout, baseDelay, maxDelay, maxEntries);
        }

        /**
         * @param d how far back failures count
         * @return a copy with that window
         */
        public Policy withWindow(Duration d) {
            return new Policy(accountMaxFailures, addressMaxFailures, d, lockout, baseDelay, maxDelay, maxEntries);
        }

        /**
         * @param d how long a lock-out lasts
         * @return a copy with that lock-out
         */
        public Policy withLockout(Duration d) {
            return new Policy(accountMaxFailures, addressMaxFailures, window, d, baseDelay, maxDelay, maxEntries);
        }

        /**
         * @param base delay hint after the first failure
         * @param max largest delay hint
         * @return a copy with those delays
         */
        public Policy withDelays(Duration base, Duration max) {
            return new Policy(accountMaxFailures, addressMaxFailures, window, lockout, base, max, maxEntries);
        }

        /**
         * @param n most entries per table
         * @return a copy with that bound
         */
        public Policy withMaxEntries(int n) {
            return new Policy(accountMaxFailures, addressMaxFailures, window, lockout, baseDelay, maxDelay, n);
        }

        private static void range(int value, int min, int max, String name) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + value);
            }
        }

        private static void positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
        }
    }

    /** What a lock-out applies to. */
    public enum Scope {
        /** The account named in the login. */
        ACCOUNT,
        /** The remote address the login came from. */
        ADDRESS
    }

    /**
     * The answer of {@link #check(String, String)}.
     *
     * @param allowed whether the attempt may go ahead
     * @param retryAfter how long until the lock-out ends, {@link Duration#ZERO} when allowed
     * @param lockedBy what is locked, {@code null} when allowed
     */
    public record Verdict(boolean allowed, Duration retryAfter, Scope lockedBy) {
        private static final Verdict ALLOWED = new Verdict(true, Duration.ZERO, null);

        /** Checks that the fields agree. */
        public Verdict {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (allowed != (lockedBy == null) || allowed != retryAfter.isZero() || retryAfter.isNegative()) {
                throw new IllegalArgumentException("an allowed verdict has no lock and no wait, a refused one both");
            }
        }

        /** @return the verdict that lets an attempt go ahead */
        public static Verdict allow() {
            return ALLOWED;
        }
    }

    private final Policy policy;
    private final Clock clock;
    private final Object lock = new Object();
    private final Table accounts;
    private final Table addresses;

    /** Creates a throttle with the {@linkplain Policy#defaults() default policy} and the system clock. */
    public LoginThrottle() {
        this(Policy.defaults(), Clock.systemUTC());
    }

    /**
     * @param policy the limits
     * @param clock the source of the current time
     */
    public LoginThrottle(Policy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.accounts = new Table(Scope.ACCOUNT, policy.accountMaxFailures());
        this.addresses = new Table(Scope.ADDRESS, policy.addressMaxFailures());
    }

    /** @return the limits */
    public Policy policy() {
        return policy;
    }

    /**
     * Tells whether a login attempt may go ahead.
     *
     * @param account the login name offered
     * @param address the client's address, or {@code null} when unknown
     * @return allowed, or refused with the lock-out's remaining time; when both the account and
     *         the address are locked, the longer lock-out is reported
     */
    public Verdict check(String account, String address) {
        String accountKey = accountKey(account);
        synchronized (lock) {
            Instant now = clock.instant();
            Duration byAccount = accounts.lockRemaining(accountKey, now);
            Duration byAddress = address == null ? Duration.ZERO : addresses.lockRemaining(address, now);
            if (byAccount.isZero() && byAddress.isZero()) {
                return Verdict.allow();
            }
            return byAccount.compareTo(byAddress) >= 0
                    ? new Verdict(false, byAccount, Scope.ACCOUNT)
                    : new Verdict(false, byAddress, Scope.ADDRESS);
        }
    }

    /**
     * Records a failed login.
     *
     * @param account the login name offered
     * @param address the client's address, or {@code null} when unknown
     * @return how long the client should wait before trying again: the delay hint, or the
     *         lock-out's remaining time when this failure caused a lock-out or one is running
     */
    public Duration recordFailure(String account, String address) {
        String accountKey = accountKey(account);
        synchronized (lock) {
            Instant now = clock.instant();
            Duration wait = accounts.fail(accountKey, now);
            if (address != null) {
                Duration byAddress = addresses.fail(address, now);
                if (byAddress.compareTo(wait) > 0) {
                    wait = byAddress;
                }
            }
            return wait;
        }
    }

    /**
     * Records a successful login: clears the account's failures and lock-out. The address's
     * failures stay until they leave the window.
     *
     * @param account the login name
     * @param address the client's address, or {@code null}; its failures are kept on purpose
     */
    public void recordSuccess(String account, String address) {
        unlock(account);
    }

    /**
     * Clears an account's failures and lock-out, e.g. on an administrator's request.
     *
     * @param account the login name
     */
    public void unlock(String account) {
        String accountKey = accountKey(account);
        synchronized (lock) {
            accounts.entries.remove(accountKey);
        }
    }

    /**
     * @param account a login name
     * @return when the account's lock-out ends, empty when it is not locked
     */
    public Optional<Instant> lockedUntil(String account) {
        String accountKey = accountKey(account);
        synchronized (lock) {
            Entry e = accounts.entries.get(accountKey);
            Instant now = clock.instant();
            return e != null && e.lockedUntil != null && now.isBefore(e.lockedUntil)
                    ? Optional.of(e.lockedUntil)
                    : Optional.empty();
        }
    }

    /** @return how many accounts and addresses are tracked, for tests */
    int trackedEntries() {
        synchronized (lock) {
            return accounts.entries.size() + addresses.entries.size();
        }
    }

    private static String accountKey(String account) {
        Objects.requireNonNull(account, "account");
        String key = account.strip().toLowerCase(Locale.ROOT);
        return key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) : key;
    }

    /** Failures and lock-out of one account or address; guarded by the throttle's lock. */
    private static final class Entry {
        final ArrayDeque<Instant> failures = new ArrayDeque<>();
        Instant lockedUntil;
        Instant lastSeen;

        boolean locked(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }
    }

    /** The entries of one scope; guarded by the throttle's lock. */
    private final class Table {
        final Scope scope;
        final int maxFailures;
        final Map<String, Entry> entries = new HashMap<>();

        Table(Scope scope, int maxFailures) {
            this.scope = scope;
            this.maxFailures = maxFailures;
        }

        Duration lockRemaining(String key, Instant now) {
            Entry e = entries.get(key);
            return e != null && e.locked(now) ? Duration.between(now, e.lockedUntil) : Duration.ZERO;
        }

        Duration fail(String key, Instant now) {
            Entry e = entries.get(key);
            if (e == null) {
                makeRoom(now);
                e = new Entry();
                entries.put(key, e);
            }
            e.lastSeen = now;
            if (e.locked(now)) {
                return Duration.between(now, e.lockedUntil);
            }
            e.lockedUntil = null;
            Instant horizon = now.minus(policy.window());
            while (!e.failures.isEmpty() && !e.failures.peekFirst().isAfter(horizon)) {
                e.failures.removeFirst();
            }
            e.failures.addLast(now);
            int failures = e.failures.size();
            if (failures >= maxFailures) {
                e.failures.clear();
                e.lockedUntil = now.plus(policy.lockout());
                log.atInfo().addKeyValue("scope", scope).addKeyValue("key", key).log(
                        "login locked for {} after {} failed attempts within {}", policy.lockout(), failures, policy
                                .window());
                return policy.lockout();
            }
            return delay(failures);
        }

        private Duration delay(int failures) {
            int doublings = Math.min(failures - 1, 30);
            Duration d = policy.baseDelay().multipliedBy(1L << doublings);
            return d.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : d;
        }

        private boolean stale(Entry e, Instant now) {
            return !e.locked(now) && (e.failures.isEmpty() || !e.failures.peekLast().isAfter(now.minus(policy
                    .window())));
        }

        /** Keeps the table below its bound, leaving a tenth free so that sweeps stay rare. */
        private void makeRoom(Instant now) {
            int max = policy.maxEntries();
            if (entries.size() < max) {
                return;
            }
            entries.values().removeIf(e -> stale(e, now));
            int target = max - max / 10;
            if (entries.size() <= target) {
                return;
            }
            List<Map.Entry<String, Entry>> victims = new ArrayList<>(entries.entrySet());
            victims.sort(Comparator.comparing((Map.Entry<String, Entry> v) -> v.getValue().locked(now)).thenComparing(
                    v -> v.getValue().lastSeen));
            int excess = entries.size() - target;
            for (int i = 0; i < excess; i++) {
                entries.remove(victims.get(i).getKey());
            }
            log.debug("login throttle {} table full ({} entries); evicted the {} idle longest", scope, max, excess);
        }
    }
}
