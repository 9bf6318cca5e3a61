package dev.vdb.engine;

import java.time.Duration;

/**
 * Database-wide options.
 *
 * @param syncWrites fsync every write batch (the durability promise); false only for bulk loads
 *     and benchmarks that accept losing unsynced writes on a crash
 * @param maxBatchPoints the most points one upsert may carry
 * @param maxPayloadBytes the largest payload one point may hold, in bytes of its JSON form; an
 *     upsert or payload update past it is refused naming the point
 * @param unloadAfterIdle how long a collection may go untouched before its memory (vectors,
 *     graph, payload and text indexes, id map) is released; the next call loads it again from
 *     RocksDB. {@link Duration#ZERO}: never (the default)
 */
public record DbOptions(boolean syncWrites, int maxBatchPoints, int maxPayloadBytes, Duration unloadAfterIdle) {

    public static final int DEFAULT_MAX_BATCH_POINTS = 100_000;
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
    public static final DbOptions DEFAULT = new DbOptions(true, DEFAULT_MAX_BATCH_POINTS, DEFAULT_MAX_PAYLOAD_BYTES);

    public DbOptions {
        if (maxBatchPoints < 1) {
            throw new IllegalArgumentException("maxBatchPoints must be positive, got " + maxBatchPoints);
        }
        if (maxPayloadBytes < 2) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least 2 (an empty object), got "
                    + maxPayloadBytes);
        }
        if (unloadAfterIdle == null || unloadAfterIdle.isNegative()) {
            throw new IllegalArgumentException("unloadAfterIdle must be zero (never) or positive, got " + unloadAfterIdle);
        }
    }

    /** Options that never unload an idle collection. */
    public DbOptions(boolean syncWrites, int maxBatchPoints, int maxPayloadBytes) {
        this(syncWrites, maxBatchPoints, maxPayloadBytes, Duration.ZERO);
    }

    /** Options with the default payload limit that never unload an idle collection. */
    public DbOptions(boolean syncWrites, int maxBatchPoints) {
        this(syncWrites, maxBatchPoints, DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public DbOptions withMaxPayloadBytes(int bytes) {
        return new DbOptions(syncWrites, maxBatchPoints, bytes, unloadAfterIdle);
    }

    /** These options with collections unloaded after {@code idle} untouched ({@link Duration#ZERO}: never). */
    public DbOptions withUnloadAfterIdle(Duration idle) {
        return new DbOptions(syncWrites, maxBatchPoints, maxPayloadBytes, idle);
    }
}
