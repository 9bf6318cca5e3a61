package dev.vdb.engine;

import java.util.List;
import java.util.Optional;

/**
 * A named set of points of one dimension and metric.
 *
 * <p>Writes are durable on return (one synced RocksDB WriteBatch per call, all-or-nothing)
 * and visible to searches that start afterwards. Every method is thread-safe.
 */
public interface Collection {

    String name();

    CollectionConfig config();

    /**
     * Inserts or replaces points (vector, payload and text) atomically.
     *
     * @return how many points were written
     * @throws IllegalArgumentException naming the point and field when any point is invalid;
     *     nothing of the batch is then written
     */
    int upsert(List<Point> points);

    Optional<Point> get(PointId id);

    /** The points that exist among {@code ids}, in the order asked; missing ids are left out. */
    List<Point> get(List<PointId> ids);

    /** Deletes points atomically; returns how many existed. */
    int delete(List<PointId> ids);

    /** Number of points. */
    long count();

    /** Points present in the vector index (equals {@link #count} once indexing has caught up). */
    long indexedVectorsCount();

    /** Nearest neighbours, best first. */
    List<ScoredPoint> search(SearchRequest request);
}
