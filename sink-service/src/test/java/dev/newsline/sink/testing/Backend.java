package dev.newsline.sink.testing;

import java.nio.file.Path;

/** The databases every store and service test runs against. */
public enum Backend {
    H2,
    POSTGRESQL;

    /** A fresh database as the service would normally reach it (H2 embedded, PostgreSQL over TCP). */
    public TestDatabase open(Path tempDir) {
        return this == H2 ? H2TestDatabase.embedded(tempDir) : PostgresTestDatabase.create();
    }

    /** A fresh database reached over TCP, so that a {@link TcpProxy} can cut it off. */
    public TestDatabase openServed(Path tempDir) {
        return this == H2 ? H2TestDatabase.served(tempDir) : PostgresTestDatabase.create();
    }
}
