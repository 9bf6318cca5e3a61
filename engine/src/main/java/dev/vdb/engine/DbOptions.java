package dev.vdb.engine;

/**
 * Database-wide options.
 *
 * @param syncWrites fsync every write batch (the durability promise); false only for bulk loads
 *     and benchmarks that accept losing unsynced writes on a crash
 * @param maxBatchPoints the most points one upsert may carry
 * @param maxPayloadBytes the largest payload one point may hold, in bytes of its JSON form; an
 *     upsert or payload update past it is refused naming the point
 */
public record DbOptions(boolean syncWrites, int maxBatchPoints, int maxPayloadBytes) {

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
    }

    /** Options with the default payload limit. */
    public DbOptions(boolean syncWrites, int maxBatchPoints) {
        this(syncWrites, maxBatchPoints, DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public DbOptions withMaxPayloadBytes(int bytes) {
        return new DbOptions(syncWrites, maxBatchPoints, bytes);
    }
}
