package io.streamkit.relay.control.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.relay.control.auth.Role;
import io.streamkit.relay.control.model.AuditEntry;
import io.streamkit.relay.control.model.AuditQuery;
import io.streamkit.relay.control.model.InputDef;
import io.streamkit.relay.control.model.InputKind;
import io.streamkit.relay.control.model.OutputDef;
import io.streamkit.relay.control.model.UserRecord;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JdbcControlStore} on H2: the {@link ControlStoreContract} in memory and in a file, plus what
 * only H2 can show cheaply: restarts, a crash of the writing process, schema versions, reconnection.
 */
class H2ControlStoreTest {

    /** The contract on {@link JdbcControlStore#inMemory()}. */
    @Nested
    class InMemory extends ControlStoreContract {
        @Override
        protected ControlStore newStore() {
            return JdbcControlStore.inMemory();
        }

        @Test
        void eachInMemoryStoreIsItsOwnDatabase() {
            store.putSetting("k", "v");
            try (JdbcControlStore other = JdbcControlStore.inMemory()) {
                assertEquals(Optional.empty(), other.setting("k"));
            }
        }
    }

    /** The contract on {@link JdbcControlStore#embedded(Path)}. */
    @Nested
    class FileBased extends ControlStoreContract {
        @TempDir
        Path dir;

        @Override
        protected ControlStore newStore() {
            return JdbcControlStore.embedded(dir.resolve("data"));
        }

        @Test
        void everythingSurvivesCloseAndReopen() {
            InputDef in = new InputDef("in", "Camera", InputKind.SRT, "key", null, 120, "passphrase-0123", 16, true,
                    T0, T0);
            OutputDef out = output("out", "in", "YouTube", 1);
            UserRecord u = new UserRecord("u", "ada@example.com", "hash", Role.ADMIN,
                    "JBSWY3DPEHPK3PXP", 7, List.of("r1", "r2"), false, T0, T0);
            store.putInput(in);
            store.putOutput(out);
            store.putUser(u);
            store.putSession(session("s", "u"));
            AuditEntry e = store.appendAudit(entry(0, "ada@example.com", "input.create", "in"));
            store.putSetting("token.key", "k");
            store.close();

            store = JdbcControlStore.embedded(dir.resolve("data"));
            assertEquals(List.of(in), store.inputs());
            assertEquals(List.of(out), store.outputs());
            assertEquals(List.of(u), store.users());
            assertEquals(Optional.of(session("s", "u")), store.session("s"));
            assertEquals(List.of(e), store.audit(AuditQuery.latest(10)));
            assertEquals(Optional.of("k"), store.setting("token.key"));
            AuditEntry next = store.appendAudit(entry(1, "system", "server.start", null));
            assertTrue(next.seq() > e.seq(), "sequence numbers continue after a restart");
        }

        @Test
        void acknowledgedChangesSurviveACrashOfTheProcess() throws Exception {
            store.close();
            Path data = dir.resolve("data");
            Path log = dir.resolve("writer.log");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), CrashingWriter.class.getName(), data.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the writer finishes");
            assertEquals(CrashingWriter.EXIT, p.exitValue(), () -> "the writer halted after its writes: " + read(log));

            store = JdbcControlStore.embedded(data);
            assertEquals(CrashingWriter.COUNT, store.inputs().size());
            assertEquals(CrashingWriter.COUNT, store.audit(AuditQuery.latest(1000)).size());
            assertEquals(Optional.of(String.valueOf(CrashingWriter.COUNT - 1)), store.setting("last"));
        }

