package dev.newsline.sink.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StoreExceptionTest {

    @ParameterizedTest(name = "SQLState {0} transient={1}")
    @CsvSource({
        "08006, true",   // connection failure
        "08001, true",   // cannot connect
        "40P01, true",   // deadlock
        "40001, true",   // serialization failure
        "57P01, true",   // admin shutdown
        "53300, true",   // too many connections
        "42P01, true",   // table missing: the schema, not the record
        "HYT00, true",   // H2 lock timeout
        "22001, false",  // value too long
        "23505, false",  // unique violation
        "23503, false",  // foreign key violation
        "54000, false",  // index row too large: the record's value
    })
    void shouldBlameTheDatabaseOrTheRecordBySqlState(String state, boolean transientFailure) {
        StoreException e = StoreException.of("writing", new SQLException("boom", state), true);

        assertThat(e.isTransient()).isEqualTo(transientFailure);
        assertThat(e.sqlState()).isEqualTo(state);
    }

    @Test
    void shouldTreatABrokenConnectionAsTransientWhateverItsCode() {
        assertThat(StoreException.of("writing", new SQLNonTransientConnectionException("broken", "90067"), true)
                .isTransient()).isTrue();
        assertThat(StoreException.of("writing", new SQLTransientConnectionException("pool timeout"), true)
                .isTransient()).isTrue();
        assertThat(StoreException.of("writing", new SQLException("odd", "90121"), false).isTransient()).isTrue();
    }

    @Test
    void shouldLookBehindABatchUpdateExceptionAndKeepMessagesShort() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO articles VALUES ('"
                + "x".repeat(100_000) + "') was aborted", "22001", new int[0]);
        batch.setNextException(new SQLException("value too long for type character varying(512)", "22001"));

        StoreException e = StoreException.of("writing", batch, true);

        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains("value too long").hasSizeLessThan(700);
    }

    @Test
    void shouldTreatAFailureOutsideTheDatabaseAsTheRecords() {
        assertThat(StoreException.of("writing", new NullPointerException("no tone"), true).isTransient()).isFalse();
    }
}
