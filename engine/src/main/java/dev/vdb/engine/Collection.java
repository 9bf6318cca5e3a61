package dev.vdb.engine;

import dev.vdb.engine.filter.Filter;
import java.util.List;
import java.util.Map;
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

    /** Deletes every point {@code filter} matches atomically; returns how many. */
    int deleteByFilter(Filter filter);

    /** Number of points. */
    long count();

    /** Number of points {@code filter} matches. */
    long count(Filter filter);

    /**
     * Creates (or keeps, when it exists with the same schema) a payload index on {@code field}
     * (dotted for nested keys) that filters use; it is built from the stored payloads before
     * this returns and kept current by every write.
     *
     * @throws CollectionConflictException when the field is indexed with another schema
     */
    void createPayloadIndex(String field, PayloadSchema schema);

    /** The payload indexes, field → schema. */
    Map<String, PayloadSchema> payloadIndexes();

    /** Points present in the vector index (equals {@link #count} once indexing has caught up). */
    long indexedVectorsCount();

    /**
     * Nearest neighbours of the vector, BM25 hits of the text, or both fused; among the points
     * the filter matches; best first.
     */
    List<ScoredPoint> search(SearchRequest request);
}
