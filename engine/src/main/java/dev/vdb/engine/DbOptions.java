package dev.vdb.engine;

import java.time.Duration;

/**
 * Database-wide options.
 *
 * @param syncWrites fsync every write batch (the durability promise); false only for bulk loads
 *     and benchmarks that accept losing unsynced writes on a crash
 * @param maxBatchPoints the most points one upsert may carry
 * @param unloadAfterIdle how long a collection may go untouched before its memory (vectors,
 *     graph, payload and text indexes, id map) is released; the next call loads it again from
 *     RocksDB. {@link Duration#ZERO}: never (the default)
 */
public record DbOptions(boolean syncWrites, int maxBatchPoints, Duration unloadAfterIdle) {

    public static final DbOptions DEFAULT = new DbOptions(true, 100_000);

    public DbOptions {
        if (maxBatchPoints < 1) {
            throw new IllegalArgumentException("maxBatchPoints must be positive, got " + maxBatchPoints);
        }
        if (unloadAfterIdle == null || unloadAfterIdle.isNegative()) {
            throw new IllegalArgumentException("unloadAfterIdle must be zero (never) or positive, got " + unloadAfterIdle);
        }
    }

    /** Options that never unload an idle collection. */
    public DbOptions(boolean syncWrites, int maxBatchPoints) {
        this(syncWrites, maxBatchPoints, Duration.ZERO);
    }

    /** These options with collections unloaded after {@code idle} untouched ({@link Duration#ZERO}: never). */
    public DbOptions withUnloadAfterIdle(Duration idle) {
        return new DbOptions(syncWrites, maxBatchPoints, idle);
    }
}
