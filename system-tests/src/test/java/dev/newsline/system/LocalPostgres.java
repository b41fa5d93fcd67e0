package dev.newsline.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server of this test's own, so that the test may stop and start it: a fresh
 * cluster ({@code initdb}, trust authentication, superuser {@code newsline}) in a temporary
 * directory, listening on a free port of 127.0.0.1 only, run with {@code pg_ctl}. As root the
 * server runs as the {@code postgres} user ({@code initdb} refuses root). Durability settings are
 * off (fsync, synchronous commit): a stop here is always a clean {@code pg_ctl stop -m fast}.
 *
 * <p>The binaries come from {@value #BIN_ENV} if set, else the newest
 * {@code /usr/lib/postgresql/VERSION/bin}, else the {@code PATH}. Without them the test is
 * skipped, except when {@code CI=true}, where that is a failure.
 */
final class LocalPostgres implements AutoCloseable {

    static final String BIN_ENV = "NEWS_TEST_PG_BIN";
    static final String USER = "newsline";

    private final Path bin;
    private final Path root;
    private final Path data;
    private final Path log;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;
    private Thread orphanGuard;

    private LocalPostgres(Path bin, Path root, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
        this.log = root.resolve("postgres.log");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Initialises and starts a server, or skips the test (fails it when CI=true) if PostgreSQL is not installed. */
    static LocalPostgres startOrSkip() {
        Optional<Path> bin = findBinaries();
        if (bin.isEmpty()) {
            String why = "no PostgreSQL server binaries (initdb, pg_ctl): set " + BIN_ENV
                    + " or install PostgreSQL to run the system tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + "; CI=true, so this is a failure");
            }
            Assumptions.abort(why);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir;
        try {
            dir = Files.createTempDirectory("newsline-pg-");
            if (root) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("running as root, PostgreSQL needs the 'postgres' user to run as", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the PostgreSQL directory", e);
        }
        LocalPostgres pg = new LocalPostgres(bin.get(), dir, Ports.free(), root);
        // if this JVM ends before close() (an aborted build), the server must not outlive it
        Thread orphanGuard = new Thread(pg::close, "system-test-postgres");
        Runtime.getRuntime().addShutdownHook(orphanGuard);
        pg.orphanGuard = orphanGuard;
        try {
            pg.initialise();
            pg.start();
            return pg;
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    private static Optional<Path> findBinaries() {
        String configured = System.getenv(BIN_ENV);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured.strip())).filter(LocalPostgres::hasServerTools);
        }
        Path installed = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> versions = Files.list(installed)) {
                Optional<Path> newest = versions.filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .max(Comparator.comparingDouble(p -> Double.parseDouble(p.getFileName().toString())))
                        .map(p -> p.resolve("bin")).filter(LocalPostgres::hasServerTools);
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(s -> !s.isBlank()).map(Path::of).filter(LocalPostgres::hasServerTools).findFirst();
    }

    private static boolean hasServerTools(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    private void initialise() {
        run(Duration.ofSeconds(120), bin.resolve("initdb").toString(), "-D", data.toString(), "--auth=trust",
                "--username=" + USER, "--encoding=UTF8", "--locale=C", "--no-sync");
        String settings = String.join("\n",
                "",
                "# written by the Newsline system tests",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + root + "'",
                "max_connections = 50",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "");
        try {
            Files.writeString(data.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot configure PostgreSQL in " + data, e);
        }
    }

    /** Starts the server and waits until it accepts connections. */
    synchronized void start() {
        run(Duration.ofSeconds(90), bin.resolve("pg_ctl").toString(), "start", "-D", data.toString(), "-l",
                log.toString(), "-w", "-t", "60");
        running = true;
    }

    /** Stops the server the way an operator does: {@code pg_ctl stop -m fast} (sessions end, transactions roll back). */
    synchronized void stop() {
        run(Duration.ofSeconds(90), bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "fast",
                "-w", "-t", "60");
        running = false;
    }

    int port() {
        return port;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    void createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, null);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + "\n" + logTail(30), e);
        }
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- last lines of " + log + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no PostgreSQL log: " + e + ")";
        }
    }

    private void run(Duration timeout, String... command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Path output = root.resolve("command.out");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory(root.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: " + full);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("failed (" + p.exitValue() + "): " + full + "\n"
                        + Files.readString(output, StandardCharsets.UTF_8) + "\n" + logTail(30));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + full, e);
        }
    }

    /** Stops the server if it runs and deletes its directory. */
    @Override
    public synchronized void close() {
        if (orphanGuard != null && Thread.currentThread() != orphanGuard) {
            try {
                Runtime.getRuntime().removeShutdownHook(orphanGuard);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs close() itself
            }
        }
        try {
            if (running) {
                stop();
            }
        } finally {
            deleteTree(root);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
