package dev.newsline.sink.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * A store operation that failed, classified for the caller's retry rule.
 *
 * <p>{@link #isTransient()} means the database could not be used at all (unreachable, shut
 * down, out of resources, a deadlock, a missing table or permission): retrying the same work
 * later may succeed and no record is to blame. Anything else (a value too long, a constraint
 * violation, a record the mapping cannot handle) is caused by the data and fails again on
 * retry, so the caller isolates the record responsible.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Longest message kept: PostgreSQL batch errors quote the statement with its values. */
    private static final int MAX_MESSAGE_CHARS = 600;

    /**
     * SQLState classes that describe the database, not the data: connection (08), transaction
     * rollback such as deadlock or serialization failure (40), insufficient resources (53),
     * operator intervention such as shutdown (57), system error (58), driver-specific (HY, for
     * H2's lock timeout), invalid authorisation (28), and syntax or access rule (42): our SQL is
     * fixed, so a 42 error means a missing table or grant, not a bad record.
     */
    private static final Set<String> ENVIRONMENT_CLASSES = Set.of("08", "40", "53", "57", "58", "HY", "28", "42");

    private final boolean transientFailure;
    private final String sqlState;

    private StoreException(String message, Throwable cause, boolean transientFailure, String sqlState) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.sqlState = sqlState;
    }

    /**
     * Classifies a failure.
     *
     * @param connectionUsable whether the connection still validated after the failure; a database
     *                         error that left it unusable is the database's, whatever its code
     */
    static StoreException of(String action, Throwable error, boolean connectionUsable) {
        SQLException sql = firstSqlException(error);
        String state = sql == null ? null : deepestState(sql);
        boolean transientFailure = sql != null && (isEnvironmental(sql) || !connectionUsable);
        return new StoreException(action + " failed: " + describe(error), error, transientFailure, state);
    }

    /** True when the failure is the database's, not a record's; retrying later may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** The SQLState of the underlying error, or null when the failure did not come from the database. */
    public String sqlState() {
        return sqlState;
    }

    static boolean isEnvironmental(SQLException error) {
        for (Throwable t = error; t != null; t = next(t)) {
            // a connection that broke is the database's problem even when the driver calls it non-transient
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && ENVIRONMENT_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    private static SQLException firstSqlException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /** The driver's most specific state: PostgreSQL puts the real error behind getNextException. */
    private static String deepestState(SQLException error) {
        String state = error.getSQLState();
        for (SQLException next = error.getNextException(); next != null; next = next.getNextException()) {
            if (next.getSQLState() != null) {
                state = next.getSQLState();
            }
        }
        return state;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof SQLException sql && sql.getNextException() != null) {
            return sql.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private static String describe(Throwable error) {
        Throwable detail = error;
        if (error instanceof SQLException sql && sql.getNextException() != null) {
            detail = sql.getNextException();
        }
        String text = (detail instanceof SQLException sql ? "SQLState " + sql.getSQLState() + ": " : "")
                + detail.getClass().getSimpleName() + ": " + detail.getMessage();
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
