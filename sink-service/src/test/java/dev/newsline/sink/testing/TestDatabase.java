package dev.newsline.sink.testing;

import dev.newsline.sink.store.ArticleStore;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** A database private to one test, dropped by {@link #close()}. */
public interface TestDatabase extends AutoCloseable {

    String jdbcUrl();

    /** User, or null for the driver's default. */
    String user();

    /** Password, or null. */
    String password();

    /** Host and port the database listens on; only for databases reached over TCP. */
    InetSocketAddress address();

    /** {@link #jdbcUrl()} with the host and port replaced, to reach the database through a proxy. */
    String jdbcUrlVia(InetSocketAddress proxy);

    /**
     * What a restart of the database does to the clients reaching it through {@code clients}:
     * the server ends every session (rolling back what was not committed) and is gone until
     * {@code clients} is restored. Only for databases served over TCP.
     */
    default void shutDown(TcpProxy clients) {
        clients.refuseNew();
        endSessions(clients);
        // anything the server did not end itself goes with the network
        clients.cut();
    }

    /** Ends, from the server side, the sessions of the clients connected through {@code clients}. */
    void endSessions(TcpProxy clients);

    @Override
    void close();

    default ArticleStore openStore() {
        return ArticleStore.open(jdbcUrl(), user(), password(), 3);
    }

    default Connection connect() throws SQLException {
        Properties props = new Properties();
        if (user() != null) {
            props.setProperty("user", user());
        }
        if (password() != null) {
            props.setProperty("password", password());
        }
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    /** Every row of every store table as text, sorted: equal dumps mean equal contents. */
    default List<String> dump() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String table : ArticleStore.TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table);
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            row.append('|').append(meta.getColumnName(i).toLowerCase(Locale.ROOT))
                                    .append('=').append(rs.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        Collections.sort(rows);
        return rows;
    }
}