        @Test
        void theSchemaVersionIsRecordedAndANewerDatabaseIsRefused() throws Exception {
            store.close();
            String url = "jdbc:h2:file:" + dir.resolve("data").resolve("streamkit").toAbsolutePath();
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT version FROM streamkit_schema ORDER BY version")) {
                    List<Integer> versions = new ArrayList<>();
                    while (rs.next()) {
                        versions.add(rs.getInt(1));
                    }
                    assertEquals(List.of(1), versions);
                }
                s.execute("INSERT INTO streamkit_schema (version, applied_ms) VALUES (99, 0)");
            }
            StoreException e = assertThrows(StoreException.class, () -> JdbcControlStore.embedded(dir.resolve(
                    "data")));
            assertTrue(e.getMessage().contains("99"), e.getMessage());
        }

        private String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    /**
     * Writes to an embedded store, then halts the JVM without closing anything, as a crash would.
     * Run by {@link FileBased#acknowledgedChangesSurviveACrashOfTheProcess()} in a child process.
     */
    static final class CrashingWriter {
        static final int COUNT = 20;
        static final int EXIT = 42;

        private CrashingWriter() {
        }

        /**
         * @param args the data directory
         */
        public static void main(String[] args) {
            JdbcControlStore store = JdbcControlStore.embedded(Path.of(args[0]));
            for (int i = 0; i < COUNT; i++) {
                store.putInput(ControlStoreContract.input("in-" + i, "Input " + i, "key-" + i, i));
                store.appendAudit(ControlStoreContract.entry(i, "system", "input.create", "in-" + i));
                store.putSetting("last", String.valueOf(i));
            }
            Runtime.getRuntime().halt(EXIT);
        }
    }

    @Test
    void instantsAreTruncatedToTheMillisecond() {
        Instant fine = Instant.parse("2025-03-01T10:15:30.123456789Z");
        Instant before1970 = Instant.parse("1969-07-20T20:17:40.000999Z");
        try (JdbcControlStore store = JdbcControlStore.inMemory()) {
            store.putInput(
                    new InputDef("a", "A", InputKind.RTMP, "ka", null, null, null, null, true, fine, before1970));
            InputDef read = store.input("a").orElseThrow();
            assertEquals(Instant.parse("2025-03-01T10:15:30.123Z"), read.createdAt());
            assertEquals(Instant.parse("1969-07-20T20:17:40Z"), read.updatedAt());
            AuditEntry e = store.appendAudit(new AuditEntry(0, fine, "system", null, "x", null, null));
            assertEquals(Instant.parse("2025-03-01T10:15:30.123Z"), e.at(), "appendAudit returns the stored entry");
            assertEquals(List.of(e), store.audit(AuditQuery.latest(1)));
        }
    }

    @Test
    void aClosedSessionIsReplacedBeforeTheNextOperation() throws Exception {
        String url = "jdbc:h2:mem:reconnect-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        AtomicInteger connects = new AtomicInteger();
        try (Connection admin = DriverManager.getConnection(url, "sa", "")) {
            try (JdbcControlStore store = JdbcControlStore.open(() -> {
                connects.incrementAndGet();
                return DriverManager.getConnection(url, "sa", "");
            }, JdbcControlStore.Dialect.H2)) {
                store.putSetting("k", "v");
                assertEquals(1, connects.get());
                abortOtherSessions(admin);
                assertEquals(Optional.of("v"), store.setting("k"));
                assertEquals(2, connects.get());
                abortOtherSessions(admin);
                assertEquals(1, store.appendAudit(new AuditEntry(0, Instant.EPOCH, "system", null, "x", null, null))
                        .seq());
                assertEquals(3, connects.get());
            }
            try (Statement s = admin.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }

    private static void abortOtherSessions(Connection admin) throws SQLException {
        try (Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT ABORT_SESSION(SESSION_ID) FROM INFORMATION_SCHEMA.SESSIONS"
                                + " WHERE SESSION_ID <> SESSION_ID()")) {
            int aborted = 0;
            while (rs.next()) {
                aborted += rs.getBoolean(1) ? 1 : 0;
            }
            assertEquals(1, aborted, "the store's session was aborted");
        }
    }

    @Test
    void anOperationThatMeetsABrokenConnectionIsRetriedOnceUnlessItAppends() {
        String url = "jdbc:h2:mem:retry-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        List<BreakableConnection> connections = new ArrayList<>();
        JdbcControlStore store = JdbcControlStore.open(() -> {
            BreakableConnection c = new BreakableConnection(DriverManager.getConnection(url, "sa", ""));
            connections.add(c);
            return c.proxy();
        }, JdbcControlStore.Dialect.H2);
        try {
            store.putSetting("k", "v");
            connections.get(0).broken = true;
            assertEquals(Optional.of("v"), store.setting("k"), "a read is retried on a new connection");
            assertEquals(2, connections.size());
            connections.get(1).broken = true;
            store.putSetting("k", "w");
            assertEquals(3, connections.size());

            connections.get(2).broken = true;
            StoreException e = assertThrows(StoreException.class, () -> store.appendAudit(new AuditEntry(0,
                    Instant.EPOCH, "system", null, "x", null, null)), "an append is not retried");
            assertEquals("appending to the audit log failed (SQLSTATE 08006)", e.getMessage());
            assertEquals(3, connections.size());
            assertEquals(1, store.appendAudit(new AuditEntry(0, Instant.EPOCH, "system", null, "x", null, null))
                    .seq(), "the next operation reconnects");
            assertEquals(4, connections.size());
            assertEquals(Optional.of("w"), store.setting("k"));
            assertTrue(connections.subList(0, 3).stream().allMatch(c -> c.closed), "broken connections are closed");
            store.close();
            assertTrue(connections.get(3).closed, "close closes the connection");
        } finally {
            store.close();
        }
    }

    /** A connection that, once {@code broken}, fails every statement like a dead network link. */
    private static final class BreakableConnection implements InvocationHandler {
        private final Connection real;
        volatile boolean broken;
        volatile boolean closed;

        BreakableConnection(Connection real) {
            this.real = real;
        }

        Connection proxy() {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{
                    Connection.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "isValid" :
                    return !broken && real.isValid((Integer) args[0]);
                case "prepareStatement", "createStatement", "commit" :
                    if (broken) {
                        throw new SQLException("Connection reset", "08006");
                    }
                    break;
                case "close" :
                    closed = true;
                    break;
                default :
                    break;
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    @Test
    void operationsAfterCloseFail() {
        JdbcControlStore store = JdbcControlStore.inMemory();
        store.close();
        StoreException e = assertThrows(StoreException.class, store::inputs);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void anUnreachableDatabaseIsAStoreException() {
        StoreException e = assertThrows(StoreException.class, () -> JdbcControlStore.open(() -> {
            throw new SQLException("connection refused", "08001");
        }, JdbcControlStore.Dialect.POSTGRESQL));
        assertTrue(e.getMessage().startsWith("opening the control store"), e.getMessage());
        assertTrue(e.getMessage().contains("08001"), e.getMessage());
    }

    @Test
    void aStoreOpensAnExistingDatabaseWithoutMigratingAgain() {
        String url = "jdbc:h2:mem:reopen-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        JdbcControlStore.Connector connector = () -> DriverManager.getConnection(url, "sa", "");
        try (JdbcControlStore first = JdbcControlStore.open(connector, JdbcControlStore.Dialect.H2)) {
            first.putSetting("k", "v");
        }
        try (JdbcControlStore second = JdbcControlStore.open(connector, JdbcControlStore.Dialect.H2)) {
            assertEquals(Optional.of("v"), second.setting("k"));
        }
    }

    @Test
    void constraintMessagesNameTheRuleNotTheValues() {
        try (JdbcControlStore store = JdbcControlStore.inMemory()) {
            store.putInput(ControlStoreContract.input("a", "A", "secret-key", 0));
            StoreException e = assertThrows(StoreException.class, () -> store.putInput(ControlStoreContract.input(
                    "b", "B", "secret-key", 0)));
            assertEquals("saving input b failed: another input has this stream key (SQLSTATE 23505)", e.getMessage());
            assertEquals(null, e.getCause(), "the driver's message quotes the key");
            e = assertThrows(StoreException.class, () -> store.putOutput(ControlStoreContract.output("o", "x", "O",
                    0)));
            assertTrue(
                    e.getMessage()
                            .startsWith("saving output o failed: the output's input does not exist (SQLSTATE 2350"),
                    e.getMessage());
            store.putUser(ControlStoreContract.user("u1", "ada@example.com", 0));
            e = assertThrows(StoreException.class, () -> store.putUser(ControlStoreContract.user("u2",
                    "ADA@example.com", 0)));
            assertEquals("saving user u2 failed: another user has this email (SQLSTATE 23505)", e.getMessage());
            assertFalse(e.getMessage().contains("ada"));
        }
    }
}
