package dev.vdb.engine;

import java.nio.file.Path;

/** The RocksDB-backed {@link VectorDb}. */
final class RocksVectorDb {
    private RocksVectorDb() {}

    static VectorDb open(Path directory, DbOptions options) {
        throw new UnsupportedOperationException("TODO: engine implementation (issue 2)");
    }
}
