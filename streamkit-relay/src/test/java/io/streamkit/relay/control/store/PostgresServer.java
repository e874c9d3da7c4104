package io.streamkit.relay.control.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from Debian's {@code postgresql} package: {@code initdb} into a
 * temporary folder, {@code pg_ctl start} on a free port of 127.0.0.1 with its Unix socket in that
 * folder, one database, password (SCRAM) authentication over TCP. {@link #close()} stops the server
 * and deletes the folder; a JVM shutdown hook does the same if the test run is cut short.
 *
 * <p>PostgreSQL refuses to run as root: when the tests run as root the server's programs run as the
 * {@code postgres} user through {@code runuser}, and the folder belongs to that user. Missing
 * programs fail the test with the command that installs them; nothing is skipped.
 */
final class PostgresServer implements AutoCloseable {

    /** The Debian package with the server programs. */
    static final String INSTALL = "apt-get install -y postgresql";
    /** The database superuser that {@code initdb} creates. */
    static final String USER = "streamkit";
    /** The database created for the tests. */
    static final String DATABASE = "streamkit";

    private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
    private static final Duration T = Duration.ofSeconds(90);

    private final Path bin;
    private final List<String> asServerUser;
    private final Path dir;
    private final Path data;
    private final String password = UUID.randomUUID().toString();
    private final Thread shutdownHook = new Thread(this::stopAndDelete, "postgres-test-server-cleanup");
    private int port;
    private boolean stopped;

    private PostgresServer(Path bin, List<String> asServerUser, Path dir) {
        this.bin = bin;
        this.asServerUser = asServerUser;
        this.dir = dir;
        this.data = dir.resolve("data");
    }

    /**
     * Creates, starts and prepares a server; on any failure everything is cleaned up again.
     *
     * @return the running server
     * @throws Exception when a step fails (with the server's output in the message)
     */
    static PostgresServer start() throws Exception {
        Path bin = binaries(VERSIONS);
        List<String> asServerUser = asServerUser();
        Path dir = Files.createTempDirectory("streamkit-pg-");
        PostgresServer server = new PostgresServer(bin, asServerUser, dir);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.initdb();
            server.startServer();
            server.executeIn("postgres", "CREATE DATABASE " + DATABASE);
            return server;
        } catch (Throwable e) {
            server.close();
            throw e;
        }
    }

    /**
     * @param versions the folder of the installed versions, {@code /usr/lib/postgresql}
     * @return the newest {@code VERSION/bin} in it with the server programs
     * @throws AssertionError naming the package to install when there is none
     */
    static Path binaries(Path versions) {
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(versions)) {
            try (Stream<Path> all = Files.list(versions)) {
                all.map(v -> v.resolve("bin")).filter(b -> Stream.of("initdb", "pg_ctl", "postgres").allMatch(
                        p -> Files.isExecutable(b.resolve(p)))).forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Optional<Path> newest = candidates.stream().max(Comparator.comparing(b -> b.getParent().getFileName()
                .toString(), PostgresServer::compareVersions));
        return newest.orElseThrow(() -> new AssertionError("PostgreSQL's server programs (initdb, pg_ctl, postgres) "
                + "are missing under " + versions + "/*/bin; this test needs Debian's postgresql package: "
                + INSTALL));
    }

    /** Compares version folder names such as {@code 9.6}, {@code 15} and {@code 17} numerically. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\D+");
        String[] y = b.split("\\D+");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long u = i < x.length && !x[i].isEmpty() ? Long.parseLong(x[i]) : 0;
            long v = i < y.length && !y[i].isEmpty() ? Long.parseLong(y[i]) : 0;
            if (u != v) {
                return Long.compare(u, v);
            }
        }
        return a.compareTo(b);
    }

    /** @return the command prefix that runs the server's programs: {@code runuser} when root */
    private static List<String> asServerUser() throws Exception {
        String uid = output(List.of("id", "-u")).strip();
        if (!uid.equals("0")) {
            return List.of();
        }
        Path runuser = Stream.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser").map(Path::of).filter(
                Files::isExecutable).findFirst().orElseThrow(
                        () -> new AssertionError(
                                "the tests run as root and PostgreSQL refuses root,"
                                        + " but runuser (util-linux) is missing"));
        try {
            output(List.of("id", "-u", "postgres"));
        } catch (AssertionError e) {
            throw new AssertionError("the tests run as root and PostgreSQL refuses root, but there is no postgres "
                    + "user to run it as; Debian's postgresql package creates it: " + INSTALL, e);
        }
        return List.of(runuser.toString(), "-u", "postgres", "--");
    }

    private void initdb() throws Exception {
        Path sockets = Files.createDirectories(dir.resolve("sock"));
        Path pwfile = Files.writeString(dir.resolve("pwfile"), password + "\n");
        if (!asServerUser.isEmpty()) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(
                    "postgres");
            for (Path p : List.of(dir, sockets, pwfile)) {
                Files.setOwner(p, postgres);
            }
        }
        run("initdb", List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile="
                + pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "--no-locale", "--encoding=UTF8",
                "--no-sync"));
    }

    private void startServer() throws Exception {
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken before the server binds it
            port = freePort();
            String options = "-p " + port + " -k " + dir.resolve("sock") + " -c listen_addresses=127.0.0.1"
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=20";
            try {
                run("pg_ctl-start", List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log()
                        .toString(), "-w", "-t", String.valueOf(T.toSeconds()), "-o", options, "start"));
                return;
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw new AssertionError("PostgreSQL did not start; server log:\n" + logTail(60), last);
    }

    /** @return a JDBC URL of the test database */
    String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** @return the password of {@link #USER} */
    String password() {
        return password;
    }

    /**
     * @return a new connection to the test database as {@link #USER}
     * @throws SQLException when the server refuses
     */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, password);
    }

    /**
     * Runs SQL statements in the test database.
     *
     * @param sql the statements, run in order with auto-commit
     * @throws SQLException when one fails
     */
    void execute(String... sql) throws SQLException {
        executeIn(DATABASE, sql);
    }

    private void executeIn(String database, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl(database), USER, password);
                Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /** @return the server's log file */
    Path log() {
        return dir.resolve("server.log");
    }

    /**
     * @param lines how many
     * @return the last lines of the server log (empty when there is none)
     */
    String logTail(int lines) {
        try {
            if (!Files.exists(log())) {
                return "";
            }
            List<String> all = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log() + ": " + e + ")";
        }
    }

    /** Stops the server and deletes its folder. Idempotent. */
    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (or ran) stopAndDelete
        }
    }

    private synchronized void stopAndDelete() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stop();
            }
        } finally {
            delete(dir);
        }
    }

    private void stop() {
        for (String mode : List.of("fast", "immediate")) {
            try {
                run("pg_ctl-stop-" + mode, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode,
                        "-w", "-t", "30", "stop"));
                return;
            } catch (Exception | AssertionError e) {
                // try harder below
            }
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
            ProcessHandle.of(pid).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
        } catch (IOException | RuntimeException e) {
            // nothing left to stop
        }
    }

    private static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /** Runs one of the server's programs (as the server user) to its end; output goes to a log file. */
    private void run(String name, List<String> command) throws Exception {
        List<String> full = new ArrayList<>(asServerUser);
        full.addAll(command);
        Path out = dir.resolve(name + ".out");
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out
                .toFile()).start();
        if (!p.waitFor(T.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish within " + T + ": " + read(out));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", full) + " exited with " + p.exitValue() + ":\n" + read(out));
        }
    }

    private static String output(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + new String(out,
                    StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
