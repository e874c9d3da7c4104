package io.streamkit.relay.control.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.relay.control.model.AuditEntry;
import io.streamkit.relay.control.model.AuditQuery;
import io.streamkit.relay.control.model.InputDef;
import io.streamkit.relay.control.model.InputKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JdbcControlStore#postgres} against a real PostgreSQL server started from Debian's
 * {@code postgresql} package (see {@link PostgresServer}): the {@link ControlStoreContract}, each test
 * in a schema of its own, plus restarts, reconnection after the server ended the session and a wrong
 * password. A failing test logs the end of the server's log.
 */
class PostgresControlStoreIT extends ControlStoreContract {

    private static final Logger log = LoggerFactory.getLogger(PostgresControlStoreIT.class);
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static PostgresServer server;

    @RegisterExtension
    static final TestWatcher SERVER_LOG_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (server != null) {
                log.error("{} failed; the PostgreSQL server log ends with:\n{}", context.getDisplayName(), server
                        .logTail(40));
            }
        }
    };

    /** The schema of the current test. */
    private String schema;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    protected ControlStore newStore() throws SQLException {
        schema = "contract_" + SCHEMAS.incrementAndGet();
        server.execute("CREATE SCHEMA " + schema);
        return reopen();
    }

    private JdbcControlStore reopen() {
        return JdbcControlStore.postgres(server.jdbcUrl() + "?currentSchema=" + schema, PostgresServer.USER, server
                .password());
    }

    @Test
    void everythingSurvivesCloseAndReopen() throws SQLException {
        InputDef in = new InputDef("in", "Camera", InputKind.SRT, "key", null, 120, "passphrase-0123", 16, true, T0,
                T0);
        store.putInput(in);
        store.putOutput(output("out", "in", "YouTube", 1));
        AuditEntry e = store.appendAudit(entry(0, "system", "input.create", "in"));
        store.close();

        store = reopen();
        assertEquals(List.of(in), store.inputs());
        assertEquals(1, store.outputs().size());
        assertEquals(List.of(e), store.audit(AuditQuery.latest(10)));
        assertTrue(store.appendAudit(entry(1, "system", "x", null)).seq() > e.seq());
        try (Connection c = server.connect();
                PreparedStatement p = c.prepareStatement(
                        "SELECT version FROM " + schema + ".streamkit_schema")) {
            try (ResultSet rs = p.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
                assertFalse(rs.next(), "migrated once");
            }
        }
    }

    @Test
    void reconnectsAfterTheServerEndedTheSession() throws SQLException {
        store.putSetting("k", "v");
        terminateStoreSessions();
        assertEquals(Optional.of("v"), store.setting("k"), "a read is retried on a new connection");
        terminateStoreSessions();
        store.putSetting("k", "w");
        terminateStoreSessions();
        assertThrows(StoreException.class, () -> store.appendAudit(new AuditEntry(0, Instant.EPOCH, "system", null,
                "x", null, null)), "an append is not retried");
        store.appendAudit(new AuditEntry(0, Instant.EPOCH, "system", null, "x", null, null));
        assertEquals(1, store.audit(AuditQuery.latest(10)).size());
        assertEquals(Optional.of("w"), store.setting("k"));
    }

    /** Ends the store's session from the server side and waits until its backend is gone. */
    private void terminateStoreSessions() throws SQLException {
        try (Connection c = server.connect()) {
            List<Integer> pids = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = ? AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
                p.setString(1, PostgresServer.DATABASE);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        assertTrue(rs.getBoolean(2), "terminated");
                        pids.add(rs.getInt(1));
                    }
                }
            }
            assertEquals(1, pids.size(), "the store has one session");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
                p.setInt(1, pids.get(0));
                while (true) {
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) == 0) {
                            return;
                        }
                    }
                    assertTrue(System.nanoTime() < deadline, "the terminated backend exits");
                    Thread.onSpinWait();
                }
            }
        }
    }

    @Test
    void aWrongPasswordIsAStoreExceptionThatDoesNotQuoteIt() {
        StoreException e = assertThrows(StoreException.class, () -> JdbcControlStore.postgres(server.jdbcUrl(),
                PostgresServer.USER, "wrong-password-123"));
        assertTrue(e.getMessage().startsWith("opening the control store"), e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("wrong-password-123"), t.toString());
        }
    }
}
