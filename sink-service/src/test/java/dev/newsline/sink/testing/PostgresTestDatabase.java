package dev.newsline.sink.testing;

import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL schema private to one test. The server is, in this order: the one named by
 * {@code NEWS_TEST_PG_URL} (a JDBC URL that may carry {@code user} and {@code password}
 * parameters); else a local server on 127.0.0.1:5432, user {@code root}, database {@code test},
 * if it accepts a connection; else the test is skipped, except when {@code CI=true}, where a
 * missing database fails the test. Each instance creates a uniquely named schema, points
 * {@code currentSchema} at it and drops it on {@link #close()}, so runs never collide.
 */
public final class PostgresTestDatabase implements TestDatabase {

    public static final String URL_ENV = "NEWS_TEST_PG_URL";
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String LOCAL_USER = "root";

    static {
        // pgjdbc asserts that getAutoCommit() cannot fail, which it does once the server connection
        // is cut; run the driver as production does (assertions off) so tests see its real SQLException
        PostgresTestDatabase.class.getClassLoader().setPackageAssertionStatus("org.postgresql", false);
    }

    private final String serverUrl;
    private final String user;
    private final String schema;

    private PostgresTestDatabase(String serverUrl, String user, String schema) {
        this.serverUrl = serverUrl;
        this.user = user;
        this.schema = schema;
    }

    public static PostgresTestDatabase create() {
        String configured = System.getenv(URL_ENV);
        boolean explicit = configured != null && !configured.isBlank();
        String serverUrl = explicit ? configured.strip() : LOCAL_URL;
        String user = explicit ? null : LOCAL_USER;
        String schema = "sink_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = DriverManager.getConnection(serverUrl, properties(user)); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String why = "PostgreSQL not available at " + serverUrl + " (" + e.getMessage() + ")";
            if (explicit || "true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + (explicit ? "; " + URL_ENV + " is set" : "; CI=true, so this is a failure"));
            }
            Assumptions.abort(why + "; set " + URL_ENV + " or start a local server to run the PostgreSQL cases");
        }
        return new PostgresTestDatabase(serverUrl, user, schema);
    }

    @Override
    public String jdbcUrl() {
        return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return null;
    }

    @Override
    public InetSocketAddress address() {
        URI uri = URI.create(serverUrl.substring("jdbc:".length()));
        return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    @Override
    public String jdbcUrlVia(InetSocketAddress proxy) {
        URI uri = URI.create(serverUrl.substring("jdbc:".length()));
        String hostPort = uri.getRawAuthority();
        return jdbcUrl().replaceFirst("//" + Pattern.quote(hostPort),
                "//" + proxy.getHostString() + ":" + proxy.getPort());
    }

    /**
     * Terminates the server processes of those clients, as a fast shutdown does: each session
     * gets {@code FATAL 57P01 terminating connection due to administrator command} and its open
     * transaction is rolled back. The real server stays up for everybody else.
     */
    @Override
    public void endSessions(TcpProxy clients) {
        Integer[] ports = clients.upstreamPorts().toArray(Integer[]::new);
        try (Connection c = DriverManager.getConnection(serverUrl, properties(user));
             PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                     + " WHERE client_port = ANY (?) AND datname = current_database() AND pid <> pg_backend_pid()")) {
            ps.setArray(1, c.createArrayOf("integer", ports));
            ps.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot terminate the test's sessions", e);
        }
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(serverUrl, properties(user)); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + schema, e);
        }
    }

    private static Properties properties(String user) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        props.setProperty("connectTimeout", "3");
        return props;
    }

    @Override
    public String toString() {
        return "PostgreSQL schema " + schema;
    }
}
