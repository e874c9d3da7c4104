package io.streamkit.relay.control.store;

import io.streamkit.relay.control.auth.Role;
import io.streamkit.relay.control.model.AuditEntry;
import io.streamkit.relay.control.model.AuditQuery;
import io.streamkit.relay.control.model.InputDef;
import io.streamkit.relay.control.model.InputKind;
import io.streamkit.relay.control.model.OutputDef;
import io.streamkit.relay.control.model.SessionRecord;
import io.streamkit.relay.control.model.UserRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ControlStore} over JDBC: an embedded H2 file database ({@link #embedded}), PostgreSQL
 * ({@link #postgres}), an H2 in-memory database ({@link #inMemory}) or any connection of one of the
 * two {@linkplain Dialect dialects} ({@link #open(Connector, Dialect)}).
 *
 * <p><b>Schema.</b> Opening a store creates its tables or migrates them to the current version, as
 * recorded in table {@code streamkit_schema}; a database written by a newer StreamKit is refused.
 * Emails are unique ignoring case; stream keys are unique among inputs, names among inputs and among
 * the outputs of one input. Deleting an input deletes its outputs; deleting a user deletes their
 * sessions. Lists said to be ordered by creation time are ordered by id among equal times.
 *
 * <p><b>Time.</b> Instants are stored as milliseconds since the epoch: an {@link Instant} with
 * millisecond precision (such as {@code Instant.now().truncatedTo(ChronoUnit.MILLIS)}) reads back
 * equal; a finer one reads back truncated to the millisecond. {@link #appendAudit} returns the entry
 * as stored, truncated. Audit {@code since} and {@code until} bounds are compared exactly.
 *
 * <p><b>Threads.</b> The store is thread-safe: it owns one connection and runs one operation at a
 * time, each in its own transaction (the control plane's rate is tiny). When the connection breaks
 * (database restart, network failure) the next operation opens a new one; an operation that failed
 * because the connection broke is retried once on a new connection, except {@link #appendAudit},
 * which is not idempotent.
 *
 * <p><b>Errors.</b> Every database failure is a {@link StoreException} whose message names the
 * operation (with the record's id or the setting's name) and the SQLSTATE, and never a stored value
 * such as a stream key, hash or secret: for a violated constraint it says which rule was broken and
 * leaves out the driver's exception, which quotes the values; other failures (connection, SQL) keep
 * it as the cause. {@code null} where a record requires a value is a {@link NullPointerException}.
 *
 * <p>The H2 and PostgreSQL drivers are found through {@link DriverManager}; both are dependencies of
 * this module.
 */
public final class JdbcControlStore implements ControlStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcControlStore.class);

    /** Seconds that {@link Connection#isValid} may take when checking a connection after a failure. */
    private static final int VALID_TIMEOUT_SECONDS = 2;

    /** The SQL differences between the supported databases. */
    public enum Dialect {
        /** H2 2.x, embedded (file or memory) or over TCP. */
        H2,
        /** PostgreSQL 10 or newer. */
        POSTGRESQL
    }

    /** Opens a new JDBC connection; the store closes the connections it gets. */
    @FunctionalInterface
    public interface Connector {
        /**
         * @return a new open connection
         * @throws SQLException when the database cannot be reached
         */
        Connection connect() throws SQLException;
    }

    /** How an operation may be retried and whether it changes data. */
    private enum Kind {
        READ(true, false), IDEMPOTENT_WRITE(true, true), WRITE(false, true);

        final boolean retryable;
        final boolean writes;

        Kind(boolean retryable, boolean writes) {
            this.retryable = retryable;
            this.writes = writes;
        }
    }

    /** One unit of work on the store's connection. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final String INPUT_COLUMNS = "id, name, kind, stream_key, url, latency_ms, passphrase,"
            + " pb_key_len, enabled, created_ms, updated_ms";
    private static final String OUTPUT_COLUMNS = "id, input_id, name, url, enabled, created_ms, updated_ms";
    private static final String USER_COLUMNS = "id, email, email_key, password_hash, role, totp_secret,"
            + " totp_last_step, disabled, created_ms, updated_ms";
    /** Users with their recovery codes in one statement, so that a user is read consistently. */
    private static final String USER_SELECT = "SELECT u.id, u.email, u.password_hash, u.role, u.totp_secret,"
            + " u.totp_last_step, u.disabled, u.created_ms, u.updated_ms, r.code_hash FROM users u"
            + " LEFT JOIN user_recovery_codes r ON r.user_id = u.id";
    private static final String SESSION_COLUMNS = "id, user_id, generation, remote, created_ms, expires_ms";
    private static final String AUDIT_COLUMNS = "seq, at_ms, actor, remote, action, target, detail";

    private final Connector connector;
    private final Dialect dialect;
    private final String description;
    private final boolean shutdownOnClose;
    private final boolean syncAfterWrite;
    private final String upsertInput;
    private final String upsertOutput;
    private final String upsertUser;
    private final String upsertSession;
    private final String upsertSetting;

    private final ReentrantLock lock = new ReentrantLock();
    /** The connection, opened lazily again after it broke; guarded by {@link #lock}. */
    private Connection connection;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private JdbcControlStore(Connector connector, Dialect dialect, String description, boolean shutdownOnClose,
            boolean syncAfterWrite) {
        this.connector = connector;
        this.dialect = dialect;
        this.description = description;
        this.shutdownOnClose = shutdownOnClose;
        this.syncAfterWrite = syncAfterWrite;
        this.upsertInput = upsert("inputs", INPUT_COLUMNS);
        this.upsertOutput = upsert("outputs", OUTPUT_COLUMNS);
        this.upsertUser = upsert("users", USER_COLUMNS);
        this.upsertSession = upsert("sessions", SESSION_COLUMNS);
        this.upsertSetting = upsert("settings", "name, val");
    }

    /**
     * Opens (creating or migrating) the embedded H2 database {@code dataDir/streamkit.mv.db}. Every
     * commit is written to the file before the call returns and then forced to the disk, so a crash of
     * the process or the machine loses no acknowledged change; the file stays consistent. The
     * database is locked by this process while open; H2's JVM shutdown hook is off, so the
     * application decides when to {@link #close()} it.
     *
     * @param dataDir the folder of the database, created if missing
     * @return the open store
     * @throws StoreException when the folder or database cannot be opened (e.g. used by another
     *         process)
     */
    public static JdbcControlStore embedded(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (dir.toString().indexOf(';') >= 0) {
            throw new IllegalArgumentException("the data directory's path must not contain ';': " + dir);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("opening the embedded control store failed: cannot create " + dir, e);
        }
        // WRITE_DELAY=0: each commit writes the store file at once (H2's default delays it up to
        // 500 ms); the store then forces it to the disk with CHECKPOINT SYNC.
        String url = "jdbc:h2:file:" + dir.resolve("streamkit") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        return open(() -> DriverManager.getConnection(url, "sa", ""), Dialect.H2, "H2 database in " + dir, false,
                true);
    }

    /**
     * Opens a new, empty H2 in-memory database that lives until the store is closed: for tests and
     * demos.
     *
     * @return the open store
     */
    public static JdbcControlStore inMemory() {
        String url = "jdbc:h2:mem:streamkit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        return open(() -> DriverManager.getConnection(url, "sa", ""), Dialect.H2, "H2 in-memory database", true,
                false);
    }

    /**
     * Opens (creating or migrating the tables in the connection's current schema) a PostgreSQL
     * database.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://db.example:5432/streamkit}; driver options such as
     *        {@code sslmode} or {@code currentSchema} go here
     * @param user the database user
     * @param password the user's password, or {@code null} when the server needs none
     * @return the open store
     * @throws IllegalArgumentException when the URL is not a PostgreSQL JDBC URL
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static JdbcControlStore postgres(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        String where = jdbcUrl.indexOf('?') >= 0 ? jdbcUrl.substring(0, jdbcUrl.indexOf('?')) : jdbcUrl;
        return open(() -> DriverManager.getConnection(jdbcUrl, props), Dialect.POSTGRESQL, "PostgreSQL database "
                + where, false, false);
    }

    /**
     * Opens a store over the connections of a data source (which may pool them). Closing the store
     * closes its connection, not the data source.
     *
     * @param dataSource where connections come from
     * @param dialect the database's dialect
     * @return the open store
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static JdbcControlStore open(DataSource dataSource, Dialect dialect) {
        Objects.requireNonNull(dataSource, "dataSource");
        return open(dataSource::getConnection, dialect);
    }

    /**
     * Opens a store over the connections of a connector, creating or migrating its tables.
     *
     * @param connector opens a connection when the store starts and after a connection broke
     * @param dialect the database's dialect
     * @return the open store
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static JdbcControlStore open(Connector connector, Dialect dialect) {
        return open(connector, dialect, dialect + " database", false, false);
    }

    private static JdbcControlStore open(Connector connector, Dialect dialect, String description,
            boolean shutdownOnClose, boolean syncAfterWrite) {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(dialect, "dialect");
        JdbcControlStore store = new JdbcControlStore(connector, dialect, description, shutdownOnClose,
                syncAfterWrite);
        store.start();
        return store;
    }

    private void start() {
        lock.lock();
        try {
            Connection c = connection();
            int found = Schema.migrate(c, dialect);
            if (found == 0) {
                log.atDebug().addKeyValue("store", description).addKeyValue("version", Schema.CURRENT).log(
                        "control store tables created");
            } else if (found != Schema.CURRENT) {
                log.atInfo().addKeyValue("store", description).addKeyValue("from", found).addKeyValue("to",
                        Schema.CURRENT).log("control store schema migrated");
            }
        } catch (SQLException e) {
            closeQuietly();
            throw failure("opening the control store (" + description + ")", e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** @return the open connection, connecting first if there is none; call with {@link #lock} held */
    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = null;
            Connection c = connector.connect();
            try {
                c.setAutoCommit(false);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    /** Runs work in a transaction on the connection, reconnecting and retrying as {@code kind} allows. */
    private <T> T call(String operation, Kind kind, Work<T> work) {
        lock.lock();
        try {
            for (int attempt = 1;; attempt++) {
                if (closed) {
                    throw new StoreException(operation + " failed: the control store is closed");
                }
                Connection c;
                try {
                    c = connection();
                } catch (SQLException e) {
                    throw failure(operation + " failed: cannot connect to the " + description, e);
                }
                try {
                    T result = work.run(c);
                    c.commit();
                    if (kind.writes && syncAfterWrite) {
                        try (Statement s = c.createStatement()) {
                            s.execute("CHECKPOINT SYNC");
                        }
                    }
                    return result;
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    if (broken(c, e)) {
                        discardConnection();
                        if (kind.retryable && attempt == 1) {
                            log.atWarn().addKeyValue("store", description).addKeyValue("operation", operation)
                                    .addKeyValue("sqlState", e.getSQLState()).log(
                                            "control store connection broke; retrying on a new connection");
                            continue;
                        }
                    }
                    throw failure(operation + " failed", e);
                } catch (RuntimeException | Error e) {
                    rollbackQuietly(c);
                    throw e;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean broken(Connection c, SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) {
            return true;
        }
        try {
            return !c.isValid(VALID_TIMEOUT_SECONDS);
        } catch (SQLException invalid) {
            return true;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is broken; it is discarded by the caller
        }
    }

    private void discardConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    /**
     * Turns a database failure into a {@link StoreException}. Constraint violations (SQLSTATE class
     * 23) and data errors (22) are reported without the driver's message, which quotes the offending
     * values; other failures keep the driver's exception as the cause.
     */
    private static StoreException failure(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("23")) {
            return new StoreException(what + ": " + violated(e, state) + " (SQLSTATE " + state + ")");
        }
        if (state.startsWith("22")) {
            return new StoreException(what + ": the database rejected a value (SQLSTATE " + state + ")");
        }
        return new StoreException(what + " (SQLSTATE " + (state.isEmpty() ? "none" : state) + ")", e);
    }

    /** What each named constraint of {@link Schema} means, for error messages. */
    private static final Map<String, String> RULES = Map.ofEntries(
            Map.entry("user_email_uq", "another user has this email"),
            Map.entry("input_stream_key_uq", "another input has this stream key"),
            Map.entry("input_name_uq", "another input has this name"),
            Map.entry("output_name_uq", "another output of this input has this name"),
            Map.entry("output_input_fk", "the output's input does not exist"),
            Map.entry("session_user_fk", "the session's user does not exist"),
            Map.entry("recovery_code_user_fk", "the user does not exist"));

    /** @return which rule a constraint violation broke, found by the constraint's name */
    private static String violated(SQLException e, String state) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> rule : RULES.entrySet()) {
            if (message.contains(rule.getKey())) {
                return rule.getValue();
            }
        }
        return switch (state) {
            case "23502" -> "a required value is missing";
            case "23503", "23506" -> "a referenced record does not exist";
            case "23505" -> "a unique value is already used";
            default -> "a constraint was violated";
        };
    }

    private String upsert(String table, String columns) {
        List<String> names = List.of(columns.split(",\\s*"));
        String key = names.get(0);
        String marks = names.stream().map(n -> "?").collect(Collectors.joining(", "));
        return switch (dialect) {
            case H2 -> "MERGE INTO " + table + " (" + columns + ") KEY (" + key + ") VALUES (" + marks + ")";
            case POSTGRESQL -> "INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ") ON CONFLICT ("
                    + key + ") DO UPDATE SET " + names.stream().skip(1).map(n -> n + " = EXCLUDED." + n).collect(
                            Collectors.joining(", "));
        };
    }

    // ---------------------------------------------------------------------------------- inputs

    @Override
    public List<InputDef> inputs() {
        return call("listing inputs", Kind.READ, c -> list(c, "SELECT " + INPUT_COLUMNS
                + " FROM inputs ORDER BY created_ms, id", JdbcControlStore::readInput));
    }

    @Override
    public Optional<InputDef> input(String id) {
        Objects.requireNonNull(id, "id");
        return call("reading an input", Kind.READ, c -> one(c, "SELECT " + INPUT_COLUMNS + " FROM inputs WHERE id = ?",
                JdbcControlStore::readInput, id));
    }

    @Override
    public Optional<InputDef> inputByStreamKey(String streamKey) {
        Objects.requireNonNull(streamKey, "streamKey");
        return call("finding an input by stream key", Kind.READ, c -> one(c, "SELECT " + INPUT_COLUMNS
                + " FROM inputs WHERE stream_key = ?", JdbcControlStore::readInput, streamKey));
    }

    @Override
    public void putInput(InputDef input) {
        Objects.requireNonNull(input.id(), "input.id");
        Objects.requireNonNull(input.name(), "input.name");
        Objects.requireNonNull(input.kind(), "input.kind");
        Objects.requireNonNull(input.createdAt(), "input.createdAt");
        Objects.requireNonNull(input.updatedAt(), "input.updatedAt");
        call("saving input " + input.id(), Kind.IDEMPOTENT_WRITE, c -> {
            try (PreparedStatement p = c.prepareStatement(upsertInput)) {
                p.setString(1, input.id());
                p.setString(2, input.name());
                p.setString(3, input.kind().name());
                p.setString(4, input.streamKey());
                p.setString(5, input.url());
                setInteger(p, 6, input.latencyMs());
                p.setString(7, input.passphrase());
                setInteger(p, 8, input.pbKeyLen());
                p.setBoolean(9, input.enabled());
                p.setLong(10, millis(input.createdAt()));
                p.setLong(11, millis(input.updatedAt()));
                return p.executeUpdate();
            }
        });
    }

    @Override
    public boolean deleteInput(String id) {
        Objects.requireNonNull(id, "id");
        return call("deleting input " + id, Kind.IDEMPOTENT_WRITE, c -> update(c, "DELETE FROM inputs WHERE id = ?",
                id) > 0);
    }

    private static InputDef readInput(ResultSet rs) throws SQLException {
        return new InputDef(rs.getString("id"), rs.getString("name"), enumValue(InputKind.class, rs, "kind"), rs
                .getString("stream_key"), rs.getString("url"), rs.getObject("latency_ms", Integer.class),
                rs.getString(
                        "passphrase"),
                rs.getObject("pb_key_len", Integer.class), rs.getBoolean("enabled"), instant(rs,
                        "created_ms"),
                instant(rs, "updated_ms"));
    }

    // --------------------------------------------------------------------------------- outputs

    @Override
    public List<OutputDef> outputs() {
        return call("listing outputs", Kind.READ, c -> list(c, "SELECT " + OUTPUT_COLUMNS
                + " FROM outputs ORDER BY created_ms, id", JdbcControlStore::readOutput));
    }

    @Override
    public List<OutputDef> outputsOf(String inputId) {
        Objects.requireNonNull(inputId, "inputId");
        return call("listing the outputs of input " + inputId, Kind.READ, c -> list(c, "SELECT " + OUTPUT_COLUMNS
                + " FROM outputs WHERE input_id = ? ORDER BY created_ms, id", JdbcControlStore::readOutput, inputId));
    }

    @Override
    public Optional<OutputDef> output(String id) {
        Objects.requireNonNull(id, "id");
        return call("reading an output", Kind.READ, c -> one(c, "SELECT " + OUTPUT_COLUMNS
                + " FROM outputs WHERE id = ?", JdbcControlStore::readOutput, id));
    }

    @Override
    public void putOutput(OutputDef output) {
        Objects.requireNonNull(output.id(), "output.id");
        Objects.requireNonNull(output.inputId(), "output.inputId");
        Objects.requireNonNull(output.name(), "output.name");
        Objects.requireNonNull(output.url(), "output.url");
        Objects.requireNonNull(output.createdAt(), "output.createdAt");
        Objects.requireNonNull(output.updatedAt(), "output.updatedAt");
        call("saving output " + output.id(), Kind.IDEMPOTENT_WRITE, c -> {
            try (PreparedStatement p = c.prepareStatement(upsertOutput)) {
                p.setString(1, output.id());
                p.setString(2, output.inputId());
                p.setString(3, output.name());
                p.setString(4, output.url());
                p.setBoolean(5, output.enabled());
                p.setLong(6, millis(output.createdAt()));
                p.setLong(7, millis(output.updatedAt()));
                return p.executeUpdate();
            }
        });
    }

    @Override
    public boolean deleteOutput(String id) {
        Objects.requireNonNull(id, "id");
        return call("deleting output " + id, Kind.IDEMPOTENT_WRITE, c -> update(c, "DELETE FROM outputs WHERE id = ?",
                id) > 0);
    }

    private static OutputDef readOutput(ResultSet rs) throws SQLException {
        return new OutputDef(rs.getString("id"), rs.getString("input_id"), rs.getString("name"), rs.getString("url"),
                rs.getBoolean("enabled"), instant(rs, "created_ms"), instant(rs, "updated_ms"));
    }

    // ----------------------------------------------------------------------------------- users

    @Override
    public List<UserRecord> users() {
        return call("listing users", Kind.READ, c -> readUsers(c, USER_SELECT + " ORDER BY u.created_ms, u.id, r.ord"));
    }

    @Override
    public Optional<UserRecord> user(String id) {
        Objects.requireNonNull(id, "id");
        return call("reading a user", Kind.READ, c -> readUsers(c, USER_SELECT + " WHERE u.id = ? ORDER BY r.ord", id)
                .stream().findFirst());
    }

    @Override
    public Optional<UserRecord> userByEmail(String email) {
        Objects.requireNonNull(email, "email");
        return call("finding a user by email", Kind.READ, c -> readUsers(c, USER_SELECT
                + " WHERE u.email_key = ? ORDER BY r.ord", emailKey(email)).stream().findFirst());
    }

    @Override
    public void putUser(UserRecord user) {
        Objects.requireNonNull(user.id(), "user.id");
        Objects.requireNonNull(user.email(), "user.email");
        Objects.requireNonNull(user.passwordHash(), "user.passwordHash");
        Objects.requireNonNull(user.role(), "user.role");
        Objects.requireNonNull(user.createdAt(), "user.createdAt");
        Objects.requireNonNull(user.updatedAt(), "user.updatedAt");
        call("saving user " + user.id(), Kind.IDEMPOTENT_WRITE, c -> {
            try (PreparedStatement p = c.prepareStatement(upsertUser)) {
                p.setString(1, user.id());
                p.setString(2, user.email());
                p.setString(3, emailKey(user.email()));
                p.setString(4, user.passwordHash());
                p.setString(5, user.role().name());
                p.setString(6, user.totpSecret());
                p.setLong(7, user.totpLastStep());
                p.setBoolean(8, user.disabled());
                p.setLong(9, millis(user.createdAt()));
                p.setLong(10, millis(user.updatedAt()));
                p.executeUpdate();
            }
            update(c, "DELETE FROM user_recovery_codes WHERE user_id = ?", user.id());
            if (!user.recoveryCodeHashes().isEmpty()) {
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO user_recovery_codes (user_id, ord, code_hash) VALUES (?, ?, ?)")) {
                    int ord = 0;
                    for (String hash : user.recoveryCodeHashes()) {
                        p.setString(1, user.id());
                        p.setInt(2, ord++);
                        p.setString(3, hash);
                        p.addBatch();
                    }
                    p.executeBatch();
                }
            }
            return null;
        });
    }

    @Override
    public boolean deleteUser(String id) {
        Objects.requireNonNull(id, "id");
        return call("deleting user " + id, Kind.IDEMPOTENT_WRITE, c -> update(c, "DELETE FROM users WHERE id = ?",
                id) > 0);
    }

    private static String emailKey(String email) {
        return email.toLowerCase(Locale.ROOT);
    }

    /** Folds the joined rows (one per recovery code, or one with a null code) into users, in order. */
    private static List<UserRecord> readUsers(Connection c, String sql, Object... args) throws SQLException {
        Map<String, UserRecord> users = new LinkedHashMap<>();
        Map<String, List<String>> codes = new LinkedHashMap<>();
        try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("id");
                if (!users.containsKey(id)) {
                    users.put(id, new UserRecord(id, rs.getString("email"), rs.getString("password_hash"), enumValue(
                            Role.class, rs, "role"), rs.getString("totp_secret"), rs.getLong("totp_last_step"),
                            List
                                    .of(),
                            rs.getBoolean("disabled"), instant(rs, "created_ms"), instant(rs,
                                    "updated_ms")));
                    codes.put(id, new ArrayList<>());
                }
                String code = rs.getString("code_hash");
                if (code != null) {
                    codes.get(id).add(code);
                }
            }
        }
        List<UserRecord> result = new ArrayList<>(users.size());
        for (UserRecord u : users.values()) {
            result.add(new UserRecord(u.id(), u.email(), u.passwordHash(), u.role(), u.totpSecret(), u.totpLastStep(),
                    codes.get(u.id()), u.disabled(), u.createdAt(), u.updatedAt()));
        }
        return result;
    }

    // -------------------------------------------------------------------------------- sessions

    @Override
    public Optional<SessionRecord> session(String id) {
        Objects.requireNonNull(id, "id");
        return call("reading a session", Kind.READ, c -> one(c, "SELECT " + SESSION_COLUMNS
                + " FROM sessions WHERE id = ?", JdbcControlStore::readSession, id));
    }

    @Override
    public void putSession(SessionRecord session) {
        Objects.requireNonNull(session.id(), "session.id");
        Objects.requireNonNull(session.userId(), "session.userId");
        Objects.requireNonNull(session.createdAt(), "session.createdAt");
        Objects.requireNonNull(session.expiresAt(), "session.expiresAt");
        call("saving a session of user " + session.userId(), Kind.IDEMPOTENT_WRITE, c -> {
            try (PreparedStatement p = c.prepareStatement(upsertSession)) {
                p.setString(1, session.id());
                p.setString(2, session.userId());
                p.setLong(3, session.generation());
                p.setString(4, session.remote());
                p.setLong(5, millis(session.createdAt()));
                p.setLong(6, millis(session.expiresAt()));
                return p.executeUpdate();
            }
        });
    }

    @Override
    public boolean deleteSession(String id) {
        Objects.requireNonNull(id, "id");
        return call("deleting a session", Kind.IDEMPOTENT_WRITE, c -> update(c, "DELETE FROM sessions WHERE id = ?",
                id) > 0);
    }

    @Override
    public void deleteSessionsOf(String userId) {
        Objects.requireNonNull(userId, "userId");
        call("deleting the sessions of user " + userId, Kind.IDEMPOTENT_WRITE, c -> update(c,
                "DELETE FROM sessions WHERE user_id = ?", userId));
    }

    private static SessionRecord readSession(ResultSet rs) throws SQLException {
        return new SessionRecord(rs.getString("id"), rs.getString("user_id"), rs.getLong("generation"), rs.getString(
                "remote"), instant(rs, "created_ms"), instant(rs, "expires_ms"));
    }

    // ----------------------------------------------------------------------------------- audit

    @Override
    public AuditEntry appendAudit(AuditEntry entry) {
        Objects.requireNonNull(entry.at(), "entry.at");
        Objects.requireNonNull(entry.actor(), "entry.actor");
        Objects.requireNonNull(entry.action(), "entry.action");
        long at = millis(entry.at());
        long seq = call("appending to the audit log", Kind.WRITE, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO audit_log (at_ms, actor, remote, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setLong(1, at);
                p.setString(2, entry.actor());
                p.setString(3, entry.remote());
                p.setString(4, entry.action());
                p.setString(5, entry.target());
                p.setString(6, entry.detail());
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("the database returned no sequence number", "XX000");
                    }
                    return keys.getLong("seq");
                }
            }
        });
        return new AuditEntry(seq, Instant.ofEpochMilli(at), entry.actor(), entry.remote(), entry.action(), entry
                .target(), entry.detail());
    }

    @Override
    public List<AuditEntry> audit(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (query.actor() != null) {
            where.add("actor = ?");
            args.add(query.actor());
        }
        if (query.action() != null) {
            where.add("action LIKE ? ESCAPE '!'");
            args.add(query.action().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        if (query.since() != null) {
            where.add("at_ms >= ?"); // at >= since  <=>  at_ms >= ceil(since)
            args.add(ceilMillis(query.since()));
        }
        if (query.until() != null) {
            where.add("at_ms < ?"); // at < until  <=>  at_ms < ceil(until)
            args.add(ceilMillis(query.until()));
        }
        if (query.beforeSeq() != null) {
            where.add("seq < ?");
            args.add(query.beforeSeq());
        }
        String sql = "SELECT " + AUDIT_COLUMNS + " FROM audit_log" + (where.isEmpty()
                ? ""
                : " WHERE " + String.join(
                        " AND ", where))
                + " ORDER BY seq DESC LIMIT ?";
        args.add(query.limit());
        return call("reading the audit log", Kind.READ, c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) {
                    p.setObject(i + 1, args.get(i));
                }
                List<AuditEntry> entries = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new AuditEntry(rs.getLong("seq"), instant(rs, "at_ms"), rs.getString("actor"), rs
                                .getString("remote"), rs.getString("action"), rs.getString("target"),
                                rs.getString(
                                        "detail")));
                    }
                }
                return entries;
            }
        });
    }

    // -------------------------------------------------------------------------------- settings

    @Override
    public Optional<String> setting(String key) {
        Objects.requireNonNull(key, "key");
        return call("reading setting " + key, Kind.READ, c -> one(c, "SELECT val FROM settings WHERE name = ?", rs -> rs
                .getString(1), key));
    }

    @Override
    public void putSetting(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        call("saving setting " + key, Kind.IDEMPOTENT_WRITE, c -> update(c, upsertSetting, key, value));
    }

    // ------------------------------------------------------------------------------- lifecycle

    /**
     * Closes the store's connection; an in-memory database is dropped. Idempotent; operations after
     * it throw {@link StoreException}.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly();
        } finally {
            lock.unlock();
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        try (c) {
            if (shutdownOnClose && !c.isClosed()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
            }
        } catch (SQLException e) {
            log.atWarn().addKeyValue("store", description).addKeyValue("sqlState", e.getSQLState()).log(
                    "closing the control store failed");
        }
    }

    @Override
    public String toString() {
        return "JdbcControlStore[" + description + "]";
    }

    // --------------------------------------------------------------------------------- helpers

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            return p;
        } catch (SQLException e) {
            p.close();
            throw e;
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args)) {
            return p.executeUpdate();
        }
    }

    private static <T> List<T> list(Connection c, String sql, RowReader<T> reader, Object... args)
            throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rs.next()) {
                result.add(reader.read(rs));
            }
            return result;
        }
    }

    private static <T> Optional<T> one(Connection c, String sql, RowReader<T> reader, Object... args)
            throws SQLException {
        List<T> rows = list(c, sql, reader, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static void setInteger(PreparedStatement p, int index, Integer value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.INTEGER);
        } else {
            p.setInt(index, value);
        }
    }

    /** @return the instant's milliseconds since the epoch, finer parts truncated */
    private static long millis(Instant t) {
        return t.toEpochMilli();
    }

    /** @return the smallest whole millisecond at or after the instant */
    private static long ceilMillis(Instant t) {
        return t.getNano() % 1_000_000 == 0 ? t.toEpochMilli() : t.toEpochMilli() + 1;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, ResultSet rs, String column) throws SQLException {
        String value = rs.getString(column);
        if (value != null) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(value)) {
                    return e;
                }
            }
        }
        throw new SQLException("stored " + column + " '" + value + "' is not a known " + type.getSimpleName(),
                "XX000");
    }
}
