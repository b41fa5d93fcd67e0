package dev.newsline.sink.testing;

import dev.newsline.sink.SinkConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.tools.Server;

/**
 * An H2 store in a test's temporary directory: embedded (the local default) or served over TCP
 * by an in-process H2 server, for tests that need to cut the connection.
 */
public final class H2TestDatabase implements TestDatabase {

    /**
     * The store's H2 options for a served database. DB_CLOSE_DELAY=-1 keeps the database open in
     * the server when a cut drops every session, as a standalone server would.
     */
    private static final String TCP_OPTIONS = SinkConfig.H2_OPTIONS + ";DB_CLOSE_DELAY=-1";

    private final Path file;
    private final Server server;

    private H2TestDatabase(Path file, Server server) {
        this.file = file;
        this.server = server;
    }

    public static H2TestDatabase embedded(Path dir) {
        return new H2TestDatabase(dir.resolve("store"), null);
    }

    public static H2TestDatabase served(Path dir) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = probe.getLocalPort();
            probe.close();
            Server server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists",
                    "-baseDir", dir.toAbsolutePath().toString()).start();
            return new H2TestDatabase(dir.resolve("store"), server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start the H2 TCP server", e);
        }
    }

    @Override
    public String jdbcUrl() {
        return server == null ? SinkConfig.h2Url(file) : jdbcUrlVia(address());
    }

    @Override
    public String user() {
        return null;
    }

    @Override
    public String password() {
        return null;
    }

    @Override
    public InetSocketAddress address() {
        if (server == null) {
            throw new UnsupportedOperationException("embedded H2 has no address; use served()");
        }
        return new InetSocketAddress("127.0.0.1", server.getPort());
    }

    @Override
    public String jdbcUrlVia(InetSocketAddress proxy) {
        return "jdbc:h2:tcp://" + proxy.getHostString() + ":" + proxy.getPort() + "/" + file.getFileName() + TCP_OPTIONS;
    }

    /**
     * {@code SHUTDOWN} on the server: every session ends and the database closes, rolling back
     * open transactions; the next connection opens it again from its file, as after a restart.
     */
    @Override
    public void endSessions(TcpProxy clients) {
        if (server == null) {
            throw new UnsupportedOperationException("embedded H2 has no server to restart; use served()");
        }
        try (Connection c = DriverManager.getConnection(jdbcUrlVia(address())); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot shut the H2 database down", e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    public String toString() {
        return server == null ? "H2 (embedded)" : "H2 (TCP)";
    }
}
