package io.streamkit.relay.control.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.relay.control.auth.Role;
import io.streamkit.relay.control.model.AuditEntry;
import io.streamkit.relay.control.model.AuditQuery;
import io.streamkit.relay.control.model.InputDef;
import io.streamkit.relay.control.model.InputKind;
import io.streamkit.relay.control.model.OutputDef;
import io.streamkit.relay.control.model.SessionRecord;
import io.streamkit.relay.control.model.UserRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit of {@link ControlStore}: every implementation passes the same suite. A
 * subclass only says how to open a fresh, empty store ({@link #newStore()}); the kit opens one
 * before each test and closes it after.
 *
 * <p>Besides the SPI's own rules the kit checks the uniqueness the model documents (input names and
 * stream keys, output names per input, emails ignoring case), that failures are
 * {@link StoreException}s that quote no secret, that instants keep at least millisecond precision and
 * that concurrent writers lose nothing.
 */
public abstract class ControlStoreContract {

    /** A base time with millisecond precision, which every store must keep exactly. */
    protected static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123Z");

    /** The store under test, opened before each test by {@link #newStore()}. */
    protected ControlStore store;

    /** For subclasses. */
    protected ControlStoreContract() {
    }

    /**
     * @return a new store over an empty database
     * @throws Exception when it cannot be opened
     */
    protected abstract ControlStore newStore() throws Exception;

    @BeforeEach
    void openStoreBeforeEach() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStoreAfterEach() {
        if (store != null) {
            store.close();
        }
    }

    // ------------------------------------------------------------------------------- fixtures

    /** @return an RTMP input created at {@code T0 + createdSeconds} */
    protected static InputDef input(String id, String name, String streamKey, long createdSeconds) {
        Instant t = T0.plusSeconds(createdSeconds);
        return new InputDef(id, name, InputKind.RTMP, streamKey, null, null, null, null, true, t, t);
    }

    /** @return an output created at {@code T0 + createdSeconds} */
    protected static OutputDef output(String id, String inputId, String name, long createdSeconds) {
        Instant t = T0.plusSeconds(createdSeconds);
        return new OutputDef(id, inputId, name, "rtmp://live.example.net/app/" + id, true, t, t);
    }

    /** @return a viewer without 2FA created at {@code T0 + createdSeconds} */
    protected static UserRecord user(String id, String email, long createdSeconds) {
        Instant t = T0.plusSeconds(createdSeconds);
        return new UserRecord(id, email, "pbkdf2$310000$c2FsdA$" + id, Role.VIEWER, null, 0, List.of(), false, t, t);
    }

    /** @return a session of the user, expiring a day after {@code T0} */
    protected static SessionRecord session(String id, String userId) {
        return new SessionRecord(id, userId, 1, "192.0.2.7", T0, T0.plus(Duration.ofDays(1)));
    }

    /** @return an audit entry (sequence 0, to be assigned) at {@code T0 + seconds} */
    protected static AuditEntry entry(long seconds, String actor, String action, String target) {
        return new AuditEntry(0, T0.plusSeconds(seconds), actor, "198.51.100.1", action, target, null);
    }

    private static void assertNoSecretIn(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "a secret in: " + t);
        }
    }

    private static <T> List<String> ids(List<T> records, Function<T, String> id) {
        return records.stream().map(id).collect(Collectors.toList());
    }

    // --------------------------------------------------------------------------------- inputs

    @Test
    void inputsRoundTripEveryFieldIncludingNulls() {
        InputDef srt = new InputDef("in-srt", "Main camera", InputKind.SRT, "key-srt", null, 200,
                "passphrase-0123456789", 32, true, T0, T0.plusMillis(5));
        InputDef pull = new InputDef("in-pull", "Pulled", InputKind.PULL, "key-pull",
                "srt://origin.example.net:9000?streamid=read:cam", null, null, null, false, T0.plusSeconds(1), T0
                        .plusSeconds(2));
        InputDef rtmp = new InputDef("in-rtmp", "Stüdio ✓", InputKind.RTMP, "key-rtmp", null, null, null, null, true,
                T0.plusSeconds(2), T0.plusSeconds(2));
        store.putInput(srt);
        store.putInput(pull);
        store.putInput(rtmp);

        assertEquals(Optional.of(srt), store.input("in-srt"));
        assertEquals(Optional.of(pull), store.input("in-pull"));
        assertEquals(Optional.of(rtmp), store.input("in-rtmp"));
        assertEquals(Optional.of(pull), store.inputByStreamKey("key-pull"));
        assertEquals(List.of(srt, pull, rtmp), store.inputs());
        assertEquals(Optional.empty(), store.input("missing"));
        assertEquals(Optional.empty(), store.inputByStreamKey("missing"));
    }

    @Test
    void inputsAreOrderedByCreationTime() {
        store.putInput(input("c", "C", "kc", 20));
        store.putInput(input("a", "A", "ka", 0));
        store.putInput(input("b", "B", "kb", 10));
        assertEquals(List.of("a", "b", "c"), ids(store.inputs(), InputDef::id));
    }

    @Test
    void putInputReplacesTheInputAndKeepsItsOutputs() {
        InputDef in = input("in", "Camera", "old-key", 0);
        store.putInput(in);
        store.putOutput(output("out", "in", "YouTube", 1));
        InputDef changed = in.withStreamKey("new-key", T0.plusSeconds(5)).withEnabled(false, T0.plusSeconds(6));
        store.putInput(changed);

        assertEquals(List.of(changed), store.inputs());
        assertEquals(Optional.of(changed), store.inputByStreamKey("new-key"));
        assertEquals(Optional.empty(), store.inputByStreamKey("old-key"));
        assertEquals(1, store.outputsOf("in").size(), "replacing an input keeps its outputs");
    }

    @Test
    void deleteInputDeletesItsOutputs() {
        store.putInput(input("a", "A", "ka", 0));
        store.putInput(input("b", "B", "kb", 1));
        store.putOutput(output("a1", "a", "One", 2));
        store.putOutput(output("a2", "a", "Two", 3));
        store.putOutput(output("b1", "b", "One", 4));

        assertTrue(store.deleteInput("a"));
        assertFalse(store.deleteInput("a"));
        assertEquals(Optional.empty(), store.input("a"));
        assertEquals(Optional.empty(), store.output("a1"));
        assertEquals(List.of(), store.outputsOf("a"));
        assertEquals(List.of("b1"), ids(store.outputs(), OutputDef::id));
        assertFalse(store.deleteInput("never-existed"));
    }

    @Test
    void inputStreamKeysAndNamesAreUnique() {
        InputDef a = input("a", "Camera", "secret-stream-key-1", 0);
        store.putInput(a);
        StoreException sameKey = assertThrows(StoreException.class, () -> store.putInput(input("b", "Other",
                "secret-stream-key-1", 1)));
        assertNoSecretIn(sameKey, "secret-stream-key-1");
        assertThrows(StoreException.class, () -> store.putInput(input("b", "Camera", "secret-stream-key-2", 1)));
        assertEquals(List.of(a), store.inputs(), "a refused change leaves the store as it was");
        // the store still works after a refused change
        store.putInput(input("b", "Other", "secret-stream-key-2", 1));
        assertEquals(2, store.inputs().size());
    }

    // -------------------------------------------------------------------------------- outputs

    @Test
    void outputsRoundTripInCreationOrder() {
        store.putInput(input("a", "A", "ka", 0));
        store.putInput(input("b", "B", "kb", 0));
        OutputDef a2 = new OutputDef("a2", "a", "Twitch", "rtmps://live.twitch.tv/app/sk_secret", false, T0
                .plusSeconds(9), T0.plusSeconds(10));
        OutputDef a1 = output("a1", "a", "YouTube", 5);
        OutputDef b1 = new OutputDef("b1", "b", "SRT listener", "srt://:9000?mode=listener", true, T0.plusSeconds(7),
                T0.plusSeconds(7));
        store.putOutput(a2);
        store.putOutput(a1);
        store.putOutput(b1);

        assertEquals(Optional.of(a2), store.output("a2"));
        assertEquals(List.of(a1, a2), store.outputsOf("a"));
        assertEquals(List.of(b1), store.outputsOf("b"));
        assertEquals(List.of(a1, b1, a2), store.outputs());
        assertEquals(List.of(), store.outputsOf("missing"));
        assertEquals(Optional.empty(), store.output("missing"));

        OutputDef enabled = a2.withEnabled(true, T0.plusSeconds(11));
        store.putOutput(enabled);
        assertEquals(Optional.of(enabled), store.output("a2"));
        assertEquals(3, store.outputs().size());
    }

    @Test
    void outputsNeedAnExistingInput() {
        assertThrows(StoreException.class, () -> store.putOutput(output("o", "missing", "YouTube", 0)));
        assertEquals(List.of(), store.outputs());
    }

    @Test
    void outputNamesAreUniquePerInput() {
        store.putInput(input("a", "A", "ka", 0));
        store.putInput(input("b", "B", "kb", 0));
        store.putOutput(output("a1", "a", "YouTube", 1));
        store.putOutput(output("b1", "b", "YouTube", 2));
        assertThrows(StoreException.class, () -> store.putOutput(output("a2", "a", "YouTube", 3)));
        assertEquals(2, store.outputs().size());
    }

    @Test
    void deleteOutputSaysWhetherItExisted() {
        store.putInput(input("a", "A", "ka", 0));
        store.putOutput(output("a1", "a", "One", 1));
        store.putOutput(output("a2", "a", "Two", 2));
        assertTrue(store.deleteOutput("a1"));
        assertFalse(store.deleteOutput("a1"));
        assertEquals(List.of("a2"), ids(store.outputsOf("a"), OutputDef::id));
        assertTrue(store.input("a").isPresent(), "deleting an output keeps its input");
    }

    // ---------------------------------------------------------------------------------- users

    @Test
    void usersRoundTripEveryFieldIncludingNulls() {
        UserRecord admin = new UserRecord("u-admin", "ada@example.com", "pbkdf2$310000$c2FsdA$aGFzaA", Role.ADMIN,
                "JBSWY3DPEHPK3PXP", 57_000_123L, List.of("c3", "a1", "b2"), false, T0, T0.plusMillis(1));
        UserRecord tech = new UserRecord("u-tech", "tom@example.com", "pbkdf2$1$x$y", Role.TECHNICIAN, null, 0,
                List.of(), true, T0.plusSeconds(1), T0.plusSeconds(3));
        UserRecord viewer = user("u-viewer", "vic@example.com", 2);
        store.putUser(viewer);
        store.putUser(admin);
        store.putUser(tech);

        assertEquals(Optional.of(admin), store.user("u-admin"));
        assertEquals(Optional.of(tech), store.user("u-tech"));
        assertEquals(List.of(admin, tech, viewer), store.users());
        assertEquals(List.of("c3", "a1", "b2"), store.user("u-admin").orElseThrow().recoveryCodeHashes(),
                "recovery codes keep their order");
        assertEquals(Optional.empty(), store.user("missing"));
        assertEquals(Optional.empty(), store.userByEmail("missing@example.com"));
    }

    @Test
    void putUserReplacesEveryFieldAndTheRecoveryCodes() {
        UserRecord before = new UserRecord("u", "ada@example.com", "hash-1", Role.VIEWER, null, 0, List.of("r1",
                "r2", "r3"), false, T0, T0);
        store.putUser(before);
        UserRecord after = new UserRecord("u", "ada.lovelace@example.com", "hash-2", Role.ADMIN, "JBSWY3DPEHPK3PXP",
                42, List.of("r2"), true, T0, T0.plusSeconds(60));
        store.putUser(after);
        assertEquals(List.of(after), store.users());
        assertEquals(Optional.empty(), store.userByEmail("ada@example.com"));

        UserRecord noCodes = new UserRecord("u", "ada.lovelace@example.com", "hash-2", Role.ADMIN, null, 42, List
                .of(), true, T0, T0.plusSeconds(61));
        store.putUser(noCodes);
        assertEquals(Optional.of(noCodes), store.user("u"));
    }

    @Test
    void userByEmailIgnoresCase() {
        UserRecord u = user("u", "ada@example.com", 0);
        store.putUser(u);
        assertEquals(Optional.of(u), store.userByEmail("ada@example.com"));
        assertEquals(Optional.of(u), store.userByEmail("ADA@Example.COM"));
    }

    @Test
    void emailsAreUniqueIgnoringCase() {
        UserRecord ada = user("u1", "ada@example.com", 0);
        store.putUser(ada);
        StoreException e = assertThrows(StoreException.class, () -> store.putUser(user("u2", "Ada@Example.com", 1)));
        assertNoSecretIn(e, "pbkdf2$310000$c2FsdA$u2");
        assertEquals(List.of(ada), store.users());
        store.putUser(user("u2", "bob@example.com", 1));
        assertThrows(StoreException.class, () -> store.putUser(user("u2", "ada@example.com", 1)),
                "taking another user's email");
        assertEquals("bob@example.com", store.user("u2").orElseThrow().email());

        UserRecord renamed = user("u1", "ada@example.org", 0);
        store.putUser(renamed); // a user may change their own email
        store.putUser(user("u3", "ada@example.com", 2)); // which frees the old one
        assertEquals(3, store.users().size());
    }

    @Test
    void deleteUserDeletesTheirSessions() {
        store.putUser(user("u1", "a@example.com", 0));
        store.putUser(user("u2", "b@example.com", 1));
        store.putSession(session("s1", "u1"));
        store.putSession(session("s2", "u1"));
        store.putSession(session("s3", "u2"));

        assertTrue(store.deleteUser("u1"));
        assertFalse(store.deleteUser("u1"));
        assertEquals(Optional.empty(), store.session("s1"));
        assertEquals(Optional.empty(), store.session("s2"));
        assertTrue(store.session("s3").isPresent());
        assertEquals(List.of("u2"), ids(store.users(), UserRecord::id));
    }

    // ------------------------------------------------------------------------------- sessions

    @Test
    void sessionsRoundTripAndRotate() {
        store.putUser(user("u", "a@example.com", 0));
        SessionRecord s = new SessionRecord("s", "u", 1, null, T0, T0.plusSeconds(3600));
        store.putSession(s);
        assertEquals(Optional.of(s), store.session("s"));

        SessionRecord rotated = new SessionRecord("s", "u", 2, "2001:db8::1", T0, T0.plusSeconds(7200));
        store.putSession(rotated);
        assertEquals(Optional.of(rotated), store.session("s"));
        assertEquals(Optional.empty(), store.session("missing"));

        assertTrue(store.deleteSession("s"));
        assertFalse(store.deleteSession("s"));
        assertEquals(Optional.empty(), store.session("s"));
    }

    @Test
    void sessionsNeedAnExistingUser() {
        assertThrows(StoreException.class, () -> store.putSession(session("s", "missing")));
        assertEquals(Optional.empty(), store.session("s"));
    }

    @Test
    void deleteSessionsOfEndsOnlyThatUsersSessions() {
        store.putUser(user("u1", "a@example.com", 0));
        store.putUser(user("u2", "b@example.com", 1));
        store.putSession(session("s1", "u1"));
        store.putSession(session("s2", "u1"));
        store.putSession(session("s3", "u2"));
        store.deleteSessionsOf("u1");
        store.deleteSessionsOf("nobody");
        assertEquals(Optional.empty(), store.session("s1"));
        assertEquals(Optional.empty(), store.session("s2"));
        assertTrue(store.session("s3").isPresent());
        assertTrue(store.user("u1").isPresent(), "ending sessions keeps the user");
    }

    // ---------------------------------------------------------------------------------- audit

    @Test
    void appendAuditAssignsIncreasingSequenceNumbersAndKeepsEveryField() {
        AuditEntry full = new AuditEntry(0, T0, "ada@example.com", "203.0.113.9", "input.create", "in-1",
                "created “Main camera”");
        AuditEntry sparse = new AuditEntry(0, T0.plusMillis(1), "system", null, "server.start", null, null);
        AuditEntry first = store.appendAudit(full);
        AuditEntry second = store.appendAudit(sparse);

        assertTrue(first.seq() > 0, "sequence numbers are positive");
        assertTrue(second.seq() > first.seq(), "sequence numbers increase");
        assertEquals(new AuditEntry(first.seq(), full.at(), full.actor(), full.remote(), full.action(), full.target(),
                full.detail()), first);
        assertEquals(List.of(second, first), store.audit(AuditQuery.latest(10)));
    }

    @Test
    void auditAppliesEveryFilterNewestFirst() {
        AuditEntry e1 = store.appendAudit(entry(0, "ada@example.com", "user.login", null));
        AuditEntry e2 = store.appendAudit(entry(1, "bob@example.com", "user.login.failed", null));
        AuditEntry e3 = store.appendAudit(entry(2, "ada@example.com", "input.create", "in-1"));
        AuditEntry e4 = store.appendAudit(entry(3, "system", "input.start", "in-1"));
        AuditEntry e5 = store.appendAudit(entry(4, "ada@example.com", "input.delete", "in-1"));

        assertEquals(List.of(e5, e4, e3, e2, e1), store.audit(AuditQuery.latest(10)));
        assertEquals(List.of(e5, e4), store.audit(AuditQuery.latest(2)));
        assertEquals(List.of(e5, e3, e1), query("ada@example.com", null, null, null, null, 10));
        assertEquals(List.of(), query("ADA@example.com", null, null, null, null, 10), "actors match exactly");
        assertEquals(List.of(e5, e4, e3), query(null, "input.", null, null, null, 10));
        assertEquals(List.of(e2, e1), query(null, "user.login", null, null, null, 10), "actions match by prefix");
        assertEquals(List.of(e5, e4, e3), query(null, null, T0.plusSeconds(2), null, null, 10), "since is inclusive");
        assertEquals(List.of(e2, e1), query(null, null, null, T0.plusSeconds(2), null, 10), "until is exclusive");
        assertEquals(List.of(e4, e3, e2), query(null, null, T0.plusSeconds(1), T0.plusSeconds(4), null, 10));
        assertEquals(List.of(e2, e1), query(null, null, null, null, e3.seq(), 10));
        assertEquals(List.of(e5, e3), query("ada@example.com", "input.", null, null, null, 10));
        assertEquals(List.of(e3), query("ada@example.com", "input", T0.plusSeconds(1), T0.plusSeconds(5), e5.seq(),
                1));
        assertEquals(List.of(), query("nobody", null, null, null, null, 10));
        assertEquals(List.of(), query(null, null, T0.plusSeconds(5), null, null, 10));
    }

    @Test
    void auditTimeBoundsAreExactBelowTheMillisecond() {
        AuditEntry e = store.appendAudit(entry(0, "system", "x", null));
        Instant justAfter = T0.plusNanos(1);
        assertEquals(List.of(), query(null, null, justAfter, null, null, 10), "since T0+1ns excludes T0");
        assertEquals(List.of(e), query(null, null, null, justAfter, null, 10), "until T0+1ns includes T0");
        assertEquals(List.of(e), query(null, null, T0.minusNanos(1), null, null, 10));
        assertEquals(List.of(), query(null, null, null, T0, null, 10));
    }

    @Test
    void auditActionPrefixIsLiteral() {
        AuditEntry percent = store.appendAudit(entry(0, "system", "a%b.x", null));
        AuditEntry underscore = store.appendAudit(entry(1, "system", "a_b.y", null));
        store.appendAudit(entry(2, "system", "axb.z", null));
        AuditEntry bang = store.appendAudit(entry(3, "system", "a!b", null));
        assertEquals(List.of(percent), query(null, "a%b", null, null, null, 10));
        assertEquals(List.of(underscore), query(null, "a_b", null, null, null, 10));
        assertEquals(List.of(bang), query(null, "a!", null, null, null, 10));
    }

    @Test
    void auditPagesByBeforeSeq() {
        List<AuditEntry> appended = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            appended.add(store.appendAudit(entry(i, i % 2 == 0 ? "even" : "odd", "test.step", String.valueOf(i))));
        }
        List<AuditEntry> all = new ArrayList<>();
        List<Integer> pages = new ArrayList<>();
        Long before = null;
        while (true) {
            List<AuditEntry> page = query(null, null, null, null, before, 10);
            if (page.isEmpty()) {
                break;
            }
            pages.add(page.size());
            all.addAll(page);
            before = page.get(page.size() - 1).seq();
        }
        assertEquals(List.of(10, 10, 5), pages);
        List<AuditEntry> newestFirst = new ArrayList<>(appended);
        Collections.reverse(newestFirst);
        assertEquals(newestFirst, all);

        List<AuditEntry> evens = query("even", null, null, null, appended.get(10).seq(), 3);
        assertEquals(List.of(appended.get(8), appended.get(6), appended.get(4)), evens);
    }

    private List<AuditEntry> query(String actor, String action, Instant since, Instant until, Long beforeSeq,
            int limit) {
        return store.audit(new AuditQuery(actor, action, since, until, beforeSeq, limit));
    }

    // ------------------------------------------------------------------------------- settings

    @Test
    void settingsAreStoredAndReplaced() {
        assertEquals(Optional.empty(), store.setting("token.key"));
        store.putSetting("token.key", "c2lnbmluZy1rZXk=");
        store.putSetting("motd", "Grüße ✓\nsecond line");
        assertEquals(Optional.of("c2lnbmluZy1rZXk="), store.setting("token.key"));
        store.putSetting("token.key", "bmV3LWtleQ==");
        assertEquals(Optional.of("bmV3LWtleQ=="), store.setting("token.key"));
        assertEquals(Optional.of("Grüße ✓\nsecond line"), store.setting("motd"));
        store.putSetting("empty", "");
        assertEquals(Optional.of(""), store.setting("empty"));
        String large = "x".repeat(20_000);
        store.putSetting("large", large);
        assertEquals(Optional.of(large), store.setting("large"));
    }

    // ----------------------------------------------------------------------------------- time

    @Test
    void instantsKeepAtLeastMillisecondPrecision() {
        List<Instant> times = List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999Z"), Instant.parse(
                "9999-12-31T23:59:59.999Z"), T0, T0.plusNanos(456_789));
        int i = 0;
        for (Instant t : times) {
            String id = "in-" + i++;
            store.putInput(new InputDef(id, id, InputKind.RTMP, id, null, null, null, null, true, t, t));
            Instant read = store.input(id).orElseThrow().createdAt();
            assertEquals(t.truncatedTo(ChronoUnit.MILLIS), read.truncatedTo(ChronoUnit.MILLIS), () -> "read back "
                    + read + " for " + t);
            assertFalse(read.isAfter(t), () -> "read back " + read + " after " + t);
        }
    }

    // ---------------------------------------------------------------------------- concurrency

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        int threads = 4;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Long>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    go.await();
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String id = thread + "-" + i;
                        store.putInput(input("in-" + id, "Input " + id, "key-" + id, i));
                        store.putUser(user("u-" + id, "user-" + id + "@example.com", i));
                        store.putSetting("last-" + thread, id);
                        store.putSetting("shared", id);
                        seqs.add(store.appendAudit(entry(i, "thread-" + thread, "test.write", id)).seq());
                        store.inputs(); // readers interleave with writers
                    }
                    return seqs;
                }));
            }
            go.countDown();
            Set<Long> seqs = new HashSet<>();
            for (Future<List<Long>> f : results) {
                List<Long> mine = f.get(120, TimeUnit.SECONDS);
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(mine.get(i) > mine.get(i - 1), "one thread's entries get increasing numbers");
                }
                seqs.addAll(mine);
            }
            assertEquals(threads * perThread, seqs.size(), "every entry has its own sequence number");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, store.inputs().size());
        assertEquals(threads * perThread, store.users().size());
        List<AuditEntry> log = store.audit(AuditQuery.latest(1000));
        assertEquals(threads * perThread, log.size());
        for (int i = 1; i < log.size(); i++) {
            assertTrue(log.get(i).seq() < log.get(i - 1).seq(), "newest first");
        }
        for (int t = 0; t < threads; t++) {
            assertEquals(Optional.of(t + "-" + (perThread - 1)), store.setting("last-" + t));
        }
        assertTrue(store.setting("shared").isPresent());
    }

    // ------------------------------------------------------------------------------ lifecycle

    @Test
    void closeIsIdempotent() {
        store.putSetting("k", "v");
        store.close();
        store.close();
    }

    @Test
    void refusedChangesLeaveTheStoreUsable() {
        store.putInput(input("a", "A", "ka", 0));
        for (int i = 0; i < 3; i++) {
            assertThrows(StoreException.class, () -> store.putOutput(output("o", "missing", "O", 0)));
        }
        store.putOutput(output("o", "a", "O", 0));
        assertNotEquals(Optional.empty(), store.output("o"));
    }
}
