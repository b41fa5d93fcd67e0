package dev.newsline.sink.store;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The statements that differ between the two supported databases. Everything else the store
 * runs, and the migrations, is SQL both accept.
 */
enum Dialect {

    POSTGRESQL {
        @Override
        String upsert(String table, List<String> columns, List<String> keys) {
            String updates = columns.stream().filter(c -> !keys.contains(c))
                    .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
            return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + placeholders(columns.size())
                    + ") ON CONFLICT (" + String.join(", ", keys) + ") DO UPDATE SET " + updates;
        }

        @Override
        String upsertEntity() {
            return "INSERT INTO entities (id, name, type, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type,"
                    + " first_seen = LEAST(entities.first_seen, EXCLUDED.first_seen),"
                    + " last_seen = GREATEST(entities.last_seen, EXCLUDED.last_seen)";
        }

        @Override
        Map<String, String> driverProperties() {
            // lets the driver send a JDBC batch as multi-row statements: one round trip, not one per row
            return Map.of("reWriteBatchedInserts", "true");
        }
    },

    H2 {
        @Override
        String upsert(String table, List<String> columns, List<String> keys) {
            return "MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY (" + String.join(", ", keys)
                    + ") VALUES (" + placeholders(columns.size()) + ")";
        }

        @Override
        String upsertEntity() {
            // MERGE ... KEY cannot read the existing row, so the standard MERGE keeps the earliest/latest
            return "MERGE INTO entities t USING (VALUES (CAST(? AS VARCHAR(512)), CAST(? AS VARCHAR),"
                    + " CAST(? AS VARCHAR(32)), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE)))"
                    + " AS s (id, name, type, first_seen, last_seen) ON t.id = s.id"
                    + " WHEN MATCHED THEN UPDATE SET name = s.name, type = s.type,"
                    + " first_seen = LEAST(t.first_seen, s.first_seen), last_seen = GREATEST(t.last_seen, s.last_seen)"
                    + " WHEN NOT MATCHED THEN INSERT (id, name, type, first_seen, last_seen)"
                    + " VALUES (s.id, s.name, s.type, s.first_seen, s.last_seen)";
        }

        @Override
        Map<String, String> driverProperties() {
            return Map.of();
        }
    };

    /** Insert-or-replace of a row by its key; parameters in {@code columns} order. */
    abstract String upsert(String table, List<String> columns, List<String> keys);

    /**
     * Insert-or-update of an entity keeping the earliest first_seen and latest last_seen (nulls
     * ignored); parameters: id, name, type, first_seen, last_seen.
     */
    abstract String upsertEntity();

    /** Driver properties the pool passes on. */
    abstract Map<String, String> driverProperties();

    static Dialect forUrl(String jdbcUrl) {
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (lower.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalArgumentException("unsupported JDBC URL (PostgreSQL or H2 only): " + jdbcUrl);
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
