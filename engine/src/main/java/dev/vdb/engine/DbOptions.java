package dev.vdb.engine;

/**
 * Database-wide options.
 *
 * @param syncWrites fsync every write batch (the durability promise); false only for bulk loads
 *     and benchmarks that accept losing unsynced writes on a crash
 * @param maxBatchPoints the most points one upsert may carry
 */
public record DbOptions(boolean syncWrites, int maxBatchPoints) {

    public static final DbOptions DEFAULT = new DbOptions(true, 100_000);

    public DbOptions {
        if (maxBatchPoints < 1) {
            throw new IllegalArgumentException("maxBatchPoints must be positive, got " + maxBatchPoints);
        }
    }
}
