package dev.newsline.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A canonical text dump of what the sink stored: every row of {@code articles}, {@code entities},
 * {@code mentions} and {@code stances}, one line per row ({@code table<TAB>value<TAB>...}), in a
 * total order, so that two runs of the same archive give identical dumps.
 *
 * <p>Left out, because they legitimately differ between two runs of the same archive:
 * {@code articles.fetched_at} (wall-clock time of the replay that read the article) and
 * {@code articles.enriched_at} (wall-clock time of its enrichment). Every other column is in.
 * {@code entity_trends} and {@code kafka_offsets} are not part of the comparison: offsets differ
 * with every aborted transaction, and trends are not what the issue compares.
 */
final class StoreDump {

    private static final Map<String, String> QUERIES = Map.of(
            "articles", "SELECT id, url, title, body, source, language, published, enricher_version,"
                    + " tone_positive, tone_negative, tone_polarity FROM articles ORDER BY id",
            "entities", "SELECT id, name, type, first_seen, last_seen FROM entities ORDER BY id",
            // mentions have no key: every column orders them
            "mentions", "SELECT article_id, entity_id, field, start_offset, end_offset, text, sentiment_label,"
                    + " sentiment_score, salience FROM mentions ORDER BY article_id, entity_id, field NULLS FIRST,"
                    + " start_offset NULLS FIRST, end_offset NULLS FIRST, text NULLS FIRST, sentiment_label,"
                    + " sentiment_score, salience",
            "stances", "SELECT article_id, ordinal, holder_id, holder_name, target_id, target_text, polarity, cue,"
                    + " evidence_field, evidence_start, evidence_end, confidence FROM stances ORDER BY article_id, ordinal");
    static final List<String> TABLES = List.of("articles", "entities", "mentions", "stances");

    private StoreDump() {
    }

    /** The dump of the store behind the URL. */
    static List<String> of(String jdbcUrl, String user) {
        List<String> lines = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, null)) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            // one snapshot for all four tables
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            for (String table : TABLES) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERIES.get(table))) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder line = new StringBuilder(table);
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            line.append('\t').append(value(rs, i, meta.getColumnType(i)));
                        }
                        lines.add(line.toString());
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot dump the store at " + jdbcUrl, e);
        }
        return lines;
    }

    private static String value(ResultSet rs, int column, int type) throws SQLException {
        Object value = switch (type) {
            case Types.TIMESTAMP_WITH_TIMEZONE, Types.TIMESTAMP -> {
                OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
                yield t == null ? null : t.toInstant();
            }
            case Types.DOUBLE, Types.FLOAT, Types.REAL -> {
                double d = rs.getDouble(column);
                yield rs.wasNull() ? null : Double.toString(d);
            }
            default -> rs.getString(column);
        };
        if (value == null) {
            return "\\N";
        }
        return value.toString().replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static void write(List<String> dump, Path file) {
        try {
            Files.write(file, dump, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Rows per table in a dump. */
    static Map<String, Long> rowCounts(List<String> dump) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        TABLES.forEach(t -> counts.put(t, 0L));
        for (String line : dump) {
            counts.merge(line.substring(0, line.indexOf('\t')), 1L, Long::sum);
        }
        return counts;
    }

    /**
     * Where two dumps differ, for a failure message: the first differing line number and up to
     * {@code context} lines of each from there; empty when they are identical.
     */
    static Optional<String> difference(List<String> expected, List<String> actual, int context) {
        int first = 0;
        while (first < expected.size() && first < actual.size() && expected.get(first).equals(actual.get(first))) {
            first++;
        }
        if (first == expected.size() && first == actual.size()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder("dumps differ from line ").append(first + 1).append(" (expected ")
                .append(expected.size()).append(" lines ").append(rowCounts(expected)).append(", actual ")
                .append(actual.size()).append(" lines ").append(rowCounts(actual)).append(")\n");
        out.append("expected (undisturbed run):\n");
        for (int i = first; i < Math.min(expected.size(), first + context); i++) {
            out.append("  ").append(i + 1).append(": ").append(abbreviate(expected.get(i))).append('\n');
        }
        out.append("actual (run with faults):\n");
        for (int i = first; i < Math.min(actual.size(), first + context); i++) {
            out.append("  ").append(i + 1).append(": ").append(abbreviate(actual.get(i))).append('\n');
        }
        return Optional.of(out.toString());
    }

    private static String abbreviate(String line) {
        return line.length() <= 400 ? line : line.substring(0, 400) + "...";
    }
}
